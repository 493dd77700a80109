"""The writes every appointment change shares: holding and letting go of the therapist's time (``holds``), the
per-day counter the daily maximum is a condition on, the index keys that put a live appointment in the therapist's
schedule, and its reminder. Services add these to the transaction of the change itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.expressions.update import Action

from chalicelib import clock
from chalicelib.errors import Conflict, FieldError, ValidationFailed
from chalicelib.services.scheduling import holds, slots
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction
from chalicelib.tables.scheduling import REMINDER_SHARD, Appointment, DayCount, KnownClients

TAKEN = "That time was just taken. Choose another."
DAY_FULL = "That day just filled up. Choose another day."
COUNTER_KEEP = timedelta(days=7)
CONFLICTS = {holds.LABEL: Conflict(TAKEN), "day": Conflict(DAY_FULL)}


@dataclass(frozen=True)
class Placement:
    """Where an appointment sits in its therapist's time: epoch minutes, the buffers it holds, its local date."""

    start: int
    end: int
    buffer_before: int
    buffer_after: int
    local_day: str

    @property
    def hold(self) -> holds.Hold:
        return holds.padded(self.start, self.end, self.buffer_before, self.buffer_after)


def placement(start: datetime, end: datetime, buffer_before: int, buffer_after: int, time_zone: str) -> Placement:
    begin, finish = slots.minutes(start), slots.minutes(end)
    if begin % holds.BLOCK or finish % holds.BLOCK:
        raise ValidationFailed("Times are on five-minute steps.", [FieldError("start", "Choose a time on a five-minute step.")])
    return Placement(begin, finish, buffer_before, buffer_after, slots.local_date(begin, slots.zone(time_zone)).isoformat())


def of_item(item: Appointment) -> Placement:
    return Placement(
        slots.minutes(item.start), slots.minutes(item.end), int(item.buffer_before or 0), int(item.buffer_after or 0), item.local_day
    )


def place(
    tx: Transaction,
    org_id: str,
    therapist_id: str,
    appointment_id: str,
    before: Placement | None,
    after: Placement | None,
    *,
    daily_max: int | None = None,
) -> None:
    """Move the appointment's hold from ``before`` to ``after`` (either None: booking, letting go); with
    ``daily_max`` the new day's count must stay below it. Failed conditions become the conflicts in ``CONFLICTS``."""
    for label, error in CONFLICTS.items():
        tx.conflicts.setdefault(label, error)
    holds.apply(tx, org_id, therapist_id, appointment_id, holds.plan(before.hold if before else None, after.hold if after else None))
    old_day, new_day = before.local_day if before else None, after.local_day if after else None
    if old_day == new_day:
        return
    pk = keys.org_pk(org_id)
    if old_day:
        tx.update(DayCount(pk, keys.day_count_sk(therapist_id, old_day)), actions=[DayCount.booked.add(-1)], add_version_condition=False)
    if new_day:
        expires = datetime.fromisoformat(new_day).replace(tzinfo=clock.now().tzinfo) + COUNTER_KEEP
        below = None if daily_max is None else (DayCount.booked.does_not_exist() | (DayCount.booked < daily_max))
        tx.update(
            DayCount(pk, keys.day_count_sk(therapist_id, new_day)),
            actions=[DayCount.booked.add(1), DayCount.expires.set(expires)],
            condition=below,
            label="day" if below is not None else None,
            add_version_condition=False,
        )


def listed(org_id: str, therapist_id: str, start: datetime, appointment_id: str, status: str) -> list[Action]:
    """Actions that put the appointment in its therapist's schedule (the ``by_therapist`` index) and the practice's
    day (``by_practice``: as a request while ``pending``)."""
    practice_key, practice_sk = practice_listing(org_id, start, appointment_id, status)
    return [
        Appointment.cal_pk.set(keys.calendar_key(org_id, therapist_id)),
        Appointment.cal_sk.set(keys.calendar_sk(clock.iso(start), appointment_id)),
        Appointment.prac_pk.set(practice_key),
        Appointment.prac_sk.set(practice_sk),
    ]


def practice_listing(org_id: str, start: datetime, appointment_id: str, status: str) -> tuple[str, str]:
    """The ``by_practice`` key and sort key of a live appointment of this status."""
    bucket = "pending" if status == "pending" else "booked"
    return keys.practice_calendar_key(org_id, bucket), keys.calendar_sk(clock.iso(start), appointment_id)


def unlisted() -> list[Action]:
    return [
        Appointment.cal_pk.remove(),
        Appointment.cal_sk.remove(),
        Appointment.prac_pk.remove(),
        Appointment.prac_sk.remove(),
        *no_reminder(),
    ]


def reminder_due(start: datetime, hours: int) -> str | None:
    if hours <= 0:
        return None
    due = start - timedelta(hours=hours)
    return clock.iso(due) if due > clock.now() else None


def reminder(start: datetime, hours: int) -> list[Action]:
    due = reminder_due(start, hours)
    if due is None:
        return no_reminder()
    return [Appointment.reminder_shard.set(REMINDER_SHARD), Appointment.reminder_due_at.set(due)]


def no_reminder() -> list[Action]:
    return [Appointment.reminder_shard.remove(), Appointment.reminder_due_at.remove()]


def known_actions(org_id: str, therapist_id: str, client_id: str) -> list[Action]:
    """The client becomes known to the therapist (may book when new clients may not): on any confirmation."""
    return [
        KnownClients.kind.set("known"),
        KnownClients.client_ids.add({client_id}),
        KnownClients.cal_pk.set(keys.calendar_key(org_id, therapist_id)),
        KnownClients.cal_sk.set(keys.KNOWN_CALENDAR_SK),
    ]
