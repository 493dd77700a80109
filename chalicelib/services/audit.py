"""The audit trail: who did what to which record, from where, with what outcome — never PHI values.

Changes put their event in the same transaction as the change (``event`` + ``tx.save``), so a change without
its audit event cannot exist. Reads and denials call ``record``; if that write fails, the request fails.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from pynamodb.exceptions import PynamoDBException

from chalicelib import clock, context
from chalicelib.auth.principals import Actor, StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.errors import DependencyFailed
from chalicelib.tables.audit import AuditEvent, actor_key, org_pk, subject_key
from chalicelib.tables.base import decode_cursor, encode_cursor

EXPORT_COLUMNS = (
    "at",
    "actor_id",
    "actor_role",
    "action",
    "resource",
    "outcome",
    "subject_client_id",
    "ip",
    "user_agent",
    "request_id",
    "id",
)
EXPORT_PAGE_SIZE = 1000


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
        org_pk(actor.org_id),
        f"{at}#{event_id}",
        id=event_id,
        org_id=actor.org_id,
        at=at,
        actor_id=actor.id,
        actor_key=actor_key(actor.org_id, actor.id),
        actor_role=str(actor.role),
        subject_client_id=subject_client_id,
        subject_key=subject_key(actor.org_id, subject_client_id) if subject_client_id else None,
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
    try:
        event(actor, action, resource, outcome=outcome, subject_client_id=subject_client_id).save()
    except PynamoDBException as error:
        raise DependencyFailed("The audit trail could not be written, so the request was not carried out.") from error


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEvent]
    next_cursor: str | None


def list_events(
    principal: StaffPrincipal,
    *,
    actor_id: str | None = None,
    client_id: str | None = None,
    cursor: str | None = None,
) -> AuditPage:
    page = _page(principal.org_id, actor_id, client_id, cursor, get_settings().page_size)
    record(principal, "audit.list", "audit_log", subject_client_id=client_id)
    return page


def export_csv(
    principal: StaffPrincipal,
    *,
    actor_id: str | None = None,
    client_id: str | None = None,
    cursor: str | None = None,
) -> tuple[str, str | None]:
    """One page of up to EXPORT_PAGE_SIZE rows per call — a fixed number of reads whatever the log's size; the
    returned cursor continues the export (the page follows it until there is none)."""
    page = _page(principal.org_id, actor_id, client_id, cursor, EXPORT_PAGE_SIZE)
    record(principal, "audit.export", "audit_log", subject_client_id=client_id)
    return to_csv(page.items), page.next_cursor


def _page(org: str, actor_id: str | None, client_id: str | None, cursor: str | None, size: int) -> AuditPage:
    """Newest first. Filtering by actor uses the actor index; by client the subject index."""
    if actor_id:
        key = actor_key(org, actor_id)
        results = AuditEvent.by_actor.query(
            key, scan_index_forward=False, limit=size, last_evaluated_key=decode_cursor(cursor, {"actor_key": key})
        )
    elif client_id:
        key = subject_key(org, client_id)
        results = AuditEvent.by_subject.query(
            key, scan_index_forward=False, limit=size, last_evaluated_key=decode_cursor(cursor, {"subject_key": key})
        )
    else:
        key = org_pk(org)
        results = AuditEvent.query(key, scan_index_forward=False, limit=size, last_evaluated_key=decode_cursor(cursor, {"pk": key}))
    items = [item for item in results if not (actor_id and client_id) or item.subject_client_id == client_id]
    return AuditPage(items=items, next_cursor=encode_cursor(results.last_evaluated_key))


def to_csv(events: Iterable[AuditEvent]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for item in events:
        writer.writerow([_csv_safe(getattr(item, column) or "") for column in EXPORT_COLUMNS])
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    # Neutralise spreadsheet formula injection (OWASP CSV injection) in user-controlled columns.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value
