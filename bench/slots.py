"""Slot computation for one therapist: 90 days ahead, 500 appointments already booked (DESIGN.md: <= 5 ms).

The pure engine (chalicelib/services/scheduling/slots.py) alone, as the slot listing route runs it after its one
Query: open 08:00-20:00 every day in New York, a 15-minute grid, 50-minute sessions with 10-minute buffers,
24 hours' notice, no daily maximum (so no day is skipped early); the 500 appointments spread over the 90 days,
leaving gaps. A warm-up run first, then the best and the
median of many runs."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import Verdict, heading, ms, table

BUDGET_SECONDS = 0.005
RUNS = 200


def _case(appointments: int) -> tuple[object, list[object], datetime]:
    from chalicelib.services.scheduling.slots import Busy, Rules, Window, minutes

    now = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    hours = [Window(8 * 60, 20 * 60)]
    rules = Rules(
        time_zone="America/New_York",
        weekly=[hours] * 7,
        interval=15,
        buffer_before=10,
        buffer_after=10,
        notice=24 * 60,
        horizon_days=90,
    )
    # 13:00 UTC is 08:00 in New York: each day's first appointment at its opening, then one every two hours and a bit.
    start = minutes(now)
    busy: list[object] = []
    for i in range(appointments):
        day, slot = divmod(i, max(1, -(-appointments // 90)))
        begin = start + 1440 * day + 135 * slot
        busy.append(Busy(begin, begin + 50, 10, 10))
    return rules, busy, now


def _time(appointments: int) -> tuple[list[float], int]:
    from chalicelib.services.scheduling.slots import Busy, Rules, free_slots

    rules, busy, now = _case(appointments)
    assert isinstance(rules, Rules)
    blocking = [b for b in busy if isinstance(b, Busy)]
    found = free_slots(rules, 50, blocking, now)  # warm-up: zone data, caches
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = free_slots(rules, 50, blocking, now)
        timings.append(time.perf_counter() - started)
    return timings, len(found.starts)


def measure(root: Path) -> tuple[str, list[Verdict]]:
    rows = []
    figure = 0.0
    for appointments in (0, 100, 500, 1000):
        timings, found = _time(appointments)
        rows.append([str(appointments), str(RUNS), ms(min(timings)), ms(statistics.median(timings)), str(found)])
        if appointments == 500:
            figure = statistics.median(timings)
    within = figure <= BUDGET_SECONDS
    text = "\n".join(
        [
            heading("6. Slot computation"),
            "free_slots (pure Python, zoneinfo): one therapist, 90 days, open 08:00-20:00, 15-minute grid, 50-minute sessions,",
            "10-minute buffers, 24 hours' notice; after one warm-up run.",
            "",
            table(["appointments", "runs", "min", "median", "free slots"], rows, right=(0, 1, 2, 3, 4)),
            "",
            f"slots: 90 days, 500 appointments: {ms(figure)} median (budget 5 ms) — {'within' if within else 'OVER'}",
        ]
    )
    return text, [Verdict("slots: one therapist, 90 days, 500 bookings <= 5 ms", within, f"{ms(figure)} median")]
