"""Each therapist's after-hours auto-reply (off unless they turn it on): outside the working hours they set, a
client who writes gets an automatic reply from them, with the practice's crisis text ("If this is an emergency, call
988 or 911"). At most one auto-reply per therapist and conversation in ``QUIET_HOURS``.

The hours live on the practice's record (``PracticeOfficeHours``), which every request reads with its session: a
client's send knows who is away without another call.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib import audit, clock
from chalicelib.auth.features import PracticeFacts
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.messaging import DEFAULT_AWAY_MESSAGE, OfficeHours
from chalicelib.errors import FieldError, StaleVersion, ValidationFailed
from chalicelib.tables import keys
from chalicelib.tables.base import transaction
from chalicelib.tables.organizations import PracticeOfficeHours

QUIET_HOURS = 12
MAX_MESSAGE = 500
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def my_hours(principal: StaffPrincipal) -> OfficeHours:
    return principal.practice.messaging.hours_of(principal.id)


def save_hours(principal: StaffPrincipal, hours: OfficeHours) -> OfficeHours:
    """Replace the caller's own hours. The map was read with the session; its revision guards the write, so two
    therapists saving at once cannot undo each other (the second is asked to try again)."""
    clean = _checked(hours, principal.name)
    policy = principal.practice.messaging
    every = {staff_id: value.as_json() for staff_id, value in policy.office_hours.items()}
    every[principal.id] = clean.as_json()
    revision = policy.office_hours_revision
    unchanged = (
        PracticeOfficeHours.office_hours_revision.does_not_exist()
        if revision == 0
        else PracticeOfficeHours.office_hours_revision == revision
    )
    stale = StaleVersion("Someone else saved office hours at the same moment. Please save again.")
    with transaction({"hours": stale}) as tx:
        tx.update(
            PracticeOfficeHours(keys.org_pk(principal.org_id), keys.ORGANIZATION_SK),
            actions=[PracticeOfficeHours.office_hours.set(every), PracticeOfficeHours.office_hours_revision.set(revision + 1)],
            condition=unchanged,
            label="hours",
            add_version_condition=False,
        )
        tx.save(audit.event(principal, "messages.office_hours", f"staff/{principal.id}"))
    return clean


def _checked(hours: OfficeHours, name: str) -> OfficeHours:
    days = tuple(sorted(set(hours.days)))
    if any(day < 1 or day > 7 for day in days) or (hours.enabled and not days):
        raise ValidationFailed("Choose the days you work.", [FieldError("days", "Choose at least one day, 1 (Monday) to 7 (Sunday).")])
    for field in ("start", "end"):
        if not TIME.match(getattr(hours, field)):
            raise ValidationFailed("Use a time like 09:00.", [FieldError(field, "Use a 24-hour time like 09:00.")])
    if hours.start >= hours.end:
        raise ValidationFailed("Your day must end after it starts.", [FieldError("end", "End after the start time.")])
    message = hours.message.strip()
    if len(message) > MAX_MESSAGE:
        text = f"Use at most {MAX_MESSAGE} characters."
        raise ValidationFailed(text, [FieldError("message", text)])
    return OfficeHours(enabled=hours.enabled, days=days, start=hours.start, end=hours.end, message=message, name=name)


def is_away(hours: OfficeHours, time_zone: str, at: datetime) -> bool:
    """Outside the working hours (in the practice's time zone) of someone who turned the auto-reply on."""
    if not hours.enabled:
        return False
    local = at.astimezone(ZoneInfo(time_zone))
    working = local.isoweekday() in hours.days and hours.start <= f"{local:%H:%M}" < hours.end
    return not working


def auto_repliers(practice: PracticeFacts, staff_ids: list[str], last_replies: dict[str, str], at: datetime) -> list[str]:
    """Who of ``staff_ids`` answers automatically now: away, and not already auto-replied here recently."""
    quiet = clock.iso(at - timedelta(hours=QUIET_HOURS))
    return [
        staff_id
        for staff_id in staff_ids
        if is_away(practice.messaging.hours_of(staff_id), practice.time_zone, at) and last_replies.get(staff_id, "") < quiet
    ]


def auto_reply_text(practice: PracticeFacts, staff_id: str) -> str:
    hours = practice.messaging.hours_of(staff_id)
    return f"{hours.message or DEFAULT_AWAY_MESSAGE}\n\n{practice.messaging.crisis_text}"


def auto_reply_sender(practice: PracticeFacts, staff_id: str) -> str:
    return practice.messaging.hours_of(staff_id).name or "Your therapist"
