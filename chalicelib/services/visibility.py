"""Who may see which client — the one place that decides it.

Administrators see every client of their practice; a therapist sees the clients assigned to them; a client sees only
themselves (their routes take no client id). A client outside the caller's view is "not found", exactly like an id
that never existed, and the attempt is audited as a denied read of that client.
"""

from __future__ import annotations

from chalicelib import audit
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.errors import NotFound
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import get_or_none

NOT_VISIBLE = "No client with that id among your clients."


def may_see(principal: StaffPrincipal, client: ClientRecord) -> bool:
    return principal.is_administrator or principal.id in (client.therapist_ids or set())


def refuse(principal: StaffPrincipal, client_id: str) -> NotFound:
    """Audit a denied access to a client that exists, and give the answer an unknown id gets."""
    audit.record(principal, "client.read", f"client/{client_id}", outcome="denied", subject_client_id=client_id)
    return NotFound(NOT_VISIBLE)


def checked(principal: StaffPrincipal, client: ClientRecord | None, client_id: str) -> ClientRecord:
    """The client read elsewhere (e.g. in a TransactGet), if the principal may see them; NotFound otherwise."""
    if client is None:
        raise NotFound(NOT_VISIBLE)
    if not may_see(principal, client):
        raise refuse(principal, client_id)
    return client


def client_for(principal: StaffPrincipal, client_id: str) -> ClientRecord:
    """One consistent read of the client, if the principal may see them."""
    return checked(principal, get_or_none(ClientRecord, keys.org_pk(principal.org_id), keys.client_sk(client_id)), client_id)
