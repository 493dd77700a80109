"""Issue 9's journey: Theo opens Saturday mornings, Jordan books one on a phone, Theo confirms the request, and
Jordan sees it as upcoming and downloads its .ics — which parses, with the booked time in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.test_foundation import nav, sign_in

NEW_YORK = ZoneInfo("America/New_York")


def first_saturday_slot(phone: Any) -> Any:
    """The first free time on a Saturday, paging a week at a time."""
    for _ in range(3):
        expect(phone.get_by_role("heading", name="Free times")).to_be_visible()
        phone.get_by_role("button", name="Earlier").or_(phone.get_by_text("No free times")).first.wait_for()
        day = phone.locator(".slot-day", has=phone.get_by_role("heading", name=re.compile("^Saturday")))
        if day.count():
            return day.get_by_role("button").first
        phone.get_by_role("button", name="Later").click()
    raise AssertionError("no Saturday slot within three weeks")


def test_theo_opens_saturdays_jordan_books_on_a_phone_theo_confirms_and_the_ics_has_the_utc_time(
    page: Any, phone: Any, tmp_path: Path
) -> None:
    # Given Theo opens Saturdays 10:00–13:00 in his booking settings
    sign_in(page, "therapist@demo.test")
    nav(page, "Schedule")
    page.get_by_role("link", name="Booking settings and calendar feed").click()
    page.get_by_role("button", name="Add hours on Saturday").click()
    page.get_by_label("Saturday from").fill("10:00")
    page.get_by_label("Saturday until").fill("13:00")
    page.get_by_role("button", name="Save booking settings").click()
    expect(page.get_by_text("Booking settings saved.")).to_be_visible()

    # When Jordan, on a phone, books the first Saturday time
    sign_in(phone, "jordan@demo.test")
    phone.get_by_role("link", name="Book a session or see your appointments").click()
    expect(phone.get_by_role("heading", name="Book a session")).to_be_visible()
    expect(phone.get_by_text("Times are shown in your time zone, America/New York.")).to_be_visible()
    slot = first_saturday_slot(phone)
    label = str(slot.get_attribute("aria-label")).removeprefix("Book ")  # e.g. "Sat, Nov 28, 10:00 AM"
    slot.click()
    phone.get_by_role("alertdialog").get_by_role("button", name="Yes, request it").click()
    expect(phone.get_by_text(f"Requested {label}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # Then the request is stored for that Saturday morning, New York time
    mine = phone.request.get("/api/portal/appointments").json()["items"]
    [booked] = [a for a in mine if a["status"] == "pending" and datetime.fromisoformat(a["start"]).astimezone(NEW_YORK).weekday() == 5]
    start = datetime.fromisoformat(booked["start"])
    assert f"{start.astimezone(NEW_YORK):%-I:%M %p}" in label

    # When Theo confirms that request from his schedule
    nav(page, "Schedule")
    page.get_by_role("button", name=f"Confirm Jordan Lee, {label}").click()
    expect(page.get_by_text("Confirmed Jordan Lee.")).to_be_visible()

    # Then Jordan sees it as upcoming and confirmed
    phone.get_by_role("link", name="See your appointments").first.click()
    upcoming = phone.get_by_role("region", name="Upcoming").or_(phone.locator("section", has=phone.get_by_role("heading", name="Upcoming")))
    item = upcoming.first.get_by_role("listitem").filter(has_text=label.split(", ", 1)[1])
    expect(item).to_contain_text("Confirmed")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # And the .ics downloads, parses, and carries the booked time in UTC
    with phone.expect_download() as download:
        item.get_by_role("link", name=re.compile("^Add to calendar")).click()
    path = tmp_path / "appointment.ics"
    download.value.save_as(path)
    [event] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == start.astimezone(UTC)
    assert event.decoded("dtend") == datetime.fromisoformat(booked["end"]).astimezone(UTC)
    assert re.search(rb"DTSTART:\d{8}T\d{6}Z", path.read_bytes())
    assert str(event["status"]) == "CONFIRMED"


def test_an_administrator_makes_an_appointment_in_the_clients_therapists_calendar(page: Any) -> None:
    from tests.e2e.test_accessibility import seat

    # Given the administrator, holding a seat, on Jordan's page (Jordan's therapist is Theo)
    sign_in(page, "admin@demo.test")
    me = page.request.get("/api/session").json()["principal"]["id"]
    seat(page, me, on=True)
    try:
        nav(page, "Clients")
        page.get_by_role("link", name="Jordan Lee").first.click()
        form = page.get_by_role("form", name="Make an appointment")

        # When they make an appointment three weeks ahead, early in the morning (outside anyone's hours)
        expect(form.get_by_label("Therapist")).to_have_value(re.compile("^stf_"))
        expect(form.get_by_label("Therapist").locator("option:checked")).to_have_text("Theo Therapist")
        day = datetime.now(UTC).date().toordinal() + 21
        form.get_by_label("Date").fill(datetime.fromordinal(day).strftime("%Y-%m-%d"))
        form.get_by_label("Time (HH:MM)").fill("07:00")
        form.get_by_role("button", name="Make appointment").click()

        # Then it is Theo's appointment, not the administrator's
        expect(form.get_by_text("Appointment made")).to_be_visible()
        expect(page.get_by_text(re.compile("with Theo Therapist")).first).to_be_visible()
        made = page.request.get(f"/api/clients/{page.url.rsplit('/', 1)[1]}/appointments").json()["items"]
        # (07:00 in the zone the form names, Theo's: New York)
        wanted = datetime.fromordinal(day).replace(hour=7, tzinfo=NEW_YORK).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
        [ours] = [a for a in made if a["therapist_name"] == "Theo Therapist" and a["start"].startswith(wanted)]
        # (cancelled again, so the demo's calendar is as it was for the other journeys)
        csrf = page.request.get("/api/session").json()["csrf_token"]
        cancel = f"/api/clients/{ours['client_id']}/appointments/{ours['id']}/cancel"
        assert page.request.post(cancel, data={}, headers={"x-csrf-token": csrf}).status == 200
    finally:
        seat(page, me, on=False)
