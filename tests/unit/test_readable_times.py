"""Times people read (mail, PDFs): the reader's zone, labelled, never UTC with microseconds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib import clock


def test_a_moment_reads_in_the_zone_with_its_abbreviation() -> None:
    moment = datetime(2026, 11, 23, 21, 0, 5, 123456, tzinfo=UTC)

    assert clock.readable_time(moment, "America/Chicago") == "23 November 2026, 3:00 PM CST"
    assert clock.readable_time(moment, "Europe/Berlin") == "23 November 2026, 10:00 PM CET"


def test_daylight_saving_time_changes_the_label() -> None:
    assert clock.readable_time(datetime(2026, 7, 1, 17, 30, tzinfo=UTC), "America/Chicago") == "1 July 2026, 12:30 PM CDT"


def test_midnight_and_noon_read_as_twelve() -> None:
    assert clock.readable_time(datetime(2026, 1, 2, 0, 5, tzinfo=UTC), "UTC") == "2 January 2026, 12:05 AM UTC"
    assert clock.readable_time(datetime(2026, 1, 2, 12, 0, tzinfo=UTC), "UTC") == "2 January 2026, 12:00 PM UTC"


def test_a_zone_without_a_letter_abbreviation_is_named_by_its_offset() -> None:
    assert clock.readable_time(datetime(2026, 11, 23, 21, 0, tzinfo=UTC), "Asia/Bangkok") == "24 November 2026, 4:00 AM UTC+07"


def test_the_local_date_can_differ_from_the_utc_date() -> None:
    assert clock.readable_time(datetime(2026, 1, 1, 3, 0, tzinfo=UTC), "America/Los_Angeles") == "31 December 2025, 7:00 PM PST"


def test_an_unknown_or_missing_zone_reads_as_utc() -> None:
    moment = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)

    assert clock.readable_time(moment, "Mars/Olympus_Mons") == "23 November 2026, 9:00 PM UTC"
    assert clock.zone_or_utc(None).key == "UTC"


def test_a_date_reads_with_the_month_named() -> None:
    assert clock.readable_date(date(1990, 4, 12)) == "12 April 1990"
