"""Reading a conversation: a page of messages, newest first, and — on the first page — marking it read.

Marking read moves the reader's watermark (what the other side's "Seen 14:02" shows), zeroes the reader's unread
count for the conversation and takes it off their total, and gives the other side a new inbox version so their
open page shows the receipt within seconds. It rides in the transaction of the read's audit event: a read costs the
session, one TransactGetItems, one Query and one write — four calls, whatever the conversation's length.

The counters stay exact because every change to them is conditional: a read subtracts what it saw only if that is
still the conversation's count. A message arriving in the same instant fails the condition; the read is then
audited alone and the message simply stays unread (the next poll reloads the page).
"""

from __future__ import annotations

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal, StaffPrincipal
from chalicelib.domain.messaging import ConversationPage
from chalicelib.errors import Conflict, Unauthenticated
from chalicelib.services.messaging import common
from chalicelib.services.messaging.sending import NO_PORTAL, NO_RECIPIENT
from chalicelib.services.visibility import checked
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.messaging import Conversation, InboxEntry, message_of


class ReadOvertaken(Conflict):
    """A message arrived between reading the counts and writing them back."""


# ------------------------------------------------------------------------------------------------- staff


def staff_conversation(principal: StaffPrincipal, client_id: str, cursor: str | None = None) -> ConversationPage:
    """A client's conversation, for a staff member who may see the client (else 404, audited)."""
    pk = keys.org_pk(principal.org_id)
    record, conversation, entry = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)),
        (Conversation, pk, keys.conversation_sk(client_id)),
        (InboxEntry, pk, keys.inbox_sk(principal.id, client_id)),
    )
    client = checked(principal, record, client_id)
    items, next_cursor = common.page_of(principal.org_id, client_id, cursor, principal.id)
    mine = int(entry.unread or 0) if entry is not None else 0
    if not (cursor is None and _staff_marks_read(principal, client, conversation, mine)):
        audit.record(principal, "messages.read", f"conversation/{client_id}", subject_client_id=client_id)
    can_write = client.status == "active"
    return ConversationPage(
        client_id=client_id,
        client_name=client.name,
        time_zone=principal.practice.time_zone,
        messages=[message_of(i, seen=common.seen(i, conversation)) for i in items],
        next_cursor=next_cursor,
        can_write=can_write,
        why_not=None if can_write else NO_PORTAL,
        seen_at=conversation.client_read_at if conversation is not None else None,
        unread=mine,
        crisis_text=principal.practice.messaging.crisis_text,
    )


def _staff_marks_read(principal: StaffPrincipal, client: ClientRecord, conversation: Conversation | None, mine: int) -> bool:
    """The reader's unread count for this conversation, and the care team's watermark; False if nothing to mark."""
    latest = conversation.last_client_message if conversation is not None else None
    team_behind = conversation is not None and bool(latest) and str(conversation.team_read_through or "") < str(latest)
    if not mine and not team_behind:
        return False
    now, version = clock.now(), common.new_version()
    try:
        with transaction({"read": ReadOvertaken()}) as tx:
            tx.save(audit.event(principal, "messages.read", f"conversation/{client.id}", subject_client_id=client.id))
            if mine:
                tx.update(
                    InboxEntry(keys.org_pk(principal.org_id), keys.inbox_sk(principal.id, client.id)),
                    actions=[InboxEntry.unread.set(0)],
                    condition=InboxEntry.unread == mine,
                    label="read",
                )
                common.touch_account(tx, principal.org_id, principal.id, version, unread=-mine)
            if team_behind and conversation is not None:
                tx.update(
                    common.conversation_key(principal.org_id, client.id),
                    actions=[Conversation.team_read_through.set(str(latest)), Conversation.team_read_at.set(now)],
                )
                common.touch_account(tx, principal.org_id, client.id, version)  # the client's "Seen" appears
    except ReadOvertaken:
        return False
    if team_behind and conversation is not None:
        conversation.team_read_through, conversation.team_read_at = latest, now
    return True


# ------------------------------------------------------------------------------------------------ client


def client_conversation(principal: ClientPrincipal, cursor: str | None = None) -> ConversationPage:
    """The signed-in client's own conversation (their id is in every key: there is no other to name)."""
    pk = keys.org_pk(principal.org_id)
    conversation, client = read_together(
        (Conversation, pk, keys.conversation_sk(principal.id)),
        (ClientRecord, pk, keys.client_sk(principal.id)),
    )
    if client is None:
        raise Unauthenticated("Your portal account no longer exists.")
    items, next_cursor = common.page_of(principal.org_id, principal.id, cursor, principal.id)
    unread = int(conversation.client_unread or 0) if conversation is not None else 0
    recipients = common.staff_recipients(principal.practice, client, conversation)
    marked = cursor is None and unread > 0 and conversation is not None and _client_marks_read(principal, conversation, unread, recipients)
    if not marked:
        audit.record(principal, "messages.read", f"conversation/{principal.id}", subject_client_id=principal.id)
    return ConversationPage(
        client_id=principal.id,
        client_name=client.name,
        time_zone=client.time_zone,
        messages=[message_of(i, seen=common.seen(i, conversation)) for i in items],
        next_cursor=next_cursor,
        can_write=bool(recipients),
        why_not=None if recipients else NO_RECIPIENT,
        seen_at=conversation.team_read_at if conversation is not None else None,
        unread=unread,
        crisis_text=principal.practice.messaging.crisis_text,
    )


def _client_marks_read(principal: ClientPrincipal, conversation: Conversation, unread: int, watchers: list[str]) -> bool:
    now, version = clock.now(), common.new_version()
    through = conversation.last_staff_message
    try:
        with transaction({"read": ReadOvertaken()}) as tx:
            tx.save(audit.event(principal, "messages.read", f"conversation/{principal.id}", subject_client_id=principal.id))
            tx.update(
                common.conversation_key(principal.org_id, principal.id),
                actions=[
                    Conversation.client_unread.set(0),
                    Conversation.client_read_through.set(through),
                    Conversation.client_read_at.set(now),
                ],
                condition=Conversation.client_unread == unread,
                label="read",
            )
            common.touch_account(tx, principal.org_id, principal.id, version, unread=-unread)
            for staff_id in watchers:
                common.touch_account(tx, principal.org_id, staff_id, version)  # their "Seen" appears
    except ReadOvertaken:
        return False
    conversation.client_read_through, conversation.client_read_at = through, now
    return True
