"""A therapist's own booking settings: services offered online, weekly hours and date overrides in their time zone,
and the rules clients book under. Checked as a whole when saved (bad hours, two overrides for one date, a service no
window can hold, an unknown zone are 422 naming the field); saved with the version the form was loaded with."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain.scheduling import BookingSettings, DateOverride, OpenHours, Service, WeeklyHours
from chalicelib.errors import FieldError, StaleVersion, ValidationFailed
from chalicelib.services import validation
from chalicelib.services.scheduling import slots
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.scheduling import Schedule, hours_json, service_json, settings_of

STALE = "These settings changed in the meantime. Reload to see them."
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def defaults(therapist_id: str, time_zone: str) -> BookingSettings:
    """What a therapist who never saved settings starts from: weekday office hours, booking off."""
    office = OpenHours("09:00", "17:00")
    return BookingSettings(
        therapist_id=therapist_id,
        booking_enabled=False,
        time_zone=time_zone,
        services=(),
        weekly=tuple(WeeklyHours(weekday, office) for weekday in range(5)),
        overrides=(),
        buffer_before_minutes=0,
        buffer_after_minutes=10,
        interval_minutes=60,
        min_notice_hours=24,
        horizon_days=60,
        daily_max=None,
        approval_required=True,
        cancel_window_hours=24,
        late_cancel_policy="",
        new_clients_allowed=True,
        reminder_hours=24,
        version=0,
    )


def settings_for(principal: StaffPrincipal) -> BookingSettings:
    item = get_or_none(Schedule, keys.org_pk(principal.org_id), keys.schedule_sk(principal.id))
    return settings_of(item) if item is not None else defaults(principal.id, principal.practice.time_zone)


@dataclass(frozen=True)
class SettingsChange:
    version: int
    settings: BookingSettings  # services may carry id "" (new ones get an id here)


def save_settings(principal: StaffPrincipal, change: SettingsChange) -> BookingSettings:
    """Check everything, then write it in one conditional update (the version the form was loaded with)."""
    wanted = checked(replace(change.settings, therapist_id=principal.id))
    now = clock.now()
    item = Schedule(keys.org_pk(principal.org_id), keys.schedule_sk(principal.id))
    if change.version:
        item.version = change.version
    with transaction({"settings": StaleVersion(STALE)}) as tx:
        tx.update(
            item,
            actions=[
                Schedule.kind.set("settings"),
                Schedule.therapist_id.set(principal.id),
                Schedule.therapist_name.set(principal.name),
                Schedule.booking_enabled.set(wanted.booking_enabled),
                Schedule.time_zone.set(wanted.time_zone),
                Schedule.services.set([service_json(s) for s in wanted.services]),
                Schedule.weekly.set([{"weekday": w.weekday, **hours_json(w.hours)} for w in wanted.weekly]),
                Schedule.overrides.set(
                    [{"date": o.date.isoformat(), "windows": [hours_json(w) for w in o.windows]} for o in wanted.overrides]
                ),
                Schedule.buffer_before.set(wanted.buffer_before_minutes),
                Schedule.buffer_after.set(wanted.buffer_after_minutes),
                Schedule.interval.set(wanted.interval_minutes),
                Schedule.min_notice_hours.set(wanted.min_notice_hours),
                Schedule.horizon_days.set(wanted.horizon_days),
                Schedule.daily_max.set(wanted.daily_max) if wanted.daily_max is not None else Schedule.daily_max.remove(),
                Schedule.approval_required.set(wanted.approval_required),
                Schedule.cancel_window_hours.set(wanted.cancel_window_hours),
                Schedule.late_cancel_policy.set(wanted.late_cancel_policy),
                Schedule.new_clients_allowed.set(wanted.new_clients_allowed),
                Schedule.reminder_hours.set(wanted.reminder_hours),
                Schedule.updated_at.set(now),
                Schedule.cal_pk.set(keys.calendar_key(principal.org_id, principal.id)),
                Schedule.cal_sk.set(keys.SETTINGS_CALENDAR_SK),
            ],
            label="settings",
        )
        tx.save(audit.event(principal, "scheduling.settings_update", f"schedule/{principal.id}"))
    return replace(wanted, version=change.version + 1)


# ------------------------------------------------------------------------------------------------- checking


def checked(settings: BookingSettings) -> BookingSettings:
    errors: list[FieldError] = []
    try:
        validation.check_time_zone(settings.time_zone)
    except ValidationFailed as error:
        errors.extend(error.errors)
    errors.extend(_hours_errors(settings))
    services = tuple(replace(s, id=s.id or new_id("svc")) for s in settings.services)
    if len({s.id for s in services}) != len(services):
        errors.append(FieldError("services", "Each service may appear once."))
    if not errors:
        longest = longest_window(settings)
        for i, service in enumerate(services):
            if service.duration_minutes > longest:
                message = f"No window of your hours can hold {service.duration_minutes} minutes."
                errors.append(FieldError(f"services.{i}.duration_minutes", message))
    if errors:
        raise ValidationFailed(errors[0].message if len(errors) == 1 else "Some settings need attention.", errors)
    return replace(settings, services=services)


def _hours_errors(settings: BookingSettings) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, weekly in enumerate(settings.weekly):
        errors.extend(_window_errors(weekly.hours, f"weekly.{i}"))
    seen: set[date] = set()
    for i, override in enumerate(settings.overrides):
        if override.date in seen:
            errors.append(FieldError(f"overrides.{i}.date", f"{override.date:%d %B %Y} already has its own hours."))
        seen.add(override.date)
        for j, hours in enumerate(override.windows):
            errors.extend(_window_errors(hours, f"overrides.{i}.windows.{j}"))
    return errors


def minute_of(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def window_of(hours: OpenHours) -> slots.Window:
    start, end = minute_of(hours.start), minute_of(hours.end)
    return slots.Window(start, end + (slots.DAY if hours.next_day else 0))


def _window_errors(hours: OpenHours, field: str) -> list[FieldError]:
    window = window_of(hours)
    length = window.end - window.start
    if length == 0:
        return [FieldError(f"{field}.end", "A window needs some length: the end is the start.")]
    if length < 0:
        return [FieldError(f"{field}.end", "The end is before the start. Tick “ends the next day” for hours past midnight.")]
    if length > slots.DAY:
        return [FieldError(f"{field}.end", "A window may last at most 24 hours.")]
    return []


def longest_window(settings: BookingSettings) -> int:
    """The longest stretch of merged open hours in a typical week, or on any override date (minutes)."""
    week = [(w.weekday * slots.DAY + window_of(w.hours).start, w.weekday * slots.DAY + window_of(w.hours).end) for w in settings.weekly]
    # A window on Sunday that runs past midnight joins Monday's: look at the week twice over.
    twice = slots.merged([*week, *((s + 7 * slots.DAY, e + 7 * slots.DAY) for s, e in week)])
    longest = max((min(e - s, 7 * slots.DAY) for s, e in twice), default=0)
    for override in settings.overrides:
        merged = slots.merged((window_of(w).start, window_of(w).end) for w in override.windows)
        longest = max(longest, max((e - s for s, e in merged), default=0))
    return longest


# ------------------------------------------------------------------------------------------------ the engine


def rules_of(settings: BookingSettings) -> slots.Rules:
    weekly: list[list[slots.Window]] = [[] for _ in range(7)]
    for w in settings.weekly:
        weekly[w.weekday].append(window_of(w.hours))
    return slots.Rules(
        time_zone=settings.time_zone,
        weekly=weekly,
        overrides={o.date: [window_of(w) for w in o.windows] for o in settings.overrides},
        interval=settings.interval_minutes,
        buffer_before=settings.buffer_before_minutes,
        buffer_after=settings.buffer_after_minutes,
        notice=settings.min_notice_hours * 60,
        horizon_days=settings.horizon_days,
        daily_max=settings.daily_max,
    )


def service_for(settings: BookingSettings, service_id: str) -> Service:
    service = settings.service(service_id)
    if service is None:
        raise ValidationFailed("Choose one of the services offered.", [FieldError("service_id", "Not a service offered.")])
    return service


__all__ = ["DateOverride", "SettingsChange", "WeeklyHours", "defaults", "rules_of", "save_settings", "settings_for"]
