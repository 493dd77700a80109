"""Self-scheduling: therapists' booking settings, appointments (PHI), the claims that keep one appointment per
stretch of a therapist's time, the waitlist and its offers, calendar feeds.

Layout (one partition per organization, plus the global feed keys):
  ORG#{org} / SCHED#{therapist}            a therapist's booking settings (services, hours, rules) — versioned
  ORG#{org} / KNOWN#{therapist}            the clients the therapist has seen (may book when new clients may not)
  ORG#{org} / APPT#{client}#{appointment}  an appointment (the client's id in the key: a client reads only theirs)
  ORG#{org} / HOUR#{therapist}#{minute}    one hour of the therapist's time: held whole, or shared by block claims
  ORG#{org} / SLOT#{therapist}#{minute}    the claim on one five-minute block of the therapist's time
  ORG#{org} / DAY#{therapist}#{date}       how many live appointments start on the therapist's local date
  ORG#{org} / WL#{client}#E#{entry}        a waitlist entry
  ORG#{org} / WL#{client}#O#{offer}        an offer of freed time to a waitlisted client
  ORG#{org} / FEEDSET#{therapist}          the therapist's calendar feed: its token's hash, whether names show
  FEED#{sha256} / FEED                     a therapist's private calendar feed (only the token's hash)

Indexes:
  ``by_practice`` (``prac_pk``, ``prac_sk``): a practice's live appointments by start, requests waiting for approval
  (``{org}#pending``) apart from the booked ones (``{org}#booked``) — the administrator's dashboard. Sparse like
  ``by_therapist``.
  ``by_therapist`` (``cal_pk``, ``cal_sk``): under ``{org}#{therapist}`` the settings (``~settings``), the known
  clients (``~known``) and every live appointment by start — so slots need one Query for everything; under
  ``{org}#{therapist}#wait`` the waitlist, oldest first. Cancelled and declined appointments leave it (sparse).
  ``by_reminder`` (``reminder_shard``, ``reminder_due_at``): confirmed appointments whose reminder is still to go.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.domain import scheduling as domain
from chalicelib.tables.base import PortalModel

SHORT_NAME = "scheduling"
REMINDER_SHARD = "due"


class ByTherapistIndex(GlobalSecondaryIndex["Appointment"]):
    class Meta:
        index_name = "by_therapist"
        projection = AllProjection()

    cal_pk = UnicodeAttribute(hash_key=True)
    cal_sk = UnicodeAttribute(range_key=True)


class ByReminderIndex(GlobalSecondaryIndex["Appointment"]):
    class Meta:
        index_name = "by_reminder"
        projection = AllProjection()

    reminder_shard = UnicodeAttribute(hash_key=True)
    reminder_due_at = UnicodeAttribute(range_key=True)


class ByPracticeIndex(GlobalSecondaryIndex["Appointment"]):
    class Meta:
        index_name = "by_practice"
        projection = AllProjection()

    prac_pk = UnicodeAttribute(hash_key=True)
    prac_sk = UnicodeAttribute(range_key=True)


class SchedulingModel(PortalModel):
    """Every model of the table declares its indexes: the shared connection learns the table's layout from whichever
    model it meets first, and the index Queries need it to know both."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    by_therapist = ByTherapistIndex()
    by_reminder = ByReminderIndex()
    by_practice = ByPracticeIndex()


class Appointment(SchedulingModel):
    """An appointment. ``cal_pk``/``cal_sk`` are present while it holds or held the therapist's time (pending,
    confirmed, attended, no-show); ``reminder_*`` while a reminder is still to be sent."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="appointment")
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    therapist_id = UnicodeAttribute()
    # Names as they were when booked: the calendar and the feed list appointments without reading each client.
    client_name = UnicodeAttribute()
    therapist_name = UnicodeAttribute()
    service_id = UnicodeAttribute(null=True)
    service_name = UnicodeAttribute()
    modality = UnicodeAttribute()
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    buffer_before = NumberAttribute(default=0)
    buffer_after = NumberAttribute(default=0)
    local_day = UnicodeAttribute()  # the therapist's local date of the start (its DAY# counter)
    time_zone = UnicodeAttribute()  # the therapist's, when booked
    # The rules the appointment was made under: the client may cancel or move it up to this many hours before;
    # the reminder goes this many hours before (0: none).
    cancel_window_hours = NumberAttribute(default=0)
    reminder_hours = NumberAttribute(default=0)
    status = UnicodeAttribute()
    requested_by = UnicodeAttribute()  # "client" | "staff"
    reason = UnicodeAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)
    offer_id = UnicodeAttribute(null=True)
    # The service's price when it was booked (cents; none for a plain appointment of a length), and the invoice that
    # bills it: set once, on the condition that none does, in the invoice's own transaction (services/payments/billable.py).
    price_cents = NumberAttribute(null=True)
    invoice_id = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    cal_pk = UnicodeAttribute(null=True)
    cal_sk = UnicodeAttribute(null=True)
    reminder_shard = UnicodeAttribute(null=True)
    reminder_due_at = UnicodeAttribute(null=True)
    # While live, like ``cal_*``: the practice's requests (``{org}#pending``) or booked appointments (``{org}#booked``)
    # by start, for the administrator's dashboard.
    prac_pk = UnicodeAttribute(null=True)
    prac_sk = UnicodeAttribute(null=True)
    # Never set on an appointment (records are kept); declared here, on the model that defines the table, so the
    # table's TTL is on for the claims, day counters and offers that do expire.
    expires = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


class Schedule(SchedulingModel):
    """A therapist's booking settings. The weekly hours, overrides and services are small JSON documents."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="settings")
    therapist_id = UnicodeAttribute()
    therapist_name = UnicodeAttribute(default="")  # as of the last save: clients see it, with no read of the staff record
    booking_enabled = BooleanAttribute(default=False)
    time_zone = UnicodeAttribute()
    services = JSONAttribute(default=list)
    weekly = JSONAttribute(default=list)
    overrides = JSONAttribute(default=list)
    buffer_before = NumberAttribute(default=0)
    buffer_after = NumberAttribute(default=0)
    interval = NumberAttribute(default=30)
    min_notice_hours = NumberAttribute(default=24)
    horizon_days = NumberAttribute(default=60)
    daily_max = NumberAttribute(null=True)
    approval_required = BooleanAttribute(default=True)
    cancel_window_hours = NumberAttribute(default=24)
    late_cancel_policy = UnicodeAttribute(default="")
    new_clients_allowed = BooleanAttribute(default=True)
    reminder_hours = NumberAttribute(default=24)
    updated_at = UTCDateTimeAttribute()
    cal_pk = UnicodeAttribute()
    cal_sk = UnicodeAttribute()
    version = VersionAttribute()


class FeedSetting(SchedulingModel):
    """A therapist's calendar feed: the hash of its token (never the token), when it was issued, whether it shows
    client names. Its own item, so issuing or revoking a feed never makes the settings form stale."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    token_hash = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    include_names = BooleanAttribute(default=False)


class KnownClients(SchedulingModel):
    """The clients a therapist has confirmed an appointment with: they may book even when new clients may not."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="known")
    client_ids = UnicodeSetAttribute(null=True)
    cal_pk = UnicodeAttribute(null=True)
    cal_sk = UnicodeAttribute(null=True)


class BlockClaim(SchedulingModel):
    """One five-minute block of a therapist's time, held by one appointment (``expires``: gone a week after)."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    appointment_id = UnicodeAttribute()
    expires = UTCDateTimeAttribute()


class HourClaim(SchedulingModel):
    """One hour of a therapist's time: ``held_by`` one appointment that covers all of it, or ``shared`` by that many
    five-minute claims inside it — never both (services/scheduling/holds.py)."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    held_by = UnicodeAttribute(null=True)
    shared = NumberAttribute(null=True)
    expires = UTCDateTimeAttribute(null=True)


class DayCount(SchedulingModel):
    """Live appointments starting on a therapist's local date; the daily maximum is a condition on it."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    booked = NumberAttribute(default=0)  # not "count": Model.count is a method
    expires = UTCDateTimeAttribute(null=True)


class WaitlistEntry(SchedulingModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="waitlist")
    id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    therapist_id = UnicodeAttribute()
    therapist_name = UnicodeAttribute()
    service_id = UnicodeAttribute()
    service_name = UnicodeAttribute()
    time_of_day = UnicodeAttribute()
    time_zone = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    cal_pk = UnicodeAttribute()
    cal_sk = UnicodeAttribute()


class Offer(SchedulingModel):
    """Freed time offered to a waitlisted client; the first offer claimed books it (its claims decide), and marks
    the others of the same opening ``taken``."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="offer")
    id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    therapist_id = UnicodeAttribute()
    therapist_name = UnicodeAttribute()
    service_id = UnicodeAttribute()
    service_name = UnicodeAttribute()
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    status = UnicodeAttribute(default="open")
    appointment_id = UnicodeAttribute(null=True)
    # The other offers of the same opening, "client_id/offer_id": the claim marks them taken.
    siblings = UnicodeSetAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires = UTCDateTimeAttribute()


class FeedKey(SchedulingModel):
    """``FEED#{sha256(token)}`` → the therapist whose calendar the feed shows."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="FEED")
    org_id = UnicodeAttribute()
    therapist_id = UnicodeAttribute()
    include_names = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute()


# ------------------------------------------------------------------------------------------ to domain objects


def appointment_of(item: Appointment) -> domain.Appointment:
    return domain.Appointment(
        id=item.id,
        client_id=item.client_id,
        therapist_id=item.therapist_id,
        client_name=item.client_name,
        therapist_name=item.therapist_name,
        service_id=item.service_id,
        service_name=item.service_name,
        modality=item.modality,
        start=item.start,
        end=item.end,
        status=item.status,
        requested_by=item.requested_by,
        reason=item.reason,
        cancelled_by=item.cancelled_by,
        buffer_before_minutes=int(item.buffer_before or 0),
        buffer_after_minutes=int(item.buffer_after or 0),
        created_at=item.created_at,
        updated_at=item.updated_at,
        version=int(item.version or 0),
        price_cents=int(item.price_cents) if item.price_cents is not None else None,
        invoice_id=item.invoice_id,
    )


def _hours(data: dict[str, Any]) -> domain.OpenHours:
    return domain.OpenHours(start=str(data["start"]), end=str(data["end"]), next_day=bool(data.get("next_day", False)))


def hours_json(hours: domain.OpenHours) -> dict[str, Any]:
    return {"start": hours.start, "end": hours.end, "next_day": hours.next_day}


def service_json(service: domain.Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "name": service.name,
        "duration_minutes": service.duration_minutes,
        "price_cents": service.price_cents,
        "modality": service.modality,
    }


def settings_of(item: Schedule) -> domain.BookingSettings:
    return domain.BookingSettings(
        therapist_id=item.therapist_id,
        booking_enabled=bool(item.booking_enabled),
        time_zone=item.time_zone,
        services=tuple(
            domain.Service(
                id=str(s["id"]),
                name=str(s["name"]),
                duration_minutes=int(s["duration_minutes"]),
                price_cents=None if s.get("price_cents") is None else int(s["price_cents"]),
                modality=str(s["modality"]),
            )
            for s in item.services or []
        ),
        weekly=tuple(domain.WeeklyHours(weekday=int(w["weekday"]), hours=_hours(w)) for w in item.weekly or []),
        overrides=tuple(
            domain.DateOverride(date=date.fromisoformat(str(o["date"])), windows=tuple(_hours(w) for w in o.get("windows", [])))
            for o in item.overrides or []
        ),
        buffer_before_minutes=int(item.buffer_before or 0),
        buffer_after_minutes=int(item.buffer_after or 0),
        interval_minutes=int(item.interval or 30),
        min_notice_hours=int(item.min_notice_hours or 0),
        horizon_days=int(item.horizon_days or 60),
        daily_max=None if item.daily_max is None else int(item.daily_max),
        approval_required=bool(item.approval_required),
        cancel_window_hours=int(item.cancel_window_hours or 0),
        late_cancel_policy=item.late_cancel_policy or "",
        new_clients_allowed=bool(item.new_clients_allowed),
        reminder_hours=int(item.reminder_hours or 0),
        version=int(item.version or 0),
    )


def feed_state_of(item: FeedSetting | None) -> domain.FeedState:
    if item is None:
        return domain.FeedState(active=False, created_at=None, include_client_names=False)
    return domain.FeedState(active=True, created_at=item.created_at, include_client_names=bool(item.include_names))


def entry_of(item: WaitlistEntry) -> domain.WaitlistEntry:
    return domain.WaitlistEntry(
        id=item.id,
        therapist_id=item.therapist_id,
        therapist_name=item.therapist_name,
        service_id=item.service_id,
        service_name=item.service_name,
        time_of_day=item.time_of_day,
        time_zone=item.time_zone,
        created_at=item.created_at,
    )


def offer_of(item: Offer) -> domain.Offer:
    return domain.Offer(
        id=item.id,
        therapist_id=item.therapist_id,
        therapist_name=item.therapist_name,
        service_id=item.service_id,
        service_name=item.service_name,
        start=item.start,
        end=item.end,
        status=item.status,
        appointment_id=item.appointment_id,
    )


# ------------------------------------------------------------------------------------------------- reading


def from_raw(item: dict[str, Any]) -> Appointment | Schedule | KnownClients | WaitlistEntry | None:
    """An item of the ``by_therapist`` index as its model (the index holds several kinds)."""
    kind = item.get("kind", {}).get("S")
    model: Any = {"appointment": Appointment, "settings": Schedule, "known": KnownClients, "waitlist": WaitlistEntry}.get(kind or "")
    return model.from_raw_data(item) if model is not None else None
