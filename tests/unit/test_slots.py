"""The slot engine, rule by rule (docs/scheduling.md): windows, overrides, midnight, merging, the clock grid, buffers,
notice, horizon, daily maximum, daylight saving in New York and London, and clients in other (half-hour) zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.services.scheduling.slots import (
    Busy,
    Rules,
    Window,
    blocks,
    by_local_day,
    free_slots,
    instant,
    minutes,
    why_not,
)

NEW_YORK = "America/New_York"
LONDON = "Europe/London"
KOLKATA = "Asia/Kolkata"


def hm(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def window(start: str, end: str, *, next_day: bool = False) -> Window:
    return Window(hm(start), hm(end) + (1440 if next_day else 0))


def rules(zone: str = NEW_YORK, days: dict[int, list[Window]] | None = None, **changes: object) -> Rules:
    weekly = [list((days or {}).get(weekday, [])) for weekday in range(7)]
    base: dict[str, object] = {"time_zone": zone, "weekly": weekly, "interval": 60, "horizon_days": 60}
    return Rules(**{**base, **changes})  # type: ignore[arg-type]


def every_day(*windows: Window) -> dict[int, list[Window]]:
    return {weekday: list(windows) for weekday in range(7)}


def local(zone: str, text: str, *, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone), fold=fold)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def on(zone: str, day: str, starts: list[int]) -> list[str]:
    """The slots of one local day, as local "HH:MM" in ``zone``."""
    shown = [instant(s).astimezone(ZoneInfo(zone)) for s in starts]
    return [f"{m:%H:%M}" for m in shown if m.date() == date.fromisoformat(day)]


def slots(r: Rules, duration: int, now: datetime, busy: list[Busy] | None = None, **kw: object) -> list[int]:
    return free_slots(r, duration, busy or [], now, **kw).starts  # type: ignore[arg-type]


def busy(zone: str, start: str, end: str, before: int = 0, after: int = 0) -> Busy:
    return Busy(minutes(local(zone, start)), minutes(local(zone, end)), before, after)


# A Monday; the tests look at Tuesday 2026-11-24 unless they say otherwise.
MONDAY_MORNING = local(NEW_YORK, "2026-11-23T08:00")


# ------------------------------------------------------------------------------------------------- windows


def test_weekly_windows_give_slots_on_their_weekday_only() -> None:
    # Given Tuesday 09:00–12:00 in New York
    r = rules(days={1: [window("09:00", "12:00")]})

    # Then Tuesday has three hourly slots and Wednesday none
    found = slots(r, 60, MONDAY_MORNING)
    assert on(NEW_YORK, "2026-11-24", found) == ["09:00", "10:00", "11:00"]
    assert on(NEW_YORK, "2026-11-25", found) == []


def test_a_date_override_replaces_that_days_weekly_hours() -> None:
    # Given every day 09:00–12:00, but 14:00–16:00 on one Tuesday and a day off on Wednesday
    overrides = {date(2026, 11, 24): [window("14:00", "16:00")], date(2026, 11, 25): []}
    r = rules(days=every_day(window("09:00", "12:00")), overrides=overrides)

    # Then that Tuesday has only the override's hours, Wednesday nothing, Thursday the weekly hours
    found = slots(r, 60, MONDAY_MORNING)
    assert on(NEW_YORK, "2026-11-24", found) == ["14:00", "15:00"]
    assert on(NEW_YORK, "2026-11-25", found) == []
    assert on(NEW_YORK, "2026-11-26", found) == ["09:00", "10:00", "11:00"]


def test_a_window_may_cross_midnight() -> None:
    # Given Tuesday 22:00 to 02:00 on Wednesday
    r = rules(days={1: [window("22:00", "02:00", next_day=True)]})

    # Then the slots run through midnight
    found = slots(r, 60, MONDAY_MORNING)
    assert on(NEW_YORK, "2026-11-24", found) == ["22:00", "23:00"]
    assert on(NEW_YORK, "2026-11-25", found) == ["00:00", "01:00"]


def test_overlapping_and_touching_windows_merge() -> None:
    # Given 09:00–11:00 and 10:00–12:00 (overlapping), and 13:00–14:00 touching 14:00–15:00
    windows = [window("09:00", "11:00"), window("10:00", "12:00"), window("13:00", "14:00"), window("14:00", "15:00")]
    r = rules(days={1: windows}, interval=30)

    # Then a 90-minute service fits across each join
    found = slots(r, 90, MONDAY_MORNING)
    assert on(NEW_YORK, "2026-11-24", found) == ["09:00", "09:30", "10:00", "10:30", "13:00", "13:30"]


def test_a_slot_lies_wholly_inside_a_window() -> None:
    # Given a 60-minute window and a 90-minute service
    r = rules(days={1: [window("09:00", "10:00")]})

    # Then nothing fits
    assert on(NEW_YORK, "2026-11-24", slots(r, 90, MONDAY_MORNING)) == []


def test_slots_sit_on_the_clock_grid_even_when_a_window_opens_off_it() -> None:
    # Given an hourly interval and a window opening at 09:30
    r = rules(days={1: [window("09:30", "13:00")]})

    # Then slots start on the hour
    assert on(NEW_YORK, "2026-11-24", slots(r, 45, MONDAY_MORNING)) == ["10:00", "11:00", "12:00"]


# ------------------------------------------------------------------------------------------- appointments


def test_an_appointment_blocks_its_time() -> None:
    # Given 09:00–13:00 and an appointment 10:00–11:00
    r = rules(days={1: [window("09:00", "13:00")]})
    taken = [busy(NEW_YORK, "2026-11-24T10:00", "2026-11-24T11:00")]

    # Then 10:00 is gone and its neighbours stay
    assert on(NEW_YORK, "2026-11-24", slots(r, 60, MONDAY_MORNING, taken)) == ["09:00", "11:00", "12:00"]


def test_buffers_count_on_both_sides() -> None:
    # Given 15-minute buffers on both sides, a 15-minute grid, and an appointment 10:00–11:00 booked with them
    r = rules(days={1: [window("08:00", "13:00")]}, interval=15, buffer_before=15, buffer_after=15)
    taken = [busy(NEW_YORK, "2026-11-24T10:00", "2026-11-24T11:00", before=15, after=15)]

    # Then a 60-minute slot may end at 09:30 (its after-buffer meets the appointment's before-buffer) but not later,
    # and may start at 11:30 but not earlier
    found = on(NEW_YORK, "2026-11-24", slots(r, 60, MONDAY_MORNING, taken))
    assert "08:30" in found and "08:45" not in found and "09:00" not in found
    assert "11:15" not in found and "11:30" in found


def test_an_appointment_keeps_the_buffers_it_was_booked_with() -> None:
    # Given no buffers now, and an appointment booked when the after-buffer was 30 minutes
    r = rules(days={1: [window("09:00", "13:00")]}, interval=30)
    taken = [busy(NEW_YORK, "2026-11-24T10:00", "2026-11-24T11:00", after=30)]

    # Then its 30 minutes after still hold
    found = on(NEW_YORK, "2026-11-24", slots(r, 30, MONDAY_MORNING, taken))
    assert "11:00" not in found and "11:30" in found


def test_confirmed_and_pending_appointments_block_cancelled_and_declined_do_not() -> None:
    assert blocks("confirmed") and blocks("pending")
    assert not any(blocks(status) for status in ("cancelled", "declined", "late_cancelled", "attended", "no_show"))


# ------------------------------------------------------------------------------------ notice, horizon, max


def test_minimum_notice_runs_from_now_to_the_slots_start() -> None:
    # Given two hours' notice at 09:10 on Tuesday
    r = rules(days={1: [window("09:00", "14:00")]}, notice=120)
    now = local(NEW_YORK, "2026-11-24T09:10")

    # Then the first slot is 12:00 (11:00 is only 110 minutes away)
    assert on(NEW_YORK, "2026-11-24", slots(r, 60, now)) == ["12:00", "13:00"]


def test_how_far_ahead_counts_the_therapists_local_calendar_days() -> None:
    # Given a Los Angeles therapist open every evening, booking one day ahead, at 23:30 local (already the next day
    # in UTC)
    zone = "America/Los_Angeles"
    r = rules(zone, every_day(window("18:00", "20:00")), horizon_days=1)
    now = local(zone, "2026-11-23T17:30")

    # Then today and tomorrow (local) have slots, the day after does not
    found = slots(r, 60, now)
    assert on(zone, "2026-11-23", found) == ["18:00", "19:00"]
    assert on(zone, "2026-11-24", found) == ["18:00", "19:00"]
    assert on(zone, "2026-11-25", found) == []


def test_the_daily_maximum_counts_appointments_on_the_therapists_local_date() -> None:
    # Given at most two a day; Tuesday holds two (one at 23:30 local — Wednesday in UTC), Wednesday one
    r = rules(days=every_day(window("09:00", "12:00")), daily_max=2)
    taken = [
        busy(NEW_YORK, "2026-11-24T09:00", "2026-11-24T10:00"),
        busy(NEW_YORK, "2026-11-24T23:30", "2026-11-25T00:00"),
        busy(NEW_YORK, "2026-11-25T09:00", "2026-11-25T10:00"),
    ]

    # Then Tuesday is full and Wednesday still offers its free hours
    found = slots(r, 60, MONDAY_MORNING, taken)
    assert on(NEW_YORK, "2026-11-24", found) == []
    assert on(NEW_YORK, "2026-11-25", found) == ["10:00", "11:00"]


# ------------------------------------------------------------------------------------------ daylight saving


def test_new_york_spring_forward_moves_a_missing_time_forward() -> None:
    # Given Sunday 8 March 2026 (02:00 EST → 03:00 EDT), open 01:00–05:00, half-hourly 30-minute slots
    r = rules(days={6: [window("01:00", "05:00")]}, interval=30)
    now = local(NEW_YORK, "2026-03-06T12:00")

    # Then the grid's 02:00 and 02:30 become 03:00 and 03:30 (counted once): three real hours, six slots
    found = [s for s in slots(r, 30, now) if instant(s).astimezone(ZoneInfo(NEW_YORK)).date() == date(2026, 3, 8)]
    assert [f"{instant(s):%H:%M}" for s in found] == ["06:00", "06:30", "07:00", "07:30", "08:00", "08:30"]
    assert on(NEW_YORK, "2026-03-08", found) == ["01:00", "01:30", "03:00", "03:30", "04:00", "04:30"]


def test_new_york_spring_forward_a_window_opening_in_the_gap_opens_after_it() -> None:
    # Given a window from 02:30 (does not exist that day) to 05:00
    r = rules(days={6: [window("02:30", "05:00")]}, interval=30)
    now = local(NEW_YORK, "2026-03-06T12:00")

    # Then it opens at 03:30 EDT (02:30 moved forward by the hour)
    assert on(NEW_YORK, "2026-03-08", slots(r, 30, now)) == ["03:30", "04:00", "04:30"]


def test_new_york_fall_back_a_repeated_time_means_its_first_occurrence() -> None:
    # Given Sunday 1 November 2026 (02:00 EDT → 01:00 EST), open 00:00–03:00, hourly
    r = rules(days={6: [window("00:00", "03:00")]})
    now = local(NEW_YORK, "2026-10-30T12:00")

    # Then 01:00 is the first (EDT) one; the window ends at 03:00 EST (four real hours), and the repeated hour starts
    # no slot of its own
    found = [s for s in slots(r, 60, now) if utc("2026-11-01T00:00") <= instant(s) < utc("2026-11-02T00:00")]
    assert [f"{instant(s):%H:%M}" for s in found] == ["04:00", "05:00", "07:00"]


def test_new_york_fall_back_a_window_opening_at_a_repeated_time_opens_at_the_first() -> None:
    r = rules(days={6: [window("01:30", "03:00")]}, interval=30)
    now = local(NEW_YORK, "2026-10-30T12:00")
    found = [s for s in slots(r, 30, now) if utc("2026-11-01T00:00") <= instant(s) < utc("2026-11-02T00:00")]
    assert instant(found[0]) == local(NEW_YORK, "2026-11-01T01:30", fold=0).astimezone(UTC)
    assert instant(found[0]) == utc("2026-11-01T05:30")


def test_london_spring_forward_keeps_local_office_hours() -> None:
    # Given 09:00–11:00 every day in London, across Sunday 29 March 2026 (01:00 GMT → 02:00 BST)
    r = rules(LONDON, every_day(window("09:00", "11:00")))
    found = slots(r, 60, local(LONDON, "2026-03-27T12:00"))

    # Then slots stay at 09:00 local: 09:00 UTC on Saturday, 08:00 UTC from Sunday
    assert [f"{instant(s):%H:%M}" for s in found if instant(s).date() == date(2026, 3, 28)] == ["09:00", "10:00"]
    assert [f"{instant(s):%H:%M}" for s in found if instant(s).date() == date(2026, 3, 29)] == ["08:00", "09:00"]


def test_london_spring_forward_a_time_in_the_gap_moves_forward() -> None:
    # Given a window 00:30–03:00 on that Sunday; 01:30 does not exist
    r = rules(LONDON, {6: [window("00:30", "03:00")]}, interval=30)
    found = slots(r, 30, local(LONDON, "2026-03-27T12:00"))

    # Then 01:00 and 01:30 become 02:00 and 02:30 BST (once each): 00:30 GMT … 01:30 UTC
    assert on(LONDON, "2026-03-29", found) == ["00:30", "02:00", "02:30"]
    assert [f"{instant(s):%H:%M}" for s in found if instant(s).date() == date(2026, 3, 29)] == ["00:30", "01:00", "01:30"]


def test_london_fall_back_gives_the_longer_day_its_real_hours() -> None:
    # Given Sunday 25 October 2026 (02:00 BST → 01:00 GMT), open 00:00–04:00, hourly
    r = rules(LONDON, {6: [window("00:00", "04:00")]})
    found = slots(r, 60, local(LONDON, "2026-10-23T12:00"))

    # Then 00:00 BST, 01:00 BST (first), 02:00 GMT, 03:00 GMT: 23:00, 00:00, 02:00, 03:00 UTC
    day = [s for s in found if utc("2026-10-24T22:00") <= instant(s) < utc("2026-10-25T23:00")]
    assert [f"{instant(s):%d %H:%M}" for s in day] == ["24 23:00", "25 00:00", "25 02:00", "25 03:00"]


# ---------------------------------------------------------------------------------------------- client zones


def test_a_client_in_a_half_hour_zone_sees_the_same_instants_labelled_in_their_zone() -> None:
    # Given a New York therapist open Tuesday 13:00–15:00 (18:00–20:00 UTC)
    r = rules(days={1: [window("13:00", "15:00")]})
    found = slots(r, 60, MONDAY_MORNING)

    # When a client in Kolkata (UTC+05:30) groups them by their own dates
    days = by_local_day(found, KOLKATA)

    # Then 13:00 New York is 23:30 Tuesday in Kolkata, and 14:00 is 00:30 on Wednesday
    assert [f"{instant(s).astimezone(ZoneInfo(KOLKATA)):%H:%M}" for s in days[date(2026, 11, 24)]] == ["23:30"]
    assert [f"{instant(s).astimezone(ZoneInfo(KOLKATA)):%H:%M}" for s in days[date(2026, 11, 25)]] == ["00:30"]
    # And the instants are exactly the therapist's, whatever zone reads them
    assert sorted(s for day in days.values() for s in day) == found == sorted(s for d in by_local_day(found, "UTC").values() for s in d)


# ------------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        ("2026-11-24T10:00", None),
        ("2026-11-23T07:00", "past"),
        ("2026-11-23T09:00", "notice"),
        ("2026-11-24T10:30", "not_offered"),
        ("2026-11-24T18:00", "not_offered"),
        ("2026-11-24T09:00", "taken"),
        ("2027-02-01T10:00", "beyond_horizon"),
    ],
)
def test_why_a_start_is_not_offered(start: str, reason: str | None) -> None:
    # Given every day 09:00–12:00, four hours' notice, an appointment Tuesday 09:00
    r = rules(days=every_day(window("09:00", "12:00")), notice=240)
    taken = [busy(NEW_YORK, "2026-11-24T09:00", "2026-11-24T10:00")]

    # Then each start is refused for the rule it breaks
    assert why_not(r, 60, taken, MONDAY_MORNING, local(NEW_YORK, start)) == reason


def test_a_full_day_is_refused_as_full() -> None:
    r = rules(days=every_day(window("09:00", "12:00")), daily_max=1)
    taken = [busy(NEW_YORK, "2026-11-24T09:00", "2026-11-24T10:00")]
    assert why_not(r, 60, taken, MONDAY_MORNING, local(NEW_YORK, "2026-11-24T11:00")) == "day_full"


def test_ninety_days_with_many_appointments_is_fast_enough_to_list() -> None:
    # A smoke check of the shape the bench measures (bench/slots.py reports the figure).
    r = rules(days={d: [window("09:00", "17:00")] for d in range(5)}, interval=15, horizon_days=90)
    start = minutes(MONDAY_MORNING)
    taken = [Busy(start + 1440 * (i // 6) + 60 * (i % 6) + 60, start + 1440 * (i // 6) + 60 * (i % 6) + 110) for i in range(500)]
    found = free_slots(r, 50, taken, MONDAY_MORNING)
    assert found.starts and found.last_day == MONDAY_MORNING.date() + timedelta(days=90)
