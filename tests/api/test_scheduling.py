"""Self-scheduling through the API: a therapist's settings, booking from the portal in the client's own zone, the
staff side, cancellations and the waitlist, reminders, .ics files and the private calendar feed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar

from chalicelib import clock
from chalicelib.tables import keys
from chalicelib.tables.scheduling import Appointment, BlockClaim, FeedKey, HourClaim, Schedule
from tests.api.scheduling_world import Booking, booking_world, claims_of, ny, settings_body
from tests.conftest import Practice, audit_trail

# The clock is frozen on Monday 23 November 2026, 09:00 UTC (04:00 in New York); Theo works 09:00–17:00 New York
# time on weekdays, hourly 50-minute sessions, 24 hours' notice, 30 days ahead, approval required.


@pytest.fixture
def world(frozen_clock: None, practice: Practice) -> Booking:
    return booking_world(practice)


@pytest.fixture
def dynamo_calls(settings: Any) -> Iterator[list[str]]:
    """The DynamoDB operations the app makes (the shared botocore client's before-call event)."""
    from chalicelib.tables.base import connection

    calls: list[str] = []

    def record(**kwargs: Any) -> None:
        calls.append(kwargs["model"].name)

    events = connection().client.meta.events
    events.register("before-call.dynamodb", record, unique_id="test-dynamo-calls")
    yield calls
    events.unregister("before-call.dynamodb", unique_id="test-dynamo-calls")


def appointments_of(org_id: str) -> list[Any]:
    return [a for a in Appointment.query(keys.org_pk(org_id), Appointment.sk.startswith("APPT#"), consistent_read=True)]


# ---------------------------------------------------------------------------------------------------- settings


def test_a_therapist_saves_their_settings_and_a_stale_form_is_refused(world: Booking) -> None:
    # Given Theo's saved settings
    current = world.theo.get("/api/scheduling/settings").json
    assert current["version"] == 1 and current["services"][0]["name"] == "Individual session"

    # When he changes the buffers with the version he read, then someone submits the old form again
    changed = world.theo.put("/api/scheduling/settings", {**settings_body(version=1), "buffer_before_minutes": 15})
    stale = world.theo.put("/api/scheduling/settings", {**settings_body(version=1), "buffer_before_minutes": 5})

    # Then the first is saved and the second is 409, leaving the stored settings as the first made them
    assert changed.status == 200 and changed.json["version"] == 2
    assert stale.status == 409 and stale.problem_type == "/problems/stale-version"
    stored = Schedule.get(keys.org_pk(world.practice.org_id), keys.schedule_sk(world.theo_id), consistent_read=True)
    assert (stored.buffer_before, stored.version) == (15, 2)
    assert ("scheduling.settings_update", "success") in [(e.action, e.outcome) for e in audit_trail(world.practice.org_id)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekly": [{"weekday": 0, "start": "09:00", "end": "09:00"}]}, "weekly.0.end"),
        ({"weekly": [{"weekday": 0, "start": "09:00", "end": "10:00", "next_day": True}]}, "weekly.0.end"),
        ({"weekly": [{"weekday": 0, "start": "17:00", "end": "09:00"}]}, "weekly.0.end"),
        (
            {"overrides": [{"date": "2026-12-24", "windows": []}, {"date": "2026-12-24", "windows": [{"start": "09:00", "end": "12:00"}]}]},
            "overrides.1.date",
        ),
        ({"weekly": [{"weekday": 0, "start": "09:00", "end": "09:30"}]}, "services.0.duration_minutes"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"interval_minutes": 7}, "interval_minutes"),
    ],
)
def test_bad_settings_are_422_naming_the_field_and_nothing_changes(world: Booking, change: dict[str, Any], field: str) -> None:
    # When Theo sends settings that cannot work
    response = world.theo.put("/api/scheduling/settings", {**settings_body(version=1), **change})

    # Then the answer names the field, and his stored settings are untouched
    assert response.status == 422, response.json
    assert any(e["field"].endswith(field) for e in response.json["errors"]), response.json
    stored = Schedule.get(keys.org_pk(world.practice.org_id), keys.schedule_sk(world.theo_id), consistent_read=True)
    assert stored.version == 1


def test_a_window_crossing_midnight_is_saved(world: Booking) -> None:
    late = [{"weekday": 4, "start": "20:00", "end": "01:00", "next_day": True}]
    response = world.theo.put("/api/scheduling/settings", {**settings_body(version=1), "weekly": late})
    assert response.status == 200, response.json
    assert response.json["weekly"] == [{"weekday": 4, "start": "20:00", "end": "01:00", "next_day": True}]


def test_self_scheduling_needs_a_seat_when_the_practice_has_several_staff(world: Booking) -> None:
    # Given a second therapist without a seat
    riley, _ = world.practice.add_staff("Riley Rivera", "riley@harbor.test")

    # Then their scheduling is refused (audited), while Theo's is open
    refused = riley.get("/api/scheduling/settings")
    assert refused.status == 403 and refused.problem_type == "/problems/seat-required"
    assert world.theo.get("/api/scheduling/settings").status == 200
    assert ("request.seat_required", "denied") in [(e.action, e.outcome) for e in audit_trail(world.practice.org_id)]


def test_switching_self_scheduling_off_closes_it_for_staff_and_clients(world: Booking) -> None:
    # When the administrator switches the feature off
    version = world.practice.admin.get("/api/organization/settings").json["version"]
    off = world.practice.admin.patch("/api/organization/settings", {"version": version, "features": {"self_scheduling": False}})
    assert off.status == 200, off.json

    # Then both sides are refused
    for response in (world.theo.get("/api/scheduling/calendar"), world.client.get("/api/portal/scheduling")):
        assert response.status == 403 and response.problem_type == "/problems/feature-disabled"


# ------------------------------------------------------------------------------------------------ the client


def test_a_client_sees_their_therapist_and_free_times_labelled_for_their_zone(world: Booking) -> None:
    # When Jordan opens booking
    home = world.client.get("/api/portal/scheduling").json
    page = world.slots(start="2026-11-24", days=1)

    # Then Theo and his service are offered, and Tuesday's slots are New York's 09:00…16:00 (24 hours' notice)
    assert [t["name"] for t in home["therapists"]] == ["Theo Therapist"] and home["time_zone"] == "America/New_York"
    assert page["starts"][0] == ny("2026-11-24T09:00") and page["starts"][-1] == ny("2026-11-24T16:00")
    assert (page["therapist_time_zone"], page["client_time_zone"]) == ("America/New_York", "America/New_York")


def test_the_offered_instants_do_not_depend_on_the_clients_time_zone(world: Booking) -> None:
    # Given a second client in Kolkata (UTC+05:30)
    priya, _ = world.add_client("Priya Rao", "priya@example.test", time_zone="Asia/Kolkata")

    # When both list a week
    jordan = world.slots(start="2026-11-24", days=7)
    theirs = world.slots(priya, start="2026-11-24", days=7)

    # Then Kolkata's days are labelled in Kolkata and the instants are Theo's: the same ones (Kolkata's page starts
    # at its own midnight, so it has a different first and last few)
    assert theirs["client_time_zone"] == "Asia/Kolkata"
    common = set(jordan["starts"]) & set(theirs["starts"])
    assert len(common) >= 30 and all(s in jordan["starts"] for s in common)
    assert ny("2026-11-25T14:00") in theirs["starts"]  # 00:30 on Thursday in Kolkata


def test_listing_slots_is_two_dynamodb_calls_however_many_appointments(world: Booking, dynamo_calls: list[str]) -> None:
    # Given Theo has a dozen appointments made by staff
    for day in range(12):
        start = ny(f"2026-12-{day + 1:02d}T07:00")
        made = world.theo.post(f"/api/clients/{world.client_id}/appointments", {"start": start, "duration_minutes": 60})
        assert made.status == 201, made.json
    dynamo_calls.clear()

    # When Jordan lists free times
    world.slots(start="2026-11-24", days=14)

    # Then it took the session read and one Query
    assert dynamo_calls == ["BatchGetItem", "Query"]  # the session with its account and practice, then the therapist's appointments


def test_when_nothing_is_free_the_page_says_when_the_next_opening_is(world: Booking) -> None:
    # Given a day off for the whole first week of December
    world.change_settings(overrides=[{"date": f"2026-12-0{d}", "windows": []} for d in range(1, 8)])

    # When Jordan looks at that week
    page = world.slots(start="2026-12-01", days=6)

    # Then nothing is listed, and the next opening is Tuesday 8 December at 09:00
    assert page["starts"] == [] and page["next_opening"] == ny("2026-12-08T09:00") and page["reason"] is None


def test_a_new_client_is_told_when_new_clients_cannot_book(world: Booking) -> None:
    world.change_settings(new_clients_allowed=False)
    page = world.slots(start="2026-11-24")
    refused = world.book(ny("2026-11-24T10:00"))
    assert page["reason"] == "new_clients" and page["starts"] == []
    assert refused.status == 403 and appointments_of(world.practice.org_id) == []


def test_a_known_client_may_book_when_new_clients_cannot(world: Booking) -> None:
    # Given Jordan had an appointment confirmed with Theo, then Theo closed booking to new clients
    first = world.book(ny("2026-11-24T10:00")).json["id"]
    assert world.theo.post(f"/api/clients/{world.client_id}/appointments/{first}/confirm").status == 200
    world.change_settings(new_clients_allowed=False)

    # When Jordan books again, and a new client tries
    again = world.book(ny("2026-11-26T10:00"))
    newcomer, _ = world.add_client("Nia New", "nia@example.test")
    refused = world.book(ny("2026-11-27T10:00"), newcomer)

    # Then Jordan may and the newcomer may not
    assert again.status == 201 and refused.status == 403


def test_a_booking_request_waits_for_the_therapist_who_hears_of_it_without_phi(world: Booking, mailbox: Any) -> None:
    # When Jordan books Wednesday 10:00 New York
    booked = world.book(ny("2026-11-25T10:00"))

    # Then it is a pending request, stored, holding its time, and Theo got a mail naming no one and no service
    assert booked.status == 201, booked.json
    assert booked.json["status"] == "pending" and booked.json["start"] == ny("2026-11-25T10:00")
    [stored] = appointments_of(world.practice.org_id)
    assert (stored.status, stored.client_id, stored.therapist_id) == ("pending", world.client_id, world.theo_id)
    events = [(e.action, e.resource, e.subject_client_id) for e in audit_trail(world.practice.org_id)]
    assert ("appointment.book", f"appointment/{stored.id}", world.client_id) in events
    [notice] = mailbox.to("theo@harbor.test")[-1:]
    assert "asked for an appointment" in notice["subject"]
    assert all(word not in notice["body"] for word in ("Jordan", "Individual session", "10:00", "Nov"))
    # And the time is no longer offered to anyone
    assert ny("2026-11-25T10:00") not in world.slots(start="2026-11-25", days=1)["starts"]


def test_the_therapist_confirms_and_the_client_hears_and_sees_it(world: Booking, mailbox: Any) -> None:
    # Given a request
    appointment_id = world.book(ny("2026-11-25T10:00")).json["id"]
    assert [r["id"] for r in world.theo.get("/api/scheduling/requests").json["items"]] == [appointment_id]

    # When Theo confirms it
    confirmed = world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/confirm")

    # Then Jordan sees it confirmed and got a mail without details; no request is left
    assert confirmed.status == 200 and confirmed.json["status"] == "confirmed"
    mine = world.client.get("/api/portal/appointments").json["items"]
    assert [(a["id"], a["status"]) for a in mine] == [(appointment_id, "confirmed")]
    assert any("confirmed" in m["subject"] for m in mailbox.to("jordan@example.test"))
    assert world.theo.get("/api/scheduling/requests").json["items"] == []
    assert ("appointment.confirm", "success") in [(e.action, e.outcome) for e in audit_trail(world.practice.org_id)]
    again = world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/confirm")
    assert again.status == 409


def test_instant_booking_confirms_at_once(frozen_clock: None, practice: Practice) -> None:
    world = booking_world(practice, approval_required=False)
    booked = world.book(ny("2026-11-25T10:00"))
    assert booked.status == 201 and booked.json["status"] == "confirmed"


@pytest.mark.parametrize(
    ("start", "status", "words"),
    [
        (ny("2026-11-20T10:00"), 422, "passed"),
        (ny("2026-11-23T16:00"), 422, "24 hours"),
        (ny("2027-01-05T10:00"), 422, "30 days"),
        (ny("2026-11-24T10:30"), 422, "isn't offered"),
        (ny("2026-11-28T10:00"), 422, "isn't offered"),
    ],
)
def test_a_start_outside_the_rules_is_refused_clearly_and_nothing_is_stored(world: Booking, start: str, status: int, words: str) -> None:
    response = world.book(start)
    assert response.status == status and words in response.json["detail"], response.json
    assert appointments_of(world.practice.org_id) == []
    assert claims_of(world.practice.org_id) == []


def test_a_time_taken_a_moment_ago_is_409(world: Booking) -> None:
    # Given Jordan took Wednesday 10:00
    assert world.book(ny("2026-11-25T10:00")).status == 201

    # When another client asks for the same time
    other, _ = world.add_client("Sam Rivera", "sam@example.test")
    response = world.book(ny("2026-11-25T10:00"), other)

    # Then it is 409 and still one appointment
    assert response.status == 409 and response.problem_type == "/problems/conflict"
    assert len(appointments_of(world.practice.org_id)) == 1


def test_the_daily_maximum_closes_the_day(frozen_clock: None, practice: Practice) -> None:
    world = booking_world(practice, daily_max=1)
    assert world.book(ny("2026-11-25T10:00")).status == 201
    assert world.slots(start="2026-11-25", days=1)["starts"] == []
    other, _ = world.add_client("Sam Rivera", "sam@example.test")
    full = world.book(ny("2026-11-25T14:00"), other)
    assert full.status == 409 and "filled" in full.json["detail"]


def test_an_unassigned_therapists_calendar_is_not_found(world: Booking) -> None:
    _riley, riley_id = world.practice.add_staff("Riley Rivera", "riley@harbor.test")
    response = world.client.get(f"/api/portal/slots?therapist_id={riley_id}&service_id={world.service_id}")
    assert response.status == 404


# ----------------------------------------------------------------------------------------- changing and the rest


def test_a_client_cancels_outside_the_window_and_the_time_is_free_again(world: Booking, mailbox: Any) -> None:
    # Given a confirmed appointment on Friday
    appointment_id = world.book(ny("2026-11-27T10:00")).json["id"]
    world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/confirm")

    # When Jordan cancels it
    cancelled = world.client.post(f"/api/portal/appointments/{appointment_id}/cancel", {"reason": "Travelling"})

    # Then it is cancelled, no longer blocks, holds no claims, and Theo is told
    assert cancelled.status == 200 and cancelled.json["status"] == "cancelled"
    assert ny("2026-11-27T10:00") in world.slots(start="2026-11-27", days=1)["starts"]
    assert claims_of(world.practice.org_id) == []
    assert any("cancelled" in m["subject"] for m in mailbox.to("theo@harbor.test"))


def test_inside_the_cancellation_window_the_client_cannot_cancel(world: Booking) -> None:
    appointment_id = world.book(ny("2026-11-25T10:00")).json["id"]
    world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/confirm")
    world.later(timedelta(days=2, hours=5))  # Wednesday 09:00 New York: one hour before
    refused = world.client.post(f"/api/portal/appointments/{appointment_id}/cancel", {})
    assert refused.status == 409 and "24 hours" in refused.json["detail"]
    assert appointments_of(world.practice.org_id)[0].status == "confirmed"


def test_a_client_moves_their_appointment_to_another_free_time(world: Booking) -> None:
    appointment_id = world.book(ny("2026-11-25T10:00")).json["id"]
    moved = world.client.post(f"/api/portal/appointments/{appointment_id}/reschedule", {"start": ny("2026-11-26T11:00")})
    assert moved.status == 200 and moved.json["start"] == ny("2026-11-26T11:00")
    starts = world.slots(start="2026-11-25", days=2)["starts"]
    assert ny("2026-11-25T10:00") in starts and ny("2026-11-26T11:00") not in starts


def test_the_therapist_declines_with_a_reason_the_client_sees(world: Booking, mailbox: Any) -> None:
    appointment_id = world.book(ny("2026-11-25T10:00")).json["id"]
    declined = world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/decline", {"reason": "I'm away that day."})
    assert declined.status == 200 and declined.json["status"] == "declined"
    [mine] = world.client.get("/api/portal/appointments").json["items"]
    assert (mine["status"], mine["reason"]) == ("declined", "I'm away that day.")
    assert "not accepted" in mailbox.to("jordan@example.test")[-1]["subject"]
    assert "away" not in mailbox.to("jordan@example.test")[-1]["body"]


def test_staff_book_outside_availability_but_never_over_another_appointment(world: Booking) -> None:
    # When Theo books Jordan on a Saturday evening, then tries the same time again
    made = world.theo.post(f"/api/clients/{world.client_id}/appointments", {"start": ny("2026-11-28T19:00"), "duration_minutes": 60})
    again = world.theo.post(f"/api/clients/{world.client_id}/appointments", {"start": ny("2026-11-28T19:30"), "duration_minutes": 30})

    # Then the first is confirmed and the overlapping one is 409
    assert made.status == 201 and made.json["status"] == "confirmed"
    assert again.status == 409
    history = world.theo.get(f"/api/clients/{world.client_id}/appointments").json["items"]
    assert [a["id"] for a in history] == [made.json["id"]]


def test_a_therapist_books_only_in_their_own_calendar(world: Booking) -> None:
    _, riley_id = world.practice.add_staff("Riley Rivera", "riley@harbor.test")
    body = {"start": ny("2026-11-28T19:00"), "duration_minutes": 60, "therapist_id": riley_id}
    refused = world.theo.post(f"/api/clients/{world.client_id}/appointments", body)
    assert refused.status == 403 and appointments_of(world.practice.org_id) == []


def test_staff_move_and_mark_an_appointment(world: Booking) -> None:
    made = world.theo.post(f"/api/clients/{world.client_id}/appointments", {"start": ny("2026-11-24T08:00"), "duration_minutes": 60}).json
    path = f"/api/clients/{world.client_id}/appointments/{made['id']}"
    moved = world.theo.post(f"{path}/move", {"start": ny("2026-11-24T07:30")})
    early = world.theo.post(f"{path}/outcome", {"outcome": "attended"})
    world.later(timedelta(days=1, hours=5))
    attended = world.theo.post(f"{path}/outcome", {"outcome": "attended"})
    assert moved.status == 200 and moved.json["start"] == ny("2026-11-24T07:30")
    assert early.status == 409 and attended.status == 200 and attended.json["status"] == "attended"


def test_the_week_calendar_shows_the_therapists_own_appointments(world: Booking) -> None:
    world.book(ny("2026-11-25T10:00"))
    world.theo.post(f"/api/clients/{world.client_id}/appointments", {"start": ny("2026-12-09T10:00"), "duration_minutes": 60})
    week = world.theo.get("/api/scheduling/calendar?start=2026-11-23&days=7").json
    assert week["time_zone"] == "America/Chicago" and [a["start"] for a in week["items"]] == [ny("2026-11-25T10:00")]
    assert world.practice.admin.put(f"/api/subscription/seats/{world.practice.admin_id}").status == 200
    assert world.practice.admin.get("/api/scheduling/calendar?start=2026-11-23&days=7").json["items"] == []


# ------------------------------------------------------------------------------------------------ the waitlist


def test_a_waitlisted_client_is_offered_a_cancelled_time_and_the_first_claim_wins(world: Booking, mailbox: Any) -> None:
    # Given Sam and Priya wait for Theo's afternoons, and Jordan holds Thursday 14:00
    sam, _ = world.add_client("Sam Rivera", "sam@example.test")
    priya, _ = world.add_client("Priya Rao", "priya@example.test")
    for browser in (sam, priya):
        joined = browser.post(
            "/api/portal/waitlist", {"therapist_id": world.theo_id, "service_id": world.service_id, "time_of_day": "afternoon"}
        )
        assert joined.status == 201, joined.json
    again = sam.post("/api/portal/waitlist", {"therapist_id": world.theo_id, "service_id": world.service_id})
    appointment_id = world.book(ny("2026-11-26T14:00")).json["id"]

    # When Jordan cancels
    assert world.client.post(f"/api/portal/appointments/{appointment_id}/cancel", {}).status == 200

    # Then both are offered the time by a mail without details
    assert again.status == 409
    for email in ("sam@example.test", "priya@example.test"):
        notice = mailbox.to(email)[-1]
        assert "opening" in notice["subject"] and "14:00" not in notice["body"] and "Theo" not in notice["body"]
    sam_offer = sam.get("/api/portal/waitlist").json["offers"][0]
    priya_offer = priya.get("/api/portal/waitlist").json["offers"][0]
    assert sam_offer["start"] == ny("2026-11-26T14:00")

    # When Priya claims first, then Sam
    won = priya.post(f"/api/portal/waitlist-offers/{priya_offer['id']}/claim")
    lost = sam.post(f"/api/portal/waitlist-offers/{sam_offer['id']}/claim")

    # Then Priya has the appointment and leaves the waitlist; Sam's offer is taken
    assert won.status == 201 and won.json["start"] == ny("2026-11-26T14:00")
    assert lost.status == 409
    assert priya.get("/api/portal/waitlist").json["entries"] == []
    assert sam.get("/api/portal/waitlist").json["offers"][0]["status"] == "taken"


# ------------------------------------------------------------------------------------------ reminders and files


def test_a_confirmed_appointment_is_reminded_once_at_the_lead_time(world: Booking, mailbox: Any) -> None:
    from chalicelib.services.scheduling.reminders import send_due_reminders

    # Given a confirmed appointment Friday 10:00 New York, reminded 24 hours before
    appointment_id = world.book(ny("2026-11-27T10:00")).json["id"]
    world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/confirm")
    before = len(mailbox.to("jordan@example.test"))

    # When the job runs before and after Thursday 10:00
    early = send_due_reminders().reminded
    clock.advance(timedelta(days=3, hours=6))  # Thursday 15:00 UTC
    due = send_due_reminders().reminded
    later = send_due_reminders().reminded

    # Then exactly one reminder went, without details
    assert (early, due, later) == (0, 1, 0)
    reminders = mailbox.to("jordan@example.test")[before:]
    assert len(reminders) == 1 and "coming up" in reminders[0]["subject"] and "10:00" not in reminders[0]["body"]


def test_a_cancelled_appointment_is_not_reminded(world: Booking) -> None:
    from chalicelib.services.scheduling.reminders import send_due_reminders

    appointment_id = world.book(ny("2026-11-27T10:00")).json["id"]
    world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/confirm")
    world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/cancel", {})
    clock.advance(timedelta(days=4))
    assert send_due_reminders().reminded == 0


def test_the_client_downloads_an_ics_with_the_right_utc_times(world: Booking) -> None:
    appointment_id = world.book(ny("2026-11-25T10:00")).json["id"]
    response = world.client.get(f"/api/portal/appointments/{appointment_id}/calendar")
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.body).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2026-11-25T15:00:00+00:00"
    assert event.decoded("dtend").isoformat() == "2026-11-25T15:50:00+00:00"
    assert b"DTSTART:20261125T150000Z" in response.body


def test_the_private_feed_shows_appointments_without_names_until_chosen_and_can_be_revoked(world: Booking) -> None:
    # Given an appointment and Theo's new feed
    world.book(ny("2026-11-25T10:00"))
    issued = world.theo.post("/api/scheduling/feed", {"include_client_names": False}).json
    token = issued["url"].split("token=", 1)[1]
    anonymous = world.practice.new_browser()

    # When his calendar app fetches it
    feed = anonymous.get(f"/api/calendar-feed?token={token}")

    # Then it lists the appointment with no client name, and only the token's hash is stored
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(feed.body).walk("VEVENT")
    assert "Jordan" not in feed.body.decode() and str(event["summary"]).startswith("Individual session")
    assert all(token not in item.pk for item in FeedKey.scan())

    # When he issues one with names, the old address stops working and the new one names clients
    named = world.theo.post("/api/scheduling/feed", {"include_client_names": True}).json["url"].split("token=", 1)[1]
    assert anonymous.get(f"/api/calendar-feed?token={token}").status == 404
    assert "Jordan Lee" in anonymous.get(f"/api/calendar-feed?token={named}").body.decode()

    # When he revokes it, nothing answers
    assert world.theo.delete("/api/scheduling/feed").status == 204
    assert anonymous.get(f"/api/calendar-feed?token={named}").status == 404


def test_a_feed_stops_when_its_therapist_loses_the_seat(world: Booking) -> None:
    token = world.theo.post("/api/scheduling/feed", {}).json["url"].split("token=", 1)[1]
    world.practice.add_staff("Riley Rivera", "riley@harbor.test")  # no longer a solo practice
    assert world.practice.admin.delete(f"/api/subscription/seats/{world.theo_id}").status == 200
    assert world.practice.new_browser().get(f"/api/calendar-feed?token={token}").status == 404


# ---------------------------------------------------------------------------------------------------- the race


def test_fifty_parallel_bookings_of_one_time_have_exactly_one_winner(world: Booking) -> None:
    from chalicelib.errors import DomainError, problem_response
    from chalicelib.services.scheduling import booking
    from tests.conftest import principal_of_browser

    # Given five clients and a fifteen-minute grid: 10:00, 10:15, 10:30 and 10:45 all overlap a 50-minute session
    world.change_settings(interval_minutes=15)
    principals = [principal_of_browser(world.client)]
    for i in range(4):
        browser, _ = world.add_client(f"Client {i}", f"client{i}@example.test")
        principals.append(principal_of_browser(browser))
    starts = [ny(f"2026-11-25T10:{minute:02d}") for minute in (0, 15, 30, 45)]
    barrier = threading.Barrier(50)
    outcomes: list[int] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        from datetime import datetime

        start = datetime.fromisoformat(starts[i % 4].replace("Z", "+00:00"))
        barrier.wait()
        try:
            booking.book(principals[i % 5], world.theo_id, world.service_id, start)
            status = 201
        except DomainError as error:
            status = problem_response(error, None).status_code
        with lock:
            outcomes.append(status)

    # When fifty bookings run at once
    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one was booked and every other got 409
    assert sorted(outcomes) == [201] + [409] * 49, outcomes
    [stored] = appointments_of(world.practice.org_id)
    assert stored.status == "pending"
    held = claims_of(world.practice.org_id)
    owners = {c.appointment_id for c in held if isinstance(c, BlockClaim)} | {
        c.held_by for c in held if isinstance(c, HourClaim) and c.held_by
    }
    assert owners == {stored.id}
