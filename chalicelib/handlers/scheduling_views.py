"""Request and response models shared by the scheduling handlers (staff, client, feed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain import scheduling as domain
from chalicelib.handlers.api import Strict, View
from chalicelib.text import Line

Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][05]$", description="Local time, HH:MM on a five-minute step")]
Modality = Literal["telehealth", "in_person"]
Status = Literal["pending", "confirmed", "declined", "cancelled", "late_cancelled", "attended", "no_show"]


class ServiceView(View):
    id: str
    name: str
    duration_minutes: int
    price_cents: int | None
    modality: Modality

    @classmethod
    def of(cls, service: domain.Service) -> ServiceView:
        return cls.model_validate(service, from_attributes=True)


class ServiceModel(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{0,40}$", description="Empty for a new service")] = ""
    name: Line = Field(min_length=1, max_length=80)
    duration_minutes: int = Field(ge=10, le=180, multiple_of=5)
    price_cents: int | None = Field(default=None, ge=0, le=10_000_000)
    modality: Modality

    def domain(self) -> domain.Service:
        return domain.Service(self.id, self.name.strip(), self.duration_minutes, self.price_cents, self.modality)


class HoursModel(Strict):
    start: Clock
    end: Clock
    next_day: bool = False

    def domain(self) -> domain.OpenHours:
        return domain.OpenHours(self.start, self.end, self.next_day)


class WeeklyModel(HoursModel):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")


class OverrideModel(Strict):
    date: date
    windows: list[HoursModel] = Field(default_factory=list, max_length=10, description="None: a day off")


class BookingSettingsModel(Strict):
    """A therapist's booking settings, written whole (with the version they were read at; 0 the first time)."""

    version: int = Field(ge=0)
    booking_enabled: bool
    time_zone: Line = Field(max_length=64)
    services: list[ServiceModel] = Field(max_length=20)
    weekly: list[WeeklyModel] = Field(max_length=70)
    overrides: list[OverrideModel] = Field(max_length=366)
    buffer_before_minutes: int = Field(ge=0, le=30, multiple_of=5)
    buffer_after_minutes: int = Field(ge=0, le=30, multiple_of=5)
    interval_minutes: int = Field(ge=5, le=180, multiple_of=5)
    min_notice_hours: int = Field(ge=0, le=720)
    horizon_days: int = Field(ge=1, le=365)
    daily_max: int | None = Field(default=None, ge=1, le=50)
    approval_required: bool
    cancel_window_hours: int = Field(ge=0, le=720)
    late_cancel_policy: str = Field(max_length=1000)
    new_clients_allowed: bool
    reminder_hours: int = Field(ge=0, le=168, description="0: no reminder")

    def domain(self, therapist_id: str) -> domain.BookingSettings:
        return domain.BookingSettings(
            therapist_id=therapist_id,
            booking_enabled=self.booking_enabled,
            time_zone=self.time_zone.strip(),
            services=tuple(s.domain() for s in self.services),
            weekly=tuple(domain.WeeklyHours(w.weekday, w.domain()) for w in self.weekly),
            overrides=tuple(domain.DateOverride(o.date, tuple(w.domain() for w in o.windows)) for o in self.overrides),
            buffer_before_minutes=self.buffer_before_minutes,
            buffer_after_minutes=self.buffer_after_minutes,
            interval_minutes=self.interval_minutes,
            min_notice_hours=self.min_notice_hours,
            horizon_days=self.horizon_days,
            daily_max=self.daily_max,
            approval_required=self.approval_required,
            cancel_window_hours=self.cancel_window_hours,
            late_cancel_policy=self.late_cancel_policy.strip(),
            new_clients_allowed=self.new_clients_allowed,
            reminder_hours=self.reminder_hours,
            version=self.version,
        )


class BookingSettingsView(View):
    version: int
    booking_enabled: bool
    time_zone: str
    services: list[ServiceView]
    weekly: list[WeeklyModel]
    overrides: list[OverrideModel]
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

    @classmethod
    def of(cls, settings: domain.BookingSettings) -> BookingSettingsView:
        return cls(
            version=settings.version,
            booking_enabled=settings.booking_enabled,
            time_zone=settings.time_zone,
            services=[ServiceView.of(s) for s in settings.services],
            weekly=[
                WeeklyModel(weekday=w.weekday, start=w.hours.start, end=w.hours.end, next_day=w.hours.next_day) for w in settings.weekly
            ],
            overrides=[
                OverrideModel(date=o.date, windows=[HoursModel(start=w.start, end=w.end, next_day=w.next_day) for w in o.windows])
                for o in settings.overrides
            ],
            buffer_before_minutes=settings.buffer_before_minutes,
            buffer_after_minutes=settings.buffer_after_minutes,
            interval_minutes=settings.interval_minutes,
            min_notice_hours=settings.min_notice_hours,
            horizon_days=settings.horizon_days,
            daily_max=settings.daily_max,
            approval_required=settings.approval_required,
            cancel_window_hours=settings.cancel_window_hours,
            late_cancel_policy=settings.late_cancel_policy,
            new_clients_allowed=settings.new_clients_allowed,
            reminder_hours=settings.reminder_hours,
        )


class AppointmentView(View):
    """An appointment as staff see it."""

    id: str
    client_id: str
    client_name: str
    therapist_id: str
    therapist_name: str
    service_id: str | None
    service_name: str
    modality: Modality
    start: datetime
    end: datetime
    status: Status
    requested_by: Literal["client", "staff"]
    reason: str | None
    cancelled_by: Literal["client", "staff"] | None
    buffer_before_minutes: int
    buffer_after_minutes: int
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, appointment: domain.Appointment) -> AppointmentView:
        return cls.model_validate(appointment, from_attributes=True)


class AppointmentListView(View):
    items: list[AppointmentView]


class ClientAppointmentView(View):
    """An appointment as the client sees it (their own)."""

    id: str
    therapist_id: str
    therapist_name: str
    service_id: str | None
    service_name: str
    modality: Modality
    start: datetime
    end: datetime
    status: Status
    reason: str | None
    cancelled_by: Literal["client", "staff"] | None

    @classmethod
    def of(cls, appointment: domain.Appointment) -> ClientAppointmentView:
        return cls.model_validate(appointment, from_attributes=True)


class ClientAppointmentListView(View):
    items: list[ClientAppointmentView]


class ReasonRequest(Strict):
    reason: str | None = Field(default=None, max_length=500)


class DeclineRequest(Strict):
    reason: str = Field(min_length=1, max_length=500)


class StartRequest(Strict):
    start: datetime = Field(description="An instant with its offset, e.g. 2026-11-24T15:00:00Z")


def aware(start: datetime, field: str = "start") -> datetime:
    from chalicelib.errors import FieldError, ValidationFailed

    if start.tzinfo is None:
        raise ValidationFailed("Give the time with its offset (Z or ±hh:mm).", [FieldError(field, "The time needs an offset.")])
    return start
