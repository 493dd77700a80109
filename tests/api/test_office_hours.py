"""After-hours auto-reply: off unless a therapist turns it on; outside their hours a client who writes gets one
automatic reply from them, with the practice's crisis text."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain.messaging import OfficeHours
from chalicelib.errors import DomainError, StaleVersion
from chalicelib.services.messaging import office_hours
from tests.api.messaging_world import Team, client_writes, messaging_team, seat
from tests.conftest import Practice, audit_of_client, principal_of_browser, stored_organization

WEEKDAYS_9_TO_5 = {"enabled": True, "days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00", "message": ""}
# The frozen clock starts on Monday 2026-11-23 at 09:00 UTC: 03:00 in Chicago, the practice's time zone.


def hours_on(team: Team, **changes: Any) -> None:
    saved = team.theo.put("/api/messages/office-hours", {**WEEKDAYS_9_TO_5, **changes})
    assert saved.status == 200, saved.json


def test_the_auto_reply_is_off_by_default(practice: Practice, frozen_clock: None) -> None:
    team = messaging_team(practice)
    assert team.theo.get("/api/messages/office-hours").json["enabled"] is False
    sent = client_writes(team)
    assert [m["sender_kind"] for m in sent.json["items"]] == ["client"]


def test_outside_working_hours_the_client_gets_one_automatic_reply_with_the_crisis_text(practice: Practice, frozen_clock: None) -> None:
    # Given Theo works weekdays 9 to 5 (Chicago) and turned the auto-reply on
    team = messaging_team(practice)
    hours_on(team, message="I'm out of the office until tomorrow morning.")

    # When Jordan writes at 3 am
    sent = client_writes(team)

    # Then Jordan gets an automatic reply from Theo, with the practice's crisis text
    assert sent.status == 201, sent.json
    reply = sent.json["items"][1]
    assert (reply["sender_kind"], reply["sender_name"], reply["automatic"]) == ("staff", "Theo Therapist", True)
    assert reply["text"] == "I'm out of the office until tomorrow morning.\n\nIf this is an emergency, call 988 or 911."
    assert [m["automatic"] for m in team.client.get("/api/portal/messages").json["items"]] == [True, False]
    assert ("messages.auto_reply", "success") in audit_of_client(practice.org_id, team.client_id)

    # And a second message the same night gets no second auto-reply
    assert len(client_writes(team, "Also…").json["items"]) == 1


def test_within_working_hours_there_is_no_auto_reply(practice: Practice, frozen_clock: None) -> None:
    clock.advance(timedelta(hours=7))  # 10:00 in Chicago, a Monday
    team = messaging_team(practice)
    hours_on(team)
    assert len(client_writes(team).json["items"]) == 1


def test_the_practice_sets_the_crisis_text(practice: Practice, frozen_clock: None) -> None:
    team = messaging_team(practice)
    version = team.admin.get("/api/organization/settings").json["version"]
    text = "In a crisis call 988, or go to the nearest emergency room."
    assert team.admin.patch("/api/organization/settings", {"version": version, "messaging": {"crisis_text": text}}).status == 200
    hours_on(team)
    reply = client_writes(team).json["items"][1]
    assert reply["text"].endswith(text)


def test_bad_office_hours_are_refused(practice: Practice) -> None:
    team = messaging_team(practice)
    bad: list[dict[str, Any]] = [{"start": "9am"}, {"end": "08:00"}, {"days": [0]}, {"days": []}, {"end": "24:00"}]
    for change in bad:
        refused = team.theo.put("/api/messages/office-hours", {**WEEKDAYS_9_TO_5, **change})
        assert refused.status == 422, change
    assert stored_organization(practice.org_id).office_hours is None


def test_saving_office_hours_does_not_make_the_practice_settings_stale(practice: Practice) -> None:
    team = messaging_team(practice)
    version = team.admin.get("/api/organization/settings").json["version"]
    hours_on(team)
    assert team.admin.patch("/api/organization/settings", {"version": version, "name": "Harbor Therapy"}).status == 200


def test_two_therapists_saving_at_the_same_moment_do_not_undo_each_other(serializable_dynamodb: None, practice: Practice) -> None:
    # Given two therapists whose requests read the practice's office hours at the same moment
    team = messaging_team(practice)
    riley, riley_id = practice.add_staff("Riley Rivera", "riley@harbor.test")
    seat(practice, riley_id)
    people = [principal_of_browser(team.theo), principal_of_browser(riley)]
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def save(principal: Any) -> None:
        barrier.wait()
        try:
            outcomes.append(office_hours.save_hours(principal, OfficeHours(enabled=True)))
        except DomainError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=save, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one saved, the other was told to save again, and the stored map holds the winner's hours only
    assert sorted(type(o).__name__ for o in outcomes) == ["OfficeHours", "StaleVersion"], outcomes
    assert isinstance(next(o for o in outcomes if isinstance(o, DomainError)), StaleVersion)
    stored = stored_organization(practice.org_id)
    assert len(stored.office_hours) == 1 and stored.office_hours_revision == 1
