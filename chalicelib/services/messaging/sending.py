"""Sending a message: one read of everything it depends on, then one transaction that writes everything it causes.

The read is one TransactGetItems: the client (who may be written to, their assigned therapists), the conversation's
head (who else wrote, read watermarks, recent auto-replies) and the attachments' upload records. The write holds the
message, the head, each recipient's inbox entry and account counters (unread total, inbox version), the notification
mails, the attachments' claims, any after-hours auto-reply and the audit events — so a send costs three DynamoDB
calls with its session, whatever the conversation's length or the practice's size.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.expressions.update import Action

from chalicelib import audit, clock
from chalicelib.auth.principals import Anonymous, ClientPrincipal, Principal, StaffPrincipal
from chalicelib.domain.messaging import Message
from chalicelib.errors import Conflict, FieldError, Unauthenticated, ValidationFailed
from chalicelib.services import uploads
from chalicelib.services.messaging import common, notices, office_hours
from chalicelib.services.visibility import checked
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import Transaction, read_together, transaction
from chalicelib.tables.files import Upload
from chalicelib.tables.messaging import Conversation, InboxEntry, MessageItem, message_of

NO_PORTAL = "This client has no active portal account, so they cannot receive messages. Invite them to the portal first."
NO_RECIPIENT = "No one at your practice can receive messages here yet. Please contact your practice another way."


def _read(principal: Principal, client_id: str, attachment_ids: list[str]) -> tuple[ClientRecord | None, Conversation | None, list[Any]]:
    pk = keys.org_pk(principal.org_id)
    found = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)),
        (Conversation, pk, keys.conversation_sk(client_id)),
        *[(Upload, pk, keys.upload_sk(upload_id)) for upload_id in attachment_ids],
    )
    return found[0], found[1], found[2:]


def _files(principal: Principal, records: list[Any]) -> list[uploads.CheckedFile]:
    """Each upload checked by its bytes (a file that is not what it claims is refused and removed). A refusal names
    the upload (``attachment_ids.{id}``), so the composer can mark that file and keep the others."""
    checked: list[uploads.CheckedFile] = []
    for record in records:
        try:
            checked.append(uploads.check_record(principal, record, uploads.ATTACHMENT))
        except ValidationFailed as refused:
            field = f"attachment_ids.{record.id}"
            raise ValidationFailed(refused.detail, [FieldError(field, error.message) for error in refused.errors]) from refused
    return checked


def _attach(tx: Transaction, files: list[uploads.CheckedFile], client_id: str, message_id: str) -> None:
    for file in files:
        uploads.attach(tx, file, common.attached_to(client_id, message_id))


def _summaries(files: list[uploads.CheckedFile]) -> list[dict[str, object]]:
    return [{"id": f.upload.id, "filename": f.filename, "content_type": f.content_type, "size": f.size} for f in files]


# ------------------------------------------------------------------------------------------------- staff


def staff_send(principal: StaffPrincipal, client_id: str, text: str, attachment_ids: list[str]) -> Message:
    """An assigned therapist (or an administrator) writes to a client with an active portal account."""
    clean = common.check_text(text)
    wanted = common.check_attachment_ids(attachment_ids)
    record, conversation, upload_records = _read(principal, client_id, wanted)
    client = checked(principal, record, client_id)
    if client.status != "active":
        raise Conflict(NO_PORTAL)
    files = _files(principal, upload_records)
    now = clock.now()
    message = common.message_item(
        principal.org_id, client_id, sender_id=principal.id, sender_kind="staff", sender_name=principal.name, text=clean, at=now,
        attachments=_summaries(files),
    )  # fmt: skip
    watchers = set(common.staff_recipients(principal.practice, client, conversation)) | {principal.id}
    version = common.new_version()
    head: list[Action] = [
        *common.conversation_actions(client_id, now),
        Conversation.last_staff_message.set(message.sk),
        Conversation.client_unread.add(1),
    ]
    if principal.is_administrator:
        head.append(Conversation.administrator_ids.add({principal.id}))
    with transaction() as tx:
        tx.save(message, condition=MessageItem.pk.does_not_exist())
        tx.update(common.conversation_key(principal.org_id, client_id), actions=head)
        _attach(tx, files, client_id, message.id)
        _touch_entry(tx, principal.org_id, principal.id, client_id, now, unread=0)
        common.touch_account(tx, principal.org_id, client_id, version, unread=1)
        for staff_id in sorted(watchers):
            common.touch_account(tx, principal.org_id, staff_id, version)
        notices.notify(tx, principal.practice, client_id)
        tx.save(audit.event(principal, "messages.send", f"message/{message.id}", subject_client_id=client_id))
    return message_of(message, seen=False)


def _touch_entry(tx: Transaction, org_id: str, staff_id: str, client_id: str, at: datetime, *, unread: int) -> None:
    """The staff member's inbox entry for this conversation moves to the top (created on first use)."""
    recency = keys.inbox_recency(clock.iso(at), client_id)
    tx.update(
        InboxEntry(keys.org_pk(org_id), keys.inbox_sk(staff_id, client_id)),
        actions=[
            InboxEntry.staff_id.set(staff_id),
            InboxEntry.client_id.set(client_id),
            InboxEntry.unread.add(unread),
            InboxEntry.last_message_at.set(at),
            InboxEntry.owner_key.set(keys.inbox_owner(org_id, staff_id)),
            InboxEntry.recency.set(recency),
        ],
    )


# ------------------------------------------------------------------------------------------------ client


def client_send(principal: ClientPrincipal, text: str, attachment_ids: list[str]) -> list[Message]:
    """The client writes to their care team; away therapists who turned it on answer automatically. Returns the
    message and any auto-replies."""
    clean = common.check_text(text)
    wanted = common.check_attachment_ids(attachment_ids)
    client, conversation, upload_records = _read(principal, principal.id, wanted)
    if client is None:
        raise Unauthenticated("Your portal account no longer exists.")
    practice = principal.practice
    recipients = common.staff_recipients(practice, client, conversation)
    if not recipients:
        raise Conflict(NO_RECIPIENT)
    files = _files(principal, upload_records)
    now = clock.now()
    message = common.message_item(
        principal.org_id, principal.id, sender_id=principal.id, sender_kind="client", sender_name=client.name, text=clean, at=now,
        attachments=_summaries(files),
    )  # fmt: skip
    last_replies = dict(conversation.auto_replies or {}) if conversation else {}
    replies = _auto_replies(principal, recipients, last_replies, now)
    head: list[Action] = [*common.conversation_actions(principal.id, now, messages=1 + len(replies))]
    head.append(Conversation.last_client_message.set(message.sk))
    if replies:
        last_replies.update({reply.sender_id: clock.iso(now) for reply in replies})
        head += [
            Conversation.last_staff_message.set(replies[-1].sk),
            Conversation.client_unread.add(len(replies)),
            Conversation.auto_replies.set(last_replies),
        ]
    version = common.new_version()
    with transaction() as tx:
        tx.save(message, condition=MessageItem.pk.does_not_exist())
        for reply in replies:
            tx.save(reply, condition=MessageItem.pk.does_not_exist())
        tx.update(common.conversation_key(principal.org_id, principal.id), actions=head)
        _attach(tx, files, principal.id, message.id)
        for staff_id in recipients:
            _touch_entry(tx, principal.org_id, staff_id, principal.id, now, unread=1)
            common.touch_account(tx, principal.org_id, staff_id, version, unread=1)
            notices.notify(tx, practice, staff_id)
        common.touch_account(tx, principal.org_id, principal.id, version, unread=len(replies))
        tx.save(audit.event(principal, "messages.send", f"message/{message.id}", subject_client_id=principal.id))
        for reply in replies:
            actor = Anonymous(org_id=principal.org_id, id=reply.sender_id, role="auto-reply")
            tx.save(audit.event(actor, "messages.auto_reply", f"message/{reply.id}", subject_client_id=principal.id))
    return [message_of(message, seen=False), *(message_of(reply, seen=False) for reply in replies)]


def _auto_replies(principal: ClientPrincipal, recipients: list[str], last_replies: dict[str, str], now: datetime) -> list[MessageItem]:
    practice = principal.practice
    return [
        common.message_item(
            principal.org_id,
            principal.id,
            sender_id=staff_id,
            sender_kind="staff",
            sender_name=office_hours.auto_reply_sender(practice, staff_id),
            text=office_hours.auto_reply_text(practice, staff_id),
            at=now + timedelta(microseconds=position + 1),  # right after the client's message, in a stable order
            automatic=True,
        )
        for position, staff_id in enumerate(office_hours.auto_repliers(practice, recipients, last_replies, now))
    ]
