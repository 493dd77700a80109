"""The staff dashboards: what needs doing, for the viewer — a therapist their own clients, an administrator the
practice. Each list is one Query of per-viewer items (kept by ``services/worklist.py`` and the scheduling ledger),
then one BatchGetItem of the clients it names, read fresh: names, counters and status are never copies, and a client
the viewer may no longer see is left out. Every list is audited (it names clients)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib import audit, clock
from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.config import get_settings
from chalicelib.domain.dashboard import Attention, Day, PendingInvitation, SignedDocument, WaitingPaperwork, Worklist
from chalicelib.services.visibility import may_see
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import read_together
from chalicelib.tables.worklist import PRACTICE_VIEWER, SignedEntry, WorkEntry

WORKLIST_PAGE = 50  # one BatchGetItem reads at most 100 records
SIGNED_DAYS = 14
SIGNED_SHOWN = 20
REQUESTS_SHOWN = 50


def _viewer(principal: StaffPrincipal) -> str:
    return PRACTICE_VIEWER if principal.is_administrator else principal.id


def _clients(principal: StaffPrincipal, client_ids: list[str]) -> dict[str, ClientRecord]:
    """The named clients in one BatchGetItem, keeping those the viewer may (still) see."""
    unique = list(dict.fromkeys(client_ids))
    if not unique:
        return {}
    pk = keys.org_pk(principal.org_id)
    found = read_together(*[(ClientRecord, pk, keys.client_sk(client_id)) for client_id in unique])
    return {client.id: client for client in found if client is not None and may_see(principal, client)}


# -------------------------------------------------------------------------------------------- worklist


def attention_list(principal: StaffPrincipal, cursor: str | None = None) -> Worklist:
    """Clients whose invitation waits to be accepted or whose paperwork waits to be signed, longest waiting first."""
    key = keys.viewer_key(principal.org_id, _viewer(principal))
    start = cursors.decode(cursor, caller=principal.id, expected={"viewer_key": key})
    results = WorkEntry.by_viewer.query(key, limit=WORKLIST_PAGE, last_evaluated_key=start)
    entries = list(results)
    clients = _clients(principal, [entry.client_id for entry in entries])
    intake = principal.practice.switched_on(Feature.INTAKE_FORMS)
    items = []
    for entry in entries:
        client = clients.get(entry.client_id)
        found = _attention(client, datetime.fromisoformat(entry.since.replace("Z", "+00:00")), intake) if client else None
        if found is not None:
            items.append(found)
    audit.record(principal, "dashboard.worklist", "dashboard/worklist")
    return Worklist(items=items, next_cursor=cursors.encode(results.last_evaluated_key, caller=principal.id))


def _attention(client: ClientRecord, since: datetime, intake: bool) -> Attention | None:
    """Why the client is on the list now (from their record), or None once nothing waits."""
    now = clock.now()
    invitation = None
    if client.status == "invited":
        expires = client.invitation_expires_at
        invitation = PendingInvitation(
            invited_at=client.invited_at,
            expires_at=expires,
            expired=expires is not None and expires <= now,
            delivery_failed=client.invitation_delivery == "failed",
        )
    paperwork = None
    waiting = max(0, int(client.forms_open or 0))
    if intake and waiting:
        waiting_since = client.waiting_since
        overdue_after = timedelta(days=get_settings().paperwork_overdue_days)
        paperwork = WaitingPaperwork(
            waiting=waiting,
            signed=int(client.forms_signed or 0),
            waiting_since=waiting_since,
            overdue=waiting_since is not None and now - waiting_since >= overdue_after,
        )
    if invitation is None and paperwork is None:
        return None
    return Attention(
        client_id=client.id, name=client.name, preferred_name=client.preferred_name, since=since, invitation=invitation, paperwork=paperwork
    )


# ----------------------------------------------------------------------------------------- signed forms


def recently_signed(principal: StaffPrincipal) -> list[SignedDocument]:
    """Forms the viewer's clients signed over the last two weeks, newest first."""
    viewer = _viewer(principal)
    since = clock.iso(clock.now() - timedelta(days=SIGNED_DAYS))
    results = SignedEntry.query(
        keys.org_pk(principal.org_id),
        SignedEntry.sk.between(keys.signed_sk(viewer, since, ""), keys.signed_prefix(viewer) + "~"),
        scan_index_forward=False,
        limit=SIGNED_SHOWN,
    )
    entries = list(results)
    clients = _clients(principal, [entry.client_id for entry in entries])
    documents = [
        SignedDocument(
            client_id=entry.client_id,
            client_name=clients[entry.client_id].name,
            request_id=entry.request_id,
            title=entry.title,
            signed_at=entry.signed_at,
        )
        for entry in entries
        if entry.client_id in clients
    ]
    audit.record(principal, "dashboard.signed", "dashboard/signed")
    return documents


# ----------------------------------------------------------------------------------------- appointments


def day(principal: StaffPrincipal) -> Day:
    """Today's appointments (the practice's zone) and the requests waiting for approval: the practice's for an
    administrator (two Queries of the ``by_practice`` index), the therapist's own otherwise (one Query of their
    schedule)."""
    from chalicelib.services.scheduling import slots
    from chalicelib.tables.scheduling import appointment_of

    zone_name = principal.practice.time_zone
    tz = slots.zone(zone_name)
    now = clock.now()
    today = now.astimezone(tz).date()
    since = slots.instant(slots.local_minutes(today, 0, tz))
    until = slots.instant(slots.local_minutes(today + timedelta(days=1), 0, tz))
    if principal.is_administrator:
        booked, pending, more = _practice_day(principal.org_id, since, until, now)
    else:
        booked, pending, more = _own_day(principal, since, until, now)
    audit.record(principal, "appointment.day", "dashboard/appointments")
    return Day(
        day=today,
        time_zone=zone_name,
        practice_wide=principal.is_administrator,
        appointments=[appointment_of(a) for a in booked],
        requests=[appointment_of(a) for a in pending],
        more_requests=more,
    )


def _practice_day(org_id: str, since: datetime, until: datetime, now: datetime) -> tuple[list[Any], list[Any], bool]:
    from chalicelib.tables.scheduling import Appointment

    booked_key = keys.practice_calendar_key(org_id, "booked")
    booked = list(Appointment.by_practice.query(booked_key, Appointment.prac_sk.between(clock.iso(since), clock.iso(until))))
    pending_key = keys.practice_calendar_key(org_id, "pending")
    requests = Appointment.by_practice.query(pending_key, Appointment.prac_sk >= clock.iso(now), limit=REQUESTS_SHOWN)
    pending = list(requests)
    return booked, pending, requests.last_evaluated_key is not None


def _own_day(principal: StaffPrincipal, since: datetime, until: datetime, now: datetime) -> tuple[list[Any], list[Any], bool]:
    from chalicelib.services.scheduling.schedule import read_schedule

    schedule = read_schedule(principal.org_id, principal.id, since=since)
    booked = [a for a in schedule.appointments if a.start < until and a.status != "pending"]
    pending = [a for a in schedule.appointments if a.status == "pending" and a.start >= now]
    return booked, pending[:REQUESTS_SHOWN], len(pending) > REQUESTS_SHOWN
