"""The audit log as people read it: names and form titles looked up when it is shown (never stored in the events),
plain-language sentences, and filters by person, client and days in the practice's time zone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib import clock
from tests.api.test_paperwork_checks import send, sign
from tests.api.test_paperwork_journey import CONSENT
from tests.conftest import PASSWORD, Browser, Practice, add_client, audit_trail, open_portal_account, sign_in


def trail(admin: Browser, query: str = "") -> list[dict[str, Any]]:
    response = admin.get(f"/api/audit{query}")
    assert response.status == 200, response.json
    return list(response.json["items"])


def test_events_read_as_sentences_with_the_names_of_today(practice: Practice) -> None:
    # Given Theo's client Jordan, who signed the consent form that Theo then downloaded
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    [consent] = send(theo, jordan, CONSENT)
    sign(person, consent, CONSENT)
    assert theo.get(f"/api/clients/{jordan}/documents/{consent}/download").status == 200

    # When the administrator reads the log
    events = trail(practice.admin)

    # Then the events say who did what to whom, by name
    summaries = [event["summary"] for event in events]
    assert "Theo Therapist downloaded Jordan Lee's signed Informed Consent for Psychotherapy" in summaries
    assert "Jordan Lee signed their Informed Consent for Psychotherapy" in summaries
    assert "Theo Therapist sent forms to Jordan Lee" in summaries
    download = next(e for e in events if e["action"] == "documents.download")
    assert (download["actor_name"], download["subject_name"]) == ("Theo Therapist", "Jordan Lee")

    # When Jordan's name changes
    version = practice.admin.get(f"/api/clients/{jordan}").json["version"]
    assert practice.admin.patch(f"/api/clients/{jordan}", {"version": version, "name": "Jordan Park"}).status == 200

    # Then the older events show today's name: names are looked up, never stored in the events
    assert "Theo Therapist downloaded Jordan Park's signed Informed Consent for Psychotherapy" in [
        event["summary"] for event in trail(practice.admin)
    ]
    stored = [str(value) for event in audit_trail(practice.org_id) for value in event.attribute_values.values()]
    assert not any("Jordan" in value or "Theo" in value or "Consent" in value for value in stored)


def test_refusals_and_failures_say_so(practice: Practice) -> None:
    # Given a therapist who tries to open the staff list (administrators only)
    theo, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert theo.get("/api/staff").status == 403

    # Then the log says Theo was refused, naming the route and nothing else
    refusal = next(e for e in trail(practice.admin) if e["action"] == "request.denied")
    assert refusal["summary"] == "Theo Therapist was refused: GET /api/staff"


def test_the_trail_is_filtered_by_days_of_the_practices_time_zone(frozen_clock: None, practice: Practice) -> None:
    # Given a client added on 23 November (Chicago), and another two days later
    first = add_client(practice.admin, "Jordan Lee")["id"]
    clock.advance(timedelta(days=2))
    admin, _ = sign_in(practice.client, practice.slug, practice.admin_email, PASSWORD)
    second = add_client(admin, "Sam Rivera")["id"]

    # When the administrator asks for the 25th only, then up to the 23rd
    later = trail(admin, "?since=2026-11-25&until=2026-11-25")
    earlier = trail(admin, "?until=2026-11-23")

    # Then each range holds its own day's events
    assert any(e["resource"] == f"client/{second}" for e in later)
    assert not any(e["resource"] == f"client/{first}" for e in later)
    assert any(e["resource"] == f"client/{first}" for e in earlier)
    assert not any(e["resource"] == f"client/{second}" for e in earlier)
    assert all(e["at"] >= "2026-11-25T06:00:00" for e in later)  # midnight in Chicago

    # And a range that ends before it starts is refused
    backwards = admin.get("/api/audit?since=2026-11-25&until=2026-11-23")
    assert backwards.status == 422 and backwards.json["errors"][0]["field"] == "since"
    # And so are days no calendar arithmetic can reach (they overflowed into a 500)
    for query, field in (("until=9999-12-31", "until"), ("since=0001-01-01", "since")):
        extreme = admin.get(f"/api/audit?{query}")
        assert extreme.status == 422 and extreme.json["errors"][0]["field"] == field, extreme.json


def test_the_trail_is_filtered_by_client_and_person_together(practice: Practice) -> None:
    # Given Theo and the administrator each opening Jordan's and Sam's records
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    jordan = add_client(practice.admin, "Jordan Lee", therapist_ids=[theo_id])["id"]
    sam = add_client(practice.admin, "Sam Rivera", therapist_ids=[theo_id])["id"]
    for browser in (theo, practice.admin):
        for client_id in (jordan, sam):
            assert browser.get(f"/api/clients/{client_id}").status == 200

    # When the administrator asks for Theo's events about Jordan
    events = trail(practice.admin, f"?actor={theo_id}&client={jordan}")

    # Then they are exactly Theo's reads of Jordan
    assert [e["summary"] for e in events] == ["Theo Therapist opened Jordan Lee's record"]
