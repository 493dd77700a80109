"""Reading the audit trail (administrators): newest first, filtered by person, client and dates, readable — names
and form titles looked up for the reader as the page is shown (one BatchGetItem), never stored in the events — and
exported as CSV. Writing it is ``chalicelib.audit``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.config import get_settings
from chalicelib.domain.practice import AuditEntry, ReadableAuditEntry
from chalicelib.errors import FieldError, ValidationFailed
from chalicelib.services.audit_phrases import Names, describe
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.audit import AuditEvent, entry_of
from chalicelib.tables.base import read_together
from chalicelib.tables.intake import FormHead, FormRequest

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
# A page's names and titles are read in one BatchGetItem (at most 100 keys): an actor, a client and a resource each.
READABLE_PAGE = 25


@dataclass(frozen=True)
class AuditFilter:
    actor_id: str | None = None
    client_id: str | None = None
    since: date | None = None  # the first day shown, in the practice's time zone
    until: date | None = None  # the last day shown


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEntry]
    next_cursor: str | None


@dataclass(frozen=True)
class ReadablePage:
    items: list[ReadableAuditEntry]
    next_cursor: str | None


def list_events(principal: StaffPrincipal, where: AuditFilter, cursor: str | None = None) -> ReadablePage:
    page = _page(principal, where, cursor, min(get_settings().page_size, READABLE_PAGE))
    readable = _readable(principal, page.items)
    audit.record(principal, "audit.list", "audit_log", subject_client_id=where.client_id)
    return ReadablePage(items=readable, next_cursor=page.next_cursor)


def export_csv(principal: StaffPrincipal, where: AuditFilter, cursor: str | None = None) -> tuple[str, str | None]:
    """One page of up to EXPORT_PAGE_SIZE rows per call — a fixed number of reads whatever the log's size; the
    returned cursor continues the export (the page follows it until there is none)."""
    page = _page(principal, where, cursor, EXPORT_PAGE_SIZE)
    audit.record(principal, "audit.export", "audit_log", subject_client_id=where.client_id)
    return to_csv(page.items), page.next_cursor


def _range(principal: StaffPrincipal, where: AuditFilter) -> Any:
    """The sort-key condition of the chosen days (local days of the practice), or None for all time."""
    if where.since is None and where.until is None:
        return None
    if where.since and where.until and where.since > where.until:
        message = "The first day comes after the last."
        raise ValidationFailed(message, [FieldError("since", message)])
    zone = ZoneInfo(principal.practice.time_zone)

    def start_of(day: date) -> str:
        return clock.iso(datetime(day.year, day.month, day.day, tzinfo=zone))

    if where.since is None:
        return AuditEvent.sk < start_of(where.until + timedelta(days=1)) if where.until else None
    if where.until is None:
        return AuditEvent.sk >= start_of(where.since)
    return AuditEvent.sk.between(start_of(where.since), start_of(where.until + timedelta(days=1)))


def _page(principal: StaffPrincipal, where: AuditFilter, cursor: str | None, size: int) -> AuditPage:
    """Newest first. Filtering by actor uses the actor index; by client the subject index; days are a range of the
    sort key (``{time}#{event}``) on either."""
    org = principal.org_id
    me = principal.id
    condition = _range(principal, where)
    options: dict[str, Any] = {"scan_index_forward": False, "limit": size}
    if where.actor_id:
        key = keys.actor_key(org, where.actor_id)
        start = cursors.decode(cursor, caller=me, expected={"actor_key": key})
        results = AuditEvent.by_actor.query(key, condition, last_evaluated_key=start, **options)
    elif where.client_id:
        key = keys.subject_key(org, where.client_id)
        start = cursors.decode(cursor, caller=me, expected={"subject_key": key})
        results = AuditEvent.by_subject.query(key, condition, last_evaluated_key=start, **options)
    else:
        key = keys.org_pk(org)
        start = cursors.decode(cursor, caller=me, expected={"pk": key})
        results = AuditEvent.query(key, condition, last_evaluated_key=start, **options)
    both = where.actor_id and where.client_id
    items = [entry_of(item) for item in results if not both or item.subject_client_id == where.client_id]
    return AuditPage(items=items, next_cursor=cursors.encode(results.last_evaluated_key, caller=me))


# ----------------------------------------------------------------------------------------------- readable


def _account_id(value: str | None) -> str | None:
    return value if value and value.startswith(("stf_", "cli_")) else None


def _resource_parts(resource: str) -> tuple[str, str]:
    kind, _, rest = resource.partition("/")
    return kind, rest.split("#", 1)[0]


def _readable(principal: StaffPrincipal, entries: list[AuditEntry]) -> list[ReadableAuditEntry]:
    """Names and titles for the page in one BatchGetItem: each actor, each subject client, the staff member, form or
    signed request a resource names — only names and titles are read."""
    pk = keys.org_pk(principal.org_id)
    wanted: dict[tuple[str, str], tuple[Any, str, str]] = {}
    for entry in entries:
        for account in (_account_id(entry.actor_id), _account_id(entry.subject_client_id)):
            if account:
                wanted[("account", account)] = (Login, pk, keys.account_sk(account))
        kind, ident = _resource_parts(entry.resource)
        if kind in {"staff", "client"} and _account_id(ident):
            wanted[("account", ident)] = (Login, pk, keys.account_sk(ident))
        elif kind == "form" and ident:
            wanted[("form", ident)] = (FormHead, pk, keys.form_sk(ident))
        elif kind == "form_request" and ident and entry.subject_client_id:
            wanted[("request", ident)] = (FormRequest, pk, keys.request_sk(entry.subject_client_id, ident))
    found = read_together(*wanted.values(), attributes=["name", "title"]) if wanted else []
    looked_up = {name: item for name, item in zip(wanted, found, strict=True) if item is not None}

    def name_of(account: str | None) -> str | None:
        item = looked_up.get(("account", account or ""))
        return str(item.name) if item is not None and item.name else None

    readable = []
    for entry in entries:
        kind, ident = _resource_parts(entry.resource)
        title_item = looked_up.get(("form", ident)) if kind == "form" else looked_up.get(("request", ident))
        actor_name = name_of(entry.actor_id)
        names = Names(
            actor=actor_name or _unnamed(entry),
            client=name_of(entry.subject_client_id),
            staff=name_of(ident) if kind == "staff" else None,
            form=str(title_item.title) if title_item is not None and kind in {"form", "form_request"} else None,
            subject=name_of(ident) if kind in {"staff", "client"} else None,
        )
        summary = describe(entry.action, entry.actor_id, entry.subject_client_id, entry.resource, entry.outcome, names)
        readable.append(ReadableAuditEntry(entry=entry, actor_name=actor_name, subject_name=names.client, summary=summary))
    return readable


def _unnamed(entry: AuditEntry) -> str:
    if entry.actor_role == "anonymous":
        return "Someone not signed in"
    return "A former account" if _account_id(entry.actor_id) else "The system"


# ---------------------------------------------------------------------------------------------------- CSV


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
