"""How an appointment's time becomes claim items: whole hours and five-minute blocks, and the difference a move
writes (services/scheduling/holds.py; the conditions themselves are exercised by the API race test)."""

from __future__ import annotations

import pytest

from chalicelib.services.scheduling.holds import HourChange, hold_of, plan

H = 60 * 1000  # an hour boundary, in epoch minutes


def test_whole_hours_are_one_item_and_the_ends_are_blocks() -> None:
    # 09:30–12:10 (in minutes after an hour boundary at 09:00)
    hold = hold_of(H + 30, H + 190)
    assert hold.whole == frozenset({H + 60, H + 120})
    assert hold.blocks == {H: frozenset(range(H + 30, H + 60, 5)), H + 180: frozenset({H + 180, H + 185})}


def test_an_interval_inside_one_hour_is_blocks_only() -> None:
    hold = hold_of(H + 10, H + 40)
    assert hold.whole == frozenset() and hold.blocks == {H: frozenset(range(H + 10, H + 40, 5))}


def test_times_off_the_five_minute_grid_are_refused() -> None:
    with pytest.raises(ValueError):
        hold_of(H + 3, H + 60)


def test_the_longest_stretch_needs_few_items() -> None:
    # 180 minutes and two 30-minute buffers, starting off the hour: under 30 items, so a far move stays under 100
    hold = hold_of(H + 5, H + 5 + 240)
    assert len(hold.whole) + len(hold.all_blocks) + len(hold.blocks) < 30
    moved = plan(hold, hold_of(H + 24 * 60 + 5, H + 24 * 60 + 245))
    assert moved.size < 60


def test_a_move_that_overlaps_writes_only_the_difference() -> None:
    # 10:00–11:00 (the hour whole) moved to 10:30–11:30 (blocks in two hours)
    changes = plan(hold_of(H, H + 60), hold_of(H + 30, H + 90))
    assert changes.take_blocks == frozenset(range(H + 30, H + 90, 5)) and changes.free_blocks == frozenset()
    assert changes.hours == (HourChange(H, "whole", 6), HourChange(H + 60, None, 6))
    # 10:05–10:35 moved to 10:15–10:45: blocks only, the hour's share count unchanged
    within = plan(hold_of(H + 5, H + 35), hold_of(H + 15, H + 45))
    assert within.take_blocks == frozenset({H + 35, H + 40}) and within.free_blocks == frozenset({H + 5, H + 10})
    assert within.hours == ()


def test_booking_and_letting_go_are_plans_from_and_to_nothing() -> None:
    hold = hold_of(H + 30, H + 120)
    booked, released = plan(None, hold), plan(hold, None)
    assert booked.take_blocks == released.free_blocks == hold.all_blocks
    assert [c.after for c in booked.hours] == [6, "whole"] and [c.after for c in released.hours] == [None, None]
