"""Writing the audit trail: who did what to which record, from where, with what outcome — never PHI values.

Changes put their event in the same transaction as the change (``event`` + ``tx.save``), so a change without its
audit event cannot exist. Reads and denials call ``record``; if that write fails, the request fails. This module sits
below services and auth (both write events); reading the trail is ``services/audit_log.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pynamodb.exceptions import PynamoDBException

from chalicelib import clock, context
from chalicelib.auth.tokens import new_id
from chalicelib.errors import DependencyFailed
from chalicelib.tables import keys
from chalicelib.tables.audit import AuditEvent

if TYPE_CHECKING:
    from chalicelib.auth.principals import Actor


def event(
    actor: Actor,
    action: str,
    resource: str,
    *,
    outcome: str = "success",
    subject_client_id: str | None = None,
) -> AuditEvent:
    ctx = context.current()
    at = clock.iso(clock.now())
    event_id = new_id("evt")
    return AuditEvent(
        keys.org_pk(actor.org_id),
        f"{at}#{event_id}",
        id=event_id,
        org_id=actor.org_id,
        at=at,
        actor_id=actor.id,
        actor_key=keys.actor_key(actor.org_id, actor.id),
        actor_role=str(actor.role),
        subject_client_id=subject_client_id,
        subject_key=keys.subject_key(actor.org_id, subject_client_id) if subject_client_id else None,
        resource=resource,
        action=action,
        outcome=outcome,
        ip=ctx.ip,
        user_agent=ctx.user_agent[:512],
        request_id=ctx.request_id,
    )


def record(
    actor: Actor,
    action: str,
    resource: str,
    *,
    outcome: str = "success",
    subject_client_id: str | None = None,
) -> None:
    """Write one event now. When the request has work that rides along with its first write (the session's idle
    refresh), the event goes in a transaction with it — still one call."""
    from chalicelib.tables.base import transaction

    item = event(actor, action, resource, outcome=outcome, subject_client_id=subject_client_id)
    try:
        if context.current().before_commit:
            with transaction() as tx:
                tx.save(item)
        else:
            item.save()
    except PynamoDBException as error:
        raise DependencyFailed("The audit trail could not be written, so the request was not carried out.") from error
