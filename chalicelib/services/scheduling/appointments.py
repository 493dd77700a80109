"""The staff side: a therapist's week, requests to confirm or decline, and appointments made, moved, cancelled and
marked for a client. Staff may book outside the therapist's hours (only another appointment's time — the claims —
stops them); a therapist acts on their own appointments, an administrator on anyone's, and both only for clients
they may see (``visibility``: anyone else's client is 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain import scheduling as domain
from chalicelib.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from chalicelib.services.scheduling import ledger, notices, offers, slots
from chalicelib.services.scheduling.booking import LIVE, appointments_of
from chalicelib.services.scheduling.schedule import read_schedule
from chalicelib.services.visibility import checked, client_for
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord, StaffMember
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.scheduling import REMINDER_SHARD, Appointment, KnownClients, Schedule, appointment_of, settings_of

CHANGED = "This appointment changed in the meantime. Reload to see it."
NOT_YOURS = "Only the appointment's therapist or an administrator may change it."
MAX_DAYS = 14
OUTCOMES = ("attended", "no_show", "late_cancelled")


# -------------------------------------------------------------------------------------------------- reading


def client_appointments(principal: StaffPrincipal, client_id: str) -> list[domain.Appointment]:
    client_for(principal, client_id)
    found = [appointment_of(a) for a in appointments_of(principal.org_id, client_id)]
    audit.record(principal, "appointment.list", f"client/{client_id}", subject_client_id=client_id)
    return found


@dataclass(frozen=True)
class Week:
    first_day: date
    days: int
    time_zone: str
    appointments: tuple[domain.Appointment, ...]


def calendar(principal: StaffPrincipal, first_day: date | None, days: int) -> Week:
    """The caller's own appointments over ``days`` local days of the practice's zone: one Query."""
    zone_name = principal.practice.time_zone
    tz = slots.zone(zone_name)
    first = first_day or clock.now().astimezone(tz).date()
    days = max(1, min(days, MAX_DAYS))
    since = slots.instant(slots.local_minutes(first, 0, tz))
    until = slots.instant(slots.local_minutes(first + timedelta(days=days), 0, tz))
    schedule = read_schedule(principal.org_id, principal.id, since=since, until=until)
    found = tuple(appointment_of(a) for a in schedule.appointments if a.start < until)
    audit.record(principal, "appointment.calendar", f"schedule/{principal.id}")
    return Week(first, days, zone_name, found)


def requests(principal: StaffPrincipal) -> list[domain.Appointment]:
    """The caller's pending requests that have not started yet, soonest first: one Query."""
    schedule = read_schedule(principal.org_id, principal.id, since=clock.now())
    found = [appointment_of(a) for a in schedule.appointments if a.status == "pending"]
    audit.record(principal, "appointment.requests", f"schedule/{principal.id}")
    return found


# --------------------------------------------------------------------------------------------------- making


@dataclass(frozen=True)
class NewAppointment:
    start: datetime
    therapist_id: str | None = None
    service_id: str | None = None
    duration_minutes: int | None = None


def create(principal: StaffPrincipal, client_id: str, new: NewAppointment) -> domain.Appointment:
    """A confirmed appointment made by staff, inside or outside the therapist's hours (not over another one)."""
    therapist_id = new.therapist_id or principal.id
    if therapist_id != principal.id and not principal.is_administrator:
        raise Forbidden("Therapists make appointments in their own calendar.")
    pk = keys.org_pk(principal.org_id)
    client, schedule, member = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)),
        (Schedule, pk, keys.schedule_sk(therapist_id)),
        (StaffMember, pk, keys.staff_sk(therapist_id)),
    )
    client = checked(principal, client, client_id)
    _check_therapist(principal, client, therapist_id, member)
    settings = settings_of(schedule) if schedule is not None else None
    time_zone = settings.time_zone if settings else principal.practice.time_zone
    name, modality, duration, service_id, price = _what(settings, new)
    start = _future(new.start)
    end = start + timedelta(minutes=duration)
    before = settings.buffer_before_minutes if settings else 0
    after = settings.buffer_after_minutes if settings else 0
    where = ledger.placement(start, end, before, after, time_zone)
    now = clock.now()
    appointment_id = new_id("apt")
    reminder_hours = settings.reminder_hours if settings else 0
    item = Appointment(
        pk, keys.appointment_sk(client_id, appointment_id), id=appointment_id, org_id=principal.org_id, client_id=client_id,
        therapist_id=therapist_id, client_name=client.name, therapist_name=member.name, service_id=service_id, service_name=name,
        modality=modality, price_cents=price, start=start, end=end, buffer_before=before, buffer_after=after, local_day=where.local_day,
        time_zone=time_zone, cancel_window_hours=settings.cancel_window_hours if settings else 0, reminder_hours=reminder_hours,
        status="confirmed", requested_by="staff", created_by=principal.id, created_at=now, updated_at=now,
        cal_pk=keys.calendar_key(principal.org_id, therapist_id), cal_sk=keys.calendar_sk(clock.iso(start), appointment_id),
    )  # fmt: skip
    item.prac_pk, item.prac_sk = ledger.practice_listing(principal.org_id, start, appointment_id, item.status)
    if due := ledger.reminder_due(start, reminder_hours):
        item.reminder_shard, item.reminder_due_at = REMINDER_SHARD, due
    with transaction() as tx:
        tx.save(item, condition=Appointment.pk.does_not_exist())
        ledger.place(tx, principal.org_id, therapist_id, appointment_id, None, where)
        known = KnownClients(pk, keys.known_clients_sk(therapist_id))
        tx.update(known, actions=ledger.known_actions(principal.org_id, therapist_id, client_id), add_version_condition=False)
        notices.send(tx, principal.practice, client_id, "appointment_confirmed")
        tx.save(audit.event(principal, "appointment.create", f"appointment/{appointment_id}", subject_client_id=client_id))
    return appointment_of(item)


def _check_therapist(principal: StaffPrincipal, client: ClientRecord, therapist_id: str, member: StaffMember | None) -> None:
    if member is None or member.status != "active":
        raise ValidationFailed("Choose an active therapist.", [FieldError("therapist_id", "Not an active staff member.")])
    if therapist_id != principal.id and therapist_id not in (client.therapist_ids or set()):
        raise ValidationFailed("Choose one of the client's therapists.", [FieldError("therapist_id", "Not assigned to this client.")])
    if not principal.practice.seated(therapist_id):
        raise ValidationFailed("That therapist has no self-scheduling seat.", [FieldError("therapist_id", "No seat.")])


def _what(settings: domain.BookingSettings | None, new: NewAppointment) -> tuple[str, str, int, str | None, int | None]:
    """The service (from the therapist's list) or a plain appointment of the given length: name, modality, minutes,
    service id, price."""
    if new.service_id:
        service = settings.service(new.service_id) if settings else None
        if service is None:
            raise ValidationFailed("Choose one of the therapist's services.", [FieldError("service_id", "Not a service offered.")])
        return service.name, service.modality, service.duration_minutes, service.id, service.price_cents
    if not new.duration_minutes:
        raise ValidationFailed("Choose a service or a length.", [FieldError("duration_minutes", "Choose a service or a length.")])
    return "Appointment", "in_person", new.duration_minutes, None, None


def _future(start: datetime) -> datetime:
    if start <= clock.now():
        raise ValidationFailed("That time has passed.", [FieldError("start", "Choose a time in the future.")])
    return start


# ------------------------------------------------------------------------------------------------- changing


def _load(principal: StaffPrincipal, client_id: str, appointment_id: str) -> Appointment:
    """The client (if the caller may see them) and the appointment in one read; only its therapist or an
    administrator may change it."""
    pk = keys.org_pk(principal.org_id)
    client, item = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)), (Appointment, pk, keys.appointment_sk(client_id, appointment_id))
    )
    checked(principal, client, client_id)
    if item is None:
        raise NotFound("No such appointment.")
    found: Appointment = item
    if found.therapist_id != principal.id and not principal.is_administrator:
        raise Forbidden(NOT_YOURS)
    return found


def _expect(item: Appointment, *statuses: str) -> None:
    if item.status not in statuses:
        raise Conflict(f"This appointment is {item.status.replace('_', ' ')}.")


def confirm(principal: StaffPrincipal, client_id: str, appointment_id: str) -> domain.Appointment:
    item = _load(principal, client_id, appointment_id)
    _expect(item, "pending")
    now = clock.now()
    pk = keys.org_pk(principal.org_id)
    with transaction({"status": Conflict(CHANGED)}) as tx:
        tx.update(item, actions=[Appointment.status.set("confirmed"), Appointment.updated_at.set(now),
                                 *ledger.listed(principal.org_id, item.therapist_id, item.start, item.id, "confirmed"),
                                 *ledger.reminder(item.start, int(item.reminder_hours or 0))],
                  condition=Appointment.status == "pending", label="status")  # fmt: skip
        tx.update(KnownClients(pk, keys.known_clients_sk(item.therapist_id)),
                  actions=ledger.known_actions(principal.org_id, item.therapist_id, client_id), add_version_condition=False)  # fmt: skip
        notices.send(tx, principal.practice, client_id, "appointment_confirmed")
        tx.save(audit.event(principal, "appointment.confirm", f"appointment/{appointment_id}", subject_client_id=client_id))
    item.status, item.updated_at = "confirmed", now
    return appointment_of(item)


def decline(principal: StaffPrincipal, client_id: str, appointment_id: str, reason: str) -> domain.Appointment:
    return _end(principal, client_id, appointment_id, "declined", reason, expected=("pending",), template="appointment_declined")


def cancel(principal: StaffPrincipal, client_id: str, appointment_id: str, reason: str | None) -> domain.Appointment:
    return _end(principal, client_id, appointment_id, "cancelled", reason, expected=LIVE, template="appointment_cancelled")


def _end(
    principal: StaffPrincipal, client_id: str, appointment_id: str, status: str, reason: str | None, *, expected: tuple[str, ...],
    template: str | None,
) -> domain.Appointment:  # fmt: skip
    """The appointment lets go of its time (offered to the waitlist if still ahead), and the client hears of it."""
    item = _load(principal, client_id, appointment_id)
    _expect(item, *expected)
    if status in ("declined", "cancelled") and item.start <= clock.now():
        raise Conflict("This appointment has started: mark it attended, no-show or late-cancelled instead.")
    waiting = offers.waiting_for(principal.org_id, item.therapist_id)
    now = clock.now()
    with transaction({"status": Conflict(CHANGED)}) as tx:
        tx.update(item, actions=[Appointment.status.set(status), Appointment.updated_at.set(now), *ledger.unlisted(),
                                 *([Appointment.reason.set(reason)] if reason else []),
                                 *([Appointment.cancelled_by.set("staff")] if status != "declined" else [])],
                  condition=Appointment.status == item.status, label="status")  # fmt: skip
        ledger.place(tx, principal.org_id, item.therapist_id, item.id, ledger.of_item(item), None)
        if template:
            notices.send(tx, principal.practice, client_id, template)
        offers.offer_freed(tx, principal.practice, item, waiting)
        tx.save(audit.event(principal, f"appointment.{status}", f"appointment/{appointment_id}", subject_client_id=client_id))
    item.status, item.reason, item.updated_at = status, reason or item.reason, now
    return appointment_of(item)


def move(principal: StaffPrincipal, client_id: str, appointment_id: str, start: datetime) -> domain.Appointment:
    """A new time of the same length (outside the therapist's hours if need be, never over another appointment)."""
    item = _load(principal, client_id, appointment_id)
    _expect(item, *LIVE)
    start = _future(start)
    end = start + (item.end - item.start)
    before = ledger.of_item(item)
    where = ledger.placement(start, end, before.buffer_before, before.buffer_after, item.time_zone)
    now = clock.now()
    reminder = ledger.reminder(start, int(item.reminder_hours or 0)) if item.status == "confirmed" else ledger.no_reminder()
    with transaction({"status": Conflict(CHANGED)}) as tx:
        listed = ledger.listed(principal.org_id, item.therapist_id, start, item.id, item.status)
        tx.update(item, actions=[Appointment.start.set(start), Appointment.end.set(end), Appointment.local_day.set(where.local_day),
                                 Appointment.updated_at.set(now), *listed, *reminder],
                  condition=Appointment.status == item.status, label="status")  # fmt: skip
        ledger.place(tx, principal.org_id, item.therapist_id, item.id, before, where)
        notices.send(tx, principal.practice, client_id, "appointment_rescheduled")
        tx.save(audit.event(principal, "appointment.move", f"appointment/{appointment_id}", subject_client_id=client_id))
    item.start, item.end, item.updated_at = start, end, now
    return appointment_of(item)


def record_outcome(principal: StaffPrincipal, client_id: str, appointment_id: str, outcome: str) -> domain.Appointment:
    """Attended or no-show once it has started (and correctable between the two); late-cancelled lets go of its
    time (offered to the waitlist if still ahead)."""
    if outcome == "late_cancelled":
        return _end(principal, client_id, appointment_id, "late_cancelled", None, expected=("confirmed",), template=None)
    item = _load(principal, client_id, appointment_id)
    _expect(item, "confirmed", "attended", "no_show")
    if item.start > clock.now():
        raise Conflict("This appointment hasn't started yet.")
    now = clock.now()
    with transaction({"status": Conflict(CHANGED)}) as tx:
        tx.update(item, actions=[Appointment.status.set(outcome), Appointment.updated_at.set(now), *ledger.no_reminder()],
                  condition=Appointment.status == item.status, label="status")  # fmt: skip
        tx.save(audit.event(principal, f"appointment.{outcome}", f"appointment/{appointment_id}", subject_client_id=client_id))
    item.status, item.updated_at = outcome, now
    return appointment_of(item)
