"""The staff inbox (my conversations, newest activity first, with unread counts) and the poll every open page makes.

The poll reads nothing of its own: the reader's inbox version and unread total are on their account item, which the
session read already fetched (one TransactGetItems of session, account and practice). Every send, read and receipt
that concerns someone gives them a new version in its own transaction, so "nothing changed" is known — and answered
304 — for that one call.

The inbox is one Query of the sparse ``by_recency`` index and one BatchGetItem of the page's clients, which also
re-checks who may see them: a therapist unassigned from a client no longer finds the conversation here, and the
unread count it still held is taken off their total in the transaction of the listing's audit event.
"""

from __future__ import annotations

from chalicelib import audit
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.sessions import Authenticated
from chalicelib.config import get_settings
from chalicelib.domain.messaging import InboxItem, InboxPage, Poll
from chalicelib.errors import Conflict
from chalicelib.services.messaging import common
from chalicelib.services.visibility import may_see
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import transaction
from chalicelib.tables.messaging import InboxEntry


def poll(session: Authenticated) -> Poll:
    """What the reader's own account item says — no call beyond the session read."""
    account = session.account
    return Poll(version=str(account.inbox_version or "0"), unread=max(0, int(account.unread_messages or 0)))


def staff_inbox(principal: StaffPrincipal, cursor: str | None = None) -> InboxPage:
    owner = keys.inbox_owner(principal.org_id, principal.id)
    results = InboxEntry.by_recency.query(
        owner,
        scan_index_forward=False,
        limit=get_settings().page_size,
        last_evaluated_key=cursors.decode(cursor, caller=principal.id, expected={"owner_key": owner}),
    )
    entries = list(results)
    pk = keys.org_pk(principal.org_id)
    clients = {c.id: c for c in ClientRecord.batch_get([(pk, keys.client_sk(e.client_id)) for e in entries])} if entries else {}
    visible = [e for e in entries if e.client_id in clients and may_see(principal, clients[e.client_id])]
    stale = [e for e in entries if e not in visible and int(e.unread or 0) > 0]
    _audit_and_forget(principal, stale)
    items = [
        InboxItem(
            client_id=str(e.client_id),
            client_name=clients[str(e.client_id)].name,
            unread=int(e.unread or 0),
            last_message_at=e.last_message_at,
        )
        for e in visible
    ]
    return InboxPage(
        items=items, next_cursor=cursors.encode(results.last_evaluated_key, caller=principal.id), time_zone=principal.practice.time_zone
    )


def _audit_and_forget(principal: StaffPrincipal, stale: list[InboxEntry]) -> None:
    """The listing's audit event; with it, unread counts of conversations the reader may no longer see leave their
    total (each only if unchanged since it was read)."""
    if stale:
        try:
            with transaction() as tx:
                tx.save(audit.event(principal, "messages.inbox", "messages"))
                for entry in stale:
                    tx.update(
                        InboxEntry(entry.pk, entry.sk), actions=[InboxEntry.unread.set(0)], condition=InboxEntry.unread == int(entry.unread)
                    )
                forgotten = sum(int(entry.unread) for entry in stale)
                common.touch_account(tx, principal.org_id, principal.id, common.new_version(), unread=-forgotten)
            return
        except Conflict:
            pass  # a new message raced the listing: tidied the next time
    audit.record(principal, "messages.inbox", "messages")
