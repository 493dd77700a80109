"""Booking from the portal: the therapists a client may book with, free slots labelled in the client's own zone, and
booking, moving and cancelling their own appointments within the therapist's rules.

A client books only with a therapist assigned to them who holds a seat (or runs a solo practice) and has booking
on. Listing slots is one Query (``schedule.read_schedule``) after the session. A booking is checked against the
slot engine (clear 422s: past, notice, horizon, not offered; 409: taken, day full), then written in one transaction
whose conditions decide races: the time claims, the day's count, the settings version it was checked against, the
client still being assigned to the therapist (and known to them, when new clients may not book).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain import scheduling as domain
from chalicelib.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from chalicelib.services.scheduling import ledger, notices, offers, slots
from chalicelib.services.scheduling.schedule import TherapistSchedule, read_schedule
from chalicelib.services.scheduling.settings import rules_of, service_for
from chalicelib.tables import keys
from chalicelib.tables.accounts import Assignment, StaffMember
from chalicelib.tables.base import Transaction, get_or_not_found, read_together, transaction
from chalicelib.tables.scheduling import REMINDER_SHARD, Appointment, KnownClients, Schedule, appointment_of, settings_of

NOT_BOOKABLE = "Online booking isn't available with this therapist."
NEW_CLIENTS = "This therapist isn't taking new clients online. Contact your practice to arrange a first appointment."
SETTINGS_CHANGED = "The therapist's booking settings changed a moment ago. Look at the free times again."
MAX_PAGE_DAYS = 31
MAX_THERAPISTS = 20
REFUSED = {
    "past": "That time has passed.",
    "notice": "That time is too soon: book at least {notice} hours ahead.",
    "beyond_horizon": "That time is too far ahead: bookings open {horizon} days ahead.",
    "not_offered": "That time isn't offered. Choose one of the free times.",
}


# ------------------------------------------------------------------------------------------------- choosing


def bookable(principal: ClientPrincipal) -> list[domain.Bookable]:
    """The client's assigned therapists who take bookings online: settings and names in one TransactGet."""
    therapists = sorted(t for t in principal.therapist_ids if principal.practice.seated(t))[:MAX_THERAPISTS]
    found: list[domain.Bookable] = []
    if therapists:
        pk = keys.org_pk(principal.org_id)
        items = read_together(
            *[(Schedule, pk, keys.schedule_sk(t)) for t in therapists], *[(StaffMember, pk, keys.staff_sk(t)) for t in therapists]
        )
        for schedule, member in zip(items[: len(therapists)], items[len(therapists) :], strict=True):
            settings = settings_of(schedule) if schedule is not None else None
            if settings is None or member is None or member.status != "active" or not settings.booking_enabled or not settings.services:
                continue
            found.append(
                domain.Bookable(
                    therapist_id=member.id,
                    name=member.name,
                    time_zone=settings.time_zone,
                    services=settings.services,
                    min_notice_hours=settings.min_notice_hours,
                    horizon_days=settings.horizon_days,
                    cancel_window_hours=settings.cancel_window_hours,
                    late_cancel_policy=settings.late_cancel_policy,
                    approval_required=settings.approval_required,
                )
            )
    audit.record(principal, "scheduling.therapists", f"client/{principal.id}", subject_client_id=principal.id)
    return found


def assigned(principal: ClientPrincipal, therapist_id: str) -> None:
    """Only the client's own, seated therapists: anyone else's calendar is not found."""
    if therapist_id not in principal.therapist_ids:
        raise NotFound("No such therapist among yours.")
    if not principal.practice.seated(therapist_id):
        raise Forbidden(NOT_BOOKABLE)


def open_settings(schedule: TherapistSchedule) -> domain.BookingSettings:
    settings = schedule.settings
    if settings is None or not settings.booking_enabled or not settings.services:
        raise Forbidden(NOT_BOOKABLE)
    return settings


def list_slots(principal: ClientPrincipal, therapist_id: str, service_id: str, first_day: date | None, days: int) -> domain.SlotPage:
    """Free starts over ``days`` of the client's own calendar from ``first_day`` (today in their zone), and the next
    opening after them; two DynamoDB calls in all (the session, one Query)."""
    assigned(principal, therapist_id)
    now = clock.now()
    schedule = read_schedule(principal.org_id, therapist_id)
    settings = schedule.settings
    client_zone = slots.zone(principal.time_zone)
    first = first_day or now.astimezone(client_zone).date()
    last = first + timedelta(days=max(1, min(days, MAX_PAGE_DAYS)) - 1)
    page = domain.SlotPage(
        therapist_id=therapist_id, service_id=service_id, therapist_time_zone=principal.practice.time_zone,
        client_time_zone=principal.time_zone, starts=(), first_day=first, last_day=last, next_opening=None, reason="closed",
        min_notice_hours=0, horizon_days=0, bookable_until=first,
    )  # fmt: skip
    if settings is None or not settings.booking_enabled or not settings.services:
        return page
    service = service_for(settings, service_id)
    page = replace(page, therapist_time_zone=settings.time_zone, min_notice_hours=settings.min_notice_hours,
                   horizon_days=settings.horizon_days)  # fmt: skip
    if not settings.new_clients_allowed and principal.id not in schedule.known:
        return replace(page, reason="new_clients")
    openings = slots.free_slots(rules_of(settings), service.duration_minutes, schedule.busy(), now)
    page_start = slots.local_minutes(first, 0, client_zone)
    page_end = slots.local_minutes(last + timedelta(days=1), 0, client_zone)
    starts = [s for s in openings.starts if page_start <= s < page_end]
    later = next((s for s in openings.starts if s >= (page_end if starts else page_start)), None)
    reason = None if openings.starts else ("no_hours" if not openings.has_hours else "fully_booked")
    return replace(
        page,
        starts=tuple(slots.instant(s) for s in starts),
        next_opening=slots.instant(later) if later is not None else None,
        reason=reason,
        bookable_until=openings.last_day,
    )


# -------------------------------------------------------------------------------------------------- booking


@dataclass(frozen=True)
class Checked:
    schedule: TherapistSchedule
    settings: domain.BookingSettings
    service: domain.Service
    start: datetime
    end: datetime


def check_start(principal: ClientPrincipal, therapist_id: str, service_id: str, start: datetime, *, moving: str | None = None) -> Checked:
    """The slot engine's verdict on a start, read fresh (one Query): a clear refusal, or what to write."""
    assigned(principal, therapist_id)
    now = clock.now()
    schedule = read_schedule(principal.org_id, therapist_id)
    settings = open_settings(schedule)
    service = service_for(settings, service_id)
    if not settings.new_clients_allowed and principal.id not in schedule.known:
        raise Forbidden(NEW_CLIENTS)
    refusal = slots.why_not(rules_of(settings), service.duration_minutes, schedule.busy(ignoring=moving), now, start)
    if refusal in REFUSED:
        message = REFUSED[refusal].format(notice=settings.min_notice_hours, horizon=settings.horizon_days)
        raise ValidationFailed(message, [FieldError("start", message)])
    if refusal == "taken":
        raise Conflict(ledger.TAKEN)
    if refusal == "day_full":
        raise Conflict(ledger.DAY_FULL)
    start = slots.instant(slots.minutes(start))
    return Checked(schedule, settings, service, start, start + timedelta(minutes=service.duration_minutes))


def book(principal: ClientPrincipal, therapist_id: str, service_id: str, start: datetime) -> domain.Appointment:
    checked = check_start(principal, therapist_id, service_id, start)
    with transaction() as tx:
        item = write_booking(tx, principal, checked)
        tx.save(audit.event(principal, "appointment.book", f"appointment/{item.id}", subject_client_id=principal.id))
    return appointment_of(item)


def write_booking(tx: Transaction, principal: ClientPrincipal, checked: Checked, *, offer_id: str | None = None) -> Appointment:
    """The booking's writes: the appointment, its time, the day's count, and the conditions that keep it honest."""
    settings, therapist_id = checked.settings, checked.settings.therapist_id
    pk = keys.org_pk(principal.org_id)
    confirmed = not settings.approval_required
    now = clock.now()
    appointment_id = new_id("apt")
    where = ledger.placement(checked.start, checked.end, settings.buffer_before_minutes, settings.buffer_after_minutes, settings.time_zone)
    item = Appointment(
        pk,
        keys.appointment_sk(principal.id, appointment_id),
        id=appointment_id,
        org_id=principal.org_id,
        client_id=principal.id,
        therapist_id=therapist_id,
        client_name=principal.name,
        therapist_name=therapist_name(checked.schedule, therapist_id),
        service_id=checked.service.id,
        service_name=checked.service.name,
        modality=checked.service.modality,
        price_cents=checked.service.price_cents,
        start=checked.start,
        end=checked.end,
        buffer_before=settings.buffer_before_minutes,
        buffer_after=settings.buffer_after_minutes,
        local_day=where.local_day,
        time_zone=settings.time_zone,
        cancel_window_hours=settings.cancel_window_hours,
        reminder_hours=settings.reminder_hours,
        status="confirmed" if confirmed else "pending",
        requested_by="client",
        offer_id=offer_id,
        created_by=principal.id,
        created_at=now,
        updated_at=now,
        cal_pk=keys.calendar_key(principal.org_id, therapist_id),
        cal_sk=keys.calendar_sk(clock.iso(checked.start), appointment_id),
    )
    item.prac_pk, item.prac_sk = ledger.practice_listing(principal.org_id, checked.start, appointment_id, item.status)
    if confirmed and (due := ledger.reminder_due(checked.start, settings.reminder_hours)):
        item.reminder_shard, item.reminder_due_at = REMINDER_SHARD, due
    tx.save(item, condition=Appointment.pk.does_not_exist())
    ledger.place(tx, principal.org_id, therapist_id, appointment_id, None, where, daily_max=settings.daily_max)
    _conditions(tx, principal, checked)
    notices.send(tx, principal.practice, therapist_id, "appointment_booked" if confirmed else "appointment_requested")
    return item


def settings_unchanged(tx: Transaction, org_id: str, checked: Checked) -> None:
    """The booking was checked against these settings: if the therapist saved others meanwhile, look again."""
    tx.conflicts["settings"] = Conflict(SETTINGS_CHANGED)
    key = keys.schedule_sk(checked.settings.therapist_id)
    tx.condition_check(Schedule, keys.org_pk(org_id), key, Schedule.version == checked.schedule.version, label="settings")


def _conditions(tx: Transaction, principal: ClientPrincipal, checked: Checked) -> None:
    pk = keys.org_pk(principal.org_id)
    therapist_id = checked.settings.therapist_id
    tx.conflicts.update({"assigned": NotFound("No such therapist among yours."), "known": Forbidden(NEW_CLIENTS)})
    settings_unchanged(tx, principal.org_id, checked)
    tx.condition_check(Assignment, pk, keys.assignment_sk(therapist_id, principal.id), Assignment.pk.exists(), label="assigned")
    known = KnownClients(pk, keys.known_clients_sk(therapist_id))
    if not checked.settings.new_clients_allowed:
        tx.condition_check(KnownClients, known.pk, known.sk, KnownClients.client_ids.contains(principal.id), label="known")
    elif not checked.settings.approval_required:
        tx.update(known, actions=ledger.known_actions(principal.org_id, therapist_id, principal.id), add_version_condition=False)


def therapist_name(schedule: TherapistSchedule, therapist_id: str) -> str:
    return schedule.settings_item.therapist_name if schedule.settings_item is not None else ""


# ------------------------------------------------------------------------------------ cancelling and moving

LIVE = ("pending", "confirmed")


def changeable(item: Appointment, *, what: str) -> None:
    """A client changes a pending or confirmed appointment, before it starts, outside its cancellation window
    (a pending request may be withdrawn up to its start)."""
    now = clock.now()
    if item.status not in LIVE:
        raise Conflict(f"This appointment is {item.status.replace('_', ' ')}; it can no longer be {what}.")
    if item.start <= now:
        raise Conflict(f"This appointment has started; it can no longer be {what}.")
    window = int(item.cancel_window_hours or 0)
    if item.status == "confirmed" and item.start - now < timedelta(hours=window):
        raise Conflict(f"It is less than {window} hours before this appointment: contact your practice to have it {what}.")


def cancel(principal: ClientPrincipal, appointment_id: str, reason: str | None) -> domain.Appointment:
    item = my_appointment(principal, appointment_id)
    changeable(item, what="cancelled")
    waiting = offers.waiting_for(principal.org_id, item.therapist_id)
    now = clock.now()
    with transaction({"status": Conflict("This appointment changed in the meantime. Reload to see it.")}) as tx:
        tx.update(
            item,
            actions=[Appointment.status.set("cancelled"), Appointment.cancelled_by.set("client"), Appointment.updated_at.set(now),
                     *([Appointment.reason.set(reason)] if reason else []), *ledger.unlisted()],
            condition=Appointment.status == item.status,
            label="status",
        )  # fmt: skip
        ledger.place(tx, principal.org_id, item.therapist_id, item.id, ledger.of_item(item), None)
        notices.send(tx, principal.practice, item.therapist_id, "appointment_cancelled")
        offers.offer_freed(tx, principal.practice, item, waiting)
        tx.save(audit.event(principal, "appointment.cancel", f"appointment/{item.id}", subject_client_id=principal.id))
    item.status, item.cancelled_by, item.reason, item.updated_at = "cancelled", "client", reason or item.reason, now
    return appointment_of(item)


def reschedule(principal: ClientPrincipal, appointment_id: str, start: datetime) -> domain.Appointment:
    """Move to another free time under the therapist's current rules; it needs their approval again if they
    approve bookings."""
    item = my_appointment(principal, appointment_id)
    changeable(item, what="moved")
    if item.service_id is None:
        raise Conflict("This appointment was arranged by your practice: contact them to move it.")
    checked = check_start(principal, item.therapist_id, item.service_id, start, moving=item.id)
    settings = checked.settings
    where = ledger.placement(checked.start, checked.end, settings.buffer_before_minutes, settings.buffer_after_minutes, settings.time_zone)
    status = "pending" if settings.approval_required else "confirmed"
    now = clock.now()
    with transaction({"status": Conflict("This appointment changed in the meantime. Reload to see it.")}) as tx:
        tx.update(
            item,
            actions=[
                Appointment.start.set(checked.start),
                Appointment.end.set(checked.end),
                Appointment.buffer_before.set(where.buffer_before),
                Appointment.buffer_after.set(where.buffer_after),
                Appointment.local_day.set(where.local_day),
                Appointment.time_zone.set(settings.time_zone),
                Appointment.status.set(status),
                Appointment.updated_at.set(now),
                *ledger.listed(principal.org_id, item.therapist_id, checked.start, item.id, status),
                *(ledger.reminder(checked.start, int(item.reminder_hours or 0)) if status == "confirmed" else ledger.no_reminder()),
            ],
            condition=Appointment.status == item.status,
            label="status",
        )
        ledger.place(tx, principal.org_id, item.therapist_id, item.id, ledger.of_item(item), where, daily_max=settings.daily_max)
        settings_unchanged(tx, principal.org_id, checked)
        notices.send(tx, principal.practice, item.therapist_id, "appointment_rescheduled")
        tx.save(audit.event(principal, "appointment.reschedule", f"appointment/{item.id}", subject_client_id=principal.id))
    item.start, item.end, item.status, item.updated_at = checked.start, checked.end, status, now
    item.buffer_before, item.buffer_after = where.buffer_before, where.buffer_after
    return appointment_of(item)


# ------------------------------------------------------------------------------------- the client's own list


def my_appointments(principal: ClientPrincipal) -> list[domain.Appointment]:
    found = [appointment_of(a) for a in appointments_of(principal.org_id, principal.id)]
    audit.record(principal, "appointment.list", f"client/{principal.id}", subject_client_id=principal.id)
    return found


MAX_LISTED = 500


def appointments_of(org_id: str, client_id: str) -> list[Appointment]:
    """A client's appointments, latest first: one Query of their own key range."""
    found = Appointment.query(
        keys.org_pk(org_id), Appointment.sk.startswith(keys.client_appointments_prefix(client_id)), limit=MAX_LISTED, consistent_read=True
    )
    return sorted(found, key=lambda a: a.start, reverse=True)


def my_appointment(principal: ClientPrincipal, appointment_id: str) -> Appointment:
    """One of the client's own (the key holds their id: another client's appointment is not found)."""
    return get_or_not_found(
        Appointment, keys.org_pk(principal.org_id), keys.appointment_sk(principal.id, appointment_id), message="No such appointment."
    )
