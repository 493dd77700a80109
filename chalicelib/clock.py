"""The one source of "now". Tests move time with ``freeze``/``advance`` instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_frozen: list[datetime] = []


def now() -> datetime:
    return _frozen[-1] if _frozen else datetime.now(UTC)


def freeze(at: datetime) -> None:
    _frozen.clear()
    _frozen.append(at.astimezone(UTC))


def advance(by: timedelta) -> None:
    freeze(now() + by)


def unfreeze() -> None:
    _frozen.clear()


@contextmanager
def set_back_to(moment: datetime) -> Iterator[None]:
    """Now is ``moment`` inside the block; afterwards time is as it was (frozen or not). For the demo seed's history."""
    saved = list(_frozen)
    freeze(moment)
    try:
        yield
    finally:
        _frozen[:] = saved


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ------------------------------------------------------------------------------------ times people read

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def zone_or_utc(name: object) -> ZoneInfo:
    """The named IANA zone, or UTC when it is missing or unknown (a record is shown even if its zone was withdrawn)."""
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def readable_date(day: date) -> str:
    """date(1990, 4, 12) -> "12 April 1990" (English, whatever the machine's locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def readable_time(moment: datetime, zone: ZoneInfo | str) -> str:
    """A moment as a person in ``zone`` reads it, labelled with the zone: "23 November 2026, 3:00 AM CST". Never UTC
    with microseconds; zones without a letter abbreviation are named by offset ("UTC+07")."""
    local = moment.astimezone(zone if isinstance(zone, ZoneInfo) else zone_or_utc(zone))
    hour = local.hour % 12 or 12
    abbreviation = local.tzname() or "UTC"
    if abbreviation[0] in "+-":
        abbreviation = f"UTC{abbreviation}"
    return f"{readable_date(local.date())}, {hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} {abbreviation}"
