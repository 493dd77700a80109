"""What the messaging modules share: limits, who receives a client's messages, the readers' counters, message items
and pages of a conversation."""

from __future__ import annotations

import secrets
from datetime import datetime

from pynamodb.expressions.update import Action

from chalicelib import clock
from chalicelib.auth.features import PracticeFacts
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.errors import FieldError, InvalidCursor, ValidationFailed
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import AccountInbox, ClientRecord
from chalicelib.tables.base import Transaction
from chalicelib.tables.messaging import Conversation, MessageItem

MAX_TEXT = 10_000  # characters (code points); the commercial portals' 1,000 is a known complaint
MAX_ATTACHMENTS = 5
CONVERSATION_PREFIX = "conversation/"


def check_text(text: str) -> str:
    clean = text.strip()
    if not clean:
        raise ValidationFailed("Write a message before sending.", [FieldError("text", "Write a message.")])
    if len(clean) > MAX_TEXT:
        message = f"A message can be up to {MAX_TEXT:,} characters; this one has {len(clean):,}."
        raise ValidationFailed(message, [FieldError("text", message)])
    return clean


def check_attachment_ids(ids: list[str]) -> list[str]:
    unique = list(dict.fromkeys(ids))
    if len(unique) > MAX_ATTACHMENTS:
        message = f"Attach at most {MAX_ATTACHMENTS} files to one message."
        raise ValidationFailed(message, [FieldError("attachment_ids", message)])
    return unique


def attached_to(client_id: str, message_id: str) -> str:
    """What an attachment's upload record says it belongs to: downloads check the conversation's client."""
    return f"{CONVERSATION_PREFIX}{client_id}/{message_id}"


def belongs_to(attached: str | None, client_id: str) -> bool:
    return bool(attached) and str(attached).startswith(f"{CONVERSATION_PREFIX}{client_id}/")


def new_version() -> str:
    return secrets.token_hex(8)


def staff_recipients(practice: PracticeFacts, client: ClientRecord, conversation: Conversation | None) -> list[str]:
    """Who at the practice receives the client's messages (and sees their read receipts): the therapists assigned to
    the client and the administrators who wrote to them — each only while holding a seat. An unassigned therapist is
    no longer among them, whatever they wrote before."""
    candidates = set(client.therapist_ids or ()) | set(conversation.administrator_ids or () if conversation else ())
    return sorted(staff_id for staff_id in candidates if practice.seated(staff_id))


def touch_account(tx: Transaction, org_id: str, account_id: str, version: str, *, unread: int = 0) -> None:
    """A new inbox version for a reader (their polls see a change), and their unread total moved by ``unread``."""
    actions: list[Action] = [AccountInbox.inbox_version.set(version)]
    if unread:
        actions.append(AccountInbox.unread_messages.add(unread))
    tx.update(
        AccountInbox(keys.org_pk(org_id), keys.account_sk(account_id)),
        actions=actions,
        condition=AccountInbox.pk.exists(),
        add_version_condition=False,
    )


def message_item(
    org_id: str,
    client_id: str,
    *,
    sender_id: str,
    sender_kind: str,
    sender_name: str,
    text: str,
    at: datetime,
    attachments: list[dict[str, object]] | None = None,
    automatic: bool = False,
    campaign_id: str | None = None,
) -> MessageItem:
    message_id = new_id("msg")
    return MessageItem(
        keys.org_pk(org_id),
        keys.message_sk(client_id, clock.iso(at), message_id),
        id=message_id,
        org_id=org_id,
        client_id=client_id,
        sender_id=sender_id,
        sender_kind=sender_kind,
        sender_name=sender_name,
        text=text,
        sent_at=at,
        attachments=attachments or None,
        automatic=automatic or None,
        campaign_id=campaign_id,
    )


def conversation_actions(client_id: str, at: datetime, *, messages: int = 1) -> list[Action]:
    """What every send does to the conversation's head (created by the first one)."""
    return [
        Conversation.client_id.set(client_id),
        Conversation.started_at.set(Conversation.started_at | at),
        Conversation.last_message_at.set(at),
        Conversation.message_count.add(messages),
    ]


def conversation_key(org_id: str, client_id: str) -> Conversation:
    return Conversation(keys.org_pk(org_id), keys.conversation_sk(client_id))


def seen(item: MessageItem, conversation: Conversation | None) -> bool:
    """A staff message is seen once the client read past it; a client's once someone of the care team did."""
    if conversation is None:
        return False
    mark = conversation.client_read_through if item.sender_kind == "staff" else conversation.team_read_through
    return bool(mark) and item.sk <= str(mark)


def page_of(org_id: str, client_id: str, cursor: str | None, caller: str) -> tuple[list[MessageItem], str | None]:
    """One page of a conversation, newest first: one Query whatever the conversation's length."""
    pk = keys.org_pk(org_id)
    prefix = keys.messages_prefix(client_id)
    start = cursors.decode(cursor, caller=caller, expected={"pk": pk})
    if start is not None and not str(start.get("sk", {}).get("S", "")).startswith(prefix):
        raise InvalidCursor("This page link is not valid here. Start from the first page.")
    results = MessageItem.query(
        pk,
        MessageItem.sk.startswith(prefix),
        scan_index_forward=False,
        limit=get_settings().page_size,
        last_evaluated_key=start,
        consistent_read=True,
    )
    items = list(results)
    return items, cursors.encode(results.last_evaluated_key, caller=caller)
