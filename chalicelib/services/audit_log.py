"""Reading the audit trail (administrators): newest first, filtered by actor or client, exported as CSV.
Writing it is ``chalicelib.audit``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib import audit
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.config import get_settings
from chalicelib.domain.practice import AuditEntry
from chalicelib.tables import cursors, keys
from chalicelib.tables.audit import AuditEvent, entry_of

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


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEntry]
    next_cursor: str | None


def list_events(
    principal: StaffPrincipal, *, actor_id: str | None = None, client_id: str | None = None, cursor: str | None = None
) -> AuditPage:
    page = _page(principal, actor_id, client_id, cursor, get_settings().page_size)
    audit.record(principal, "audit.list", "audit_log", subject_client_id=client_id)
    return page


def export_csv(
    principal: StaffPrincipal, *, actor_id: str | None = None, client_id: str | None = None, cursor: str | None = None
) -> tuple[str, str | None]:
    """One page of up to EXPORT_PAGE_SIZE rows per call — a fixed number of reads whatever the log's size; the
    returned cursor continues the export (the page follows it until there is none)."""
    page = _page(principal, actor_id, client_id, cursor, EXPORT_PAGE_SIZE)
    audit.record(principal, "audit.export", "audit_log", subject_client_id=client_id)
    return to_csv(page.items), page.next_cursor


def _page(principal: StaffPrincipal, actor_id: str | None, client_id: str | None, cursor: str | None, size: int) -> AuditPage:
    """Newest first. Filtering by actor uses the actor index; by client the subject index."""
    org = principal.org_id
    me = principal.id
    if actor_id:
        key = keys.actor_key(org, actor_id)
        start = cursors.decode(cursor, caller=me, expected={"actor_key": key})
        results = AuditEvent.by_actor.query(key, scan_index_forward=False, limit=size, last_evaluated_key=start)
    elif client_id:
        key = keys.subject_key(org, client_id)
        start = cursors.decode(cursor, caller=me, expected={"subject_key": key})
        results = AuditEvent.by_subject.query(key, scan_index_forward=False, limit=size, last_evaluated_key=start)
    else:
        key = keys.org_pk(org)
        results = AuditEvent.query(
            key, scan_index_forward=False, limit=size, last_evaluated_key=cursors.decode(cursor, caller=me, expected={"pk": key})
        )
    items = [entry_of(item) for item in results if not (actor_id and client_id) or item.subject_client_id == client_id]
    return AuditPage(items=items, next_cursor=cursors.encode(results.last_evaluated_key, caller=me))


def to_csv(events: Iterable[AuditEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for item in events:
        writer.writerow([_csv_safe(getattr(item, column) or "") for column in EXPORT_COLUMNS])
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    # Neutralise spreadsheet formula injection (OWASP CSV injection) in user-controlled columns.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value
