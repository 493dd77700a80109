"""The slot engine: which start times a therapist offers for a service — pure Python (zoneinfo), no I/O.

Everything is computed in whole minutes since the Unix epoch (UTC), so the hot loop is integer arithmetic; local
wall-clock times are turned into instants once per day (once per window bound on a daylight-saving day).

The rules (docs/scheduling.md lists them with their tests, tests/unit/test_slots.py):

1. Availability is the therapist's weekly windows in their own time zone; a date override replaces that date's
   weekly windows (an override without windows is a day off). A window may cross midnight (it belongs to the day it
   opens on); overlapping or touching windows merge, also across midnight.
2. A slot lies wholly inside one merged window.
3. Slots sit on the therapist's clock grid: local times that are a whole number of intervals after local midnight
   (an hourly interval gives 10:00, 11:00 … even when a window opens at 09:30).
4. Buffers count on both sides: the new slot's [start − before, end + after) must not overlap any blocking
   appointment's [start − before, end + after) (each appointment keeps the buffers it was booked with). Only
   confirmed and pending appointments block — the caller passes only those.
5. Minimum notice runs from now to the slot's start.
6. "How far ahead" counts the therapist's local calendar days: a slot's local start date is at most today +
   ``horizon_days``.
7. The daily maximum counts the blocking appointments that start on the therapist's local date.
8. Daylight saving: a local time that does not exist (spring forward) moves forward by the gap (02:30 → 03:30 in New
   York), a repeated one (fall back) means its first occurrence — RFC 5545's reading (3.3.5), and Python's
   ``fold=0``. Grid points that land on the same instant count once.
9. Nothing here depends on the client's time zone: a client anywhere sees the same instants.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 1440
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """Open hours on one local day: minutes after that day's local midnight. ``end`` is after ``start`` and may pass
    1440 (a window that ends on the next day); it is at most ``start + 1440``."""

    start: int
    end: int


@dataclass(frozen=True)
class Rules:
    time_zone: str
    weekly: Sequence[Sequence[Window]]  # seven entries, Monday first (date.weekday())
    overrides: Mapping[date, Sequence[Window]] = field(default_factory=dict)
    interval: int = 30
    buffer_before: int = 0
    buffer_after: int = 0
    notice: int = 0  # minutes
    horizon_days: int = 60
    daily_max: int | None = None


@dataclass(frozen=True)
class Busy:
    """A blocking (confirmed or pending) appointment: epoch minutes, with the buffers it was booked with."""

    start: int
    end: int
    buffer_before: int = 0
    buffer_after: int = 0


@dataclass(frozen=True)
class Openings:
    starts: list[int]  # epoch minutes (UTC), ascending
    earliest: int  # now + notice, epoch minutes
    today: date  # the therapist's local date now
    last_day: date  # the last local date a slot may start on
    has_hours: bool  # any window at all in the horizon


def minutes(moment: datetime) -> int:
    """Epoch minutes of an aware datetime, rounded up to the next whole minute."""
    seconds = (moment - EPOCH).total_seconds()
    whole = int(seconds // 60)
    return whole if whole * 60 == seconds else whole + 1


def instant(epoch_minutes: int) -> datetime:
    return EPOCH + timedelta(minutes=epoch_minutes)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_minutes(day: date, minute: int, tz: ZoneInfo) -> int:
    """The instant of a local wall-clock time (``minute`` after ``day``'s midnight, may pass 1440), fold=0: a time in
    a spring-forward gap moves forward by the gap, a repeated one is its first occurrence."""
    day = day + timedelta(days=minute // DAY)
    minute %= DAY
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
    return int((local - EPOCH).total_seconds()) // 60


def local_date(epoch_minutes: int, tz: ZoneInfo) -> date:
    return instant(epoch_minutes).astimezone(tz).date()


class Calendar:
    """The therapist's local days from ``first`` to ``last`` (inclusive) as instants: each day's midnight, whether the
    day is a regular 24-hour one, and its grid points for an interval."""

    def __init__(self, tz: ZoneInfo, first: date, last: date) -> None:
        self.tz = tz
        self.first = first
        self.days = (last - first).days + 1
        # One more midnight than days: the end of the last day.
        self.midnights = [local_minutes(first + timedelta(days=i), 0, tz) for i in range(self.days + 1)]

    def day(self, index: int) -> date:
        return self.first + timedelta(days=index)

    def index_of(self, epoch_minutes: int) -> int:
        """The local day an instant falls on (-1 before the first day, ``days`` after the last)."""
        return bisect_right(self.midnights, epoch_minutes) - 1

    def regular(self, index: int) -> bool:
        return self.midnights[index + 1] - self.midnights[index] == DAY

    def at(self, index: int, minute: int) -> int:
        """A local time on day ``index`` as an instant (cheap on a regular day, zoneinfo on a DST day)."""
        if 0 <= minute < DAY and self.regular(index):
            return self.midnights[index] + minute
        return local_minutes(self.day(index), minute, self.tz)

    def grid(self, index: int, interval: int) -> list[int]:
        """Instants of the day's grid points (k × interval after local midnight), ascending, each once."""
        base = self.midnights[index]
        if self.regular(index):
            return list(range(base, base + DAY, interval))
        day = self.day(index)
        return sorted({local_minutes(day, k, self.tz) for k in range(0, DAY, interval)})


def windows_of(rules: Rules, day: date) -> Sequence[Window]:
    return rules.overrides.get(day, rules.weekly[day.weekday()])


def merged(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping or touching intervals joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def free_slots(
    rules: Rules,
    duration: int,
    busy: Iterable[Busy],
    now: datetime,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    ignore_busy: bool = False,
    ignore_daily_max: bool = False,
) -> Openings:
    """Every start the therapist offers for a ``duration``-minute service, from now to the horizon (or only the local
    days ``first_day``..``last_day`` within it). ``busy`` holds the blocking appointments."""
    tz = zone(rules.time_zone)
    busy = tuple(busy)
    now_minutes = minutes(now)
    earliest = now_minutes + rules.notice
    today = instant(now_minutes).astimezone(tz).date()
    last = today + timedelta(days=rules.horizon_days)
    first_wanted = max(today, first_day) if first_day else today
    last_wanted = min(last, last_day) if last_day else last
    if last_wanted < first_wanted:
        return Openings([], earliest, today, last, has_hours=False)
    # The day before the first wanted one: its window may run past midnight into it.
    cal = Calendar(tz, first_wanted - timedelta(days=1), last_wanted + timedelta(days=1))
    open_hours = merged((cal.at(i, w.start), cal.at(i, w.end)) for i in range(cal.days - 1) for w in windows_of(rules, cal.day(i)))
    blocked = _blocked(busy, rules, cal) if not ignore_busy else []
    per_day = _per_day(busy, cal) if rules.daily_max is not None and not ignore_daily_max else None
    low = max(earliest, cal.midnights[1])  # nothing before now + notice, or before the first wanted day
    high = cal.midnights[cal.days - 1]  # nothing on the padding day after the last wanted one
    starts = _starts(open_hours, cal, rules, duration, low, high, blocked, per_day)
    return Openings(starts, earliest, today, last, has_hours=bool(open_hours))


def _blocked(busy: Iterable[Busy], rules: Rules, cal: Calendar) -> list[tuple[int, int]]:
    """Padded appointments, merged; widened by the new slot's own buffers so one comparison decides overlap:
    [p − B, p + d + A) overlaps [s − b, e + a)  ⇔  p < e + a + B  and  s − b − A < p + d."""
    before, after = rules.buffer_before, rules.buffer_after
    lo, hi = cal.midnights[0] - DAY, cal.midnights[-1] + DAY
    return merged(
        (b.start - b.buffer_before - after, b.end + b.buffer_after + before) for b in busy if b.end + DAY > lo and b.start - DAY < hi
    )


def _per_day(busy: Iterable[Busy], cal: Calendar) -> dict[int, int]:
    counts: dict[int, int] = {}
    for b in busy:
        index = cal.index_of(b.start)
        if 0 <= index < cal.days:
            counts[index] = counts.get(index, 0) + 1
    return counts


def _starts(
    open_hours: list[tuple[int, int]],
    cal: Calendar,
    rules: Rules,
    duration: int,
    low: int,
    high: int,
    blocked: list[tuple[int, int]],
    per_day: dict[int, int] | None,
) -> list[int]:
    found: list[int] = []
    j, n = 0, len(blocked)
    for p in _candidates(open_hours, cal, rules, duration, low, high, per_day):
        # Blocked intervals end in ascending order (merged), and p only grows: skip the ones behind p.
        while j < n and blocked[j][1] <= p:
            j += 1
        if j == n or blocked[j][0] >= p + duration:
            found.append(p)
    return found


def _candidates(
    open_hours: list[tuple[int, int]], cal: Calendar, rules: Rules, duration: int, low: int, high: int, per_day: dict[int, int] | None
) -> Iterator[int]:
    """Grid points where the slot fits in a window, after ``low`` and before ``high``, on days not yet full."""
    grids: dict[int, list[int]] = {}
    for window_start, window_end in open_hours:
        first, last = max(window_start, low), min(window_end - duration, high - 1)
        if first > last:
            continue
        for index in range(cal.index_of(first), cal.index_of(last) + 1):
            if per_day is not None and per_day.get(index, 0) >= (rules.daily_max or 0):
                continue
            if index not in grids:
                grids[index] = cal.grid(index, rules.interval)
            grid = grids[index]
            yield from grid[bisect_left(grid, first) : bisect_right(grid, last)]


def offers(openings: Openings, start: int) -> bool:
    return start in set(openings.starts)


REFUSALS = ("past", "notice", "beyond_horizon", "not_offered", "taken", "day_full")


def why_not(rules: Rules, duration: int, busy: Sequence[Busy], now: datetime, start: datetime) -> str | None:
    """None if ``start`` is an offered slot; otherwise the first rule it breaks (one of ``REFUSALS``)."""
    tz = zone(rules.time_zone)
    at = minutes(start)
    if at < minutes(now):
        return "past"
    day = instant(at).astimezone(tz).date()
    full = free_slots(rules, duration, busy, now, first_day=day, last_day=day)
    if at in full.starts:
        return None
    if at < full.earliest:
        return "notice"
    if day > full.last_day:
        return "beyond_horizon"
    if at not in free_slots(rules, duration, (), now, first_day=day, last_day=day, ignore_busy=True).starts:
        return "not_offered"
    if at not in free_slots(rules, duration, busy, now, first_day=day, last_day=day, ignore_daily_max=True).starts:
        return "taken"
    return "day_full"


def by_local_day(starts: Iterable[int], time_zone: str) -> dict[date, list[int]]:
    """Slots grouped by their local date in a reader's zone (a client's), in order — presentation only: the
    instants are the therapist's, whatever zone reads them."""
    tz = zone(time_zone)
    days: dict[date, list[int]] = {}
    for start in starts:
        days.setdefault(instant(start).astimezone(tz).date(), []).append(start)
    return days


BLOCKING = frozenset({"pending", "confirmed"})


def blocks(status: str) -> bool:
    """Confirmed and pending appointments hold their time; cancelled, declined and the rest do not."""
    return status in BLOCKING
