"""Self-scheduling: a therapist's booking settings, appointments, the waitlist and its offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    duration_minutes: int
    price_cents: int | None
    modality: str  # "telehealth" | "in_person"


@dataclass(frozen=True)
class OpenHours:
    """Local "HH:MM" times; ``next_day``: the window ends on the following day."""

    start: str
    end: str
    next_day: bool = False


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # 0 = Monday
    hours: OpenHours


@dataclass(frozen=True)
class DateOverride:
    date: date
    windows: tuple[OpenHours, ...]  # none: a day off


@dataclass(frozen=True)
class BookingSettings:
    therapist_id: str
    booking_enabled: bool
    time_zone: str
    services: tuple[Service, ...]
    weekly: tuple[WeeklyHours, ...]
    overrides: tuple[DateOverride, ...]
    buffer_before_minutes: int
    buffer_after_minutes: int
    interval_minutes: int
    min_notice_hours: int
    horizon_days: int
    daily_max: int | None
    approval_required: bool
    cancel_window_hours: int
    late_cancel_policy: str
    new_clients_allowed: bool
    reminder_hours: int
    version: int  # 0 until first saved

    def service(self, service_id: str) -> Service | None:
        return next((service for service in self.services if service.id == service_id), None)


@dataclass(frozen=True)
class FeedState:
    active: bool
    created_at: datetime | None
    include_client_names: bool


@dataclass(frozen=True)
class IssuedFeed:
    url: str  # shown once: only the token's hash is stored
    state: FeedState


@dataclass(frozen=True)
class Appointment:
    id: str
    client_id: str
    therapist_id: str
    client_name: str
    therapist_name: str
    service_id: str | None
    service_name: str
    modality: str
    start: datetime
    end: datetime
    status: str  # "pending" | "confirmed" | "declined" | "cancelled" | "late_cancelled" | "attended" | "no_show"
    requested_by: str  # "client" | "staff"
    reason: str | None  # the decline or cancellation reason given to the client
    cancelled_by: str | None  # "client" | "staff"
    buffer_before_minutes: int
    buffer_after_minutes: int
    created_at: datetime
    updated_at: datetime
    version: int
    price_cents: int | None = None  # the service's price when booked
    invoice_id: str | None = None  # the invoice that bills it (staff only)


@dataclass(frozen=True)
class Bookable:
    """A therapist a client may book with, and what they offer online."""

    therapist_id: str
    name: str
    time_zone: str
    services: tuple[Service, ...]
    min_notice_hours: int
    horizon_days: int
    cancel_window_hours: int
    late_cancel_policy: str
    approval_required: bool


@dataclass(frozen=True)
class SlotPage:
    """Free starts for one service, from ``first_day`` on, and why there are none when there are none."""

    therapist_id: str
    service_id: str
    therapist_time_zone: str
    client_time_zone: str
    starts: tuple[datetime, ...]
    first_day: date
    last_day: date  # of this page
    next_opening: datetime | None  # the first free start at or after the page, within the horizon
    reason: str | None  # "closed" | "new_clients" | "no_hours" | "fully_booked" | None
    min_notice_hours: int
    horizon_days: int
    bookable_until: date  # the therapist's last bookable local date


@dataclass(frozen=True)
class WaitlistEntry:
    id: str
    therapist_id: str
    therapist_name: str
    service_id: str
    service_name: str
    time_of_day: str  # "morning" | "afternoon" | "evening" | "any"
    time_zone: str
    created_at: datetime


@dataclass(frozen=True)
class Offer:
    id: str
    therapist_id: str
    therapist_name: str
    service_id: str
    service_name: str
    start: datetime
    end: datetime
    status: str  # "open" | "claimed" | "taken"
    appointment_id: str | None


@dataclass(frozen=True)
class Waitlist:
    entries: tuple[WaitlistEntry, ...]
    offers: tuple[Offer, ...]
