"""One time zone per reader: staff read the practice's zone, a client their own (the practice's until they choose)."""

from __future__ import annotations

from tests.conftest import Practice, add_client, audit_trail, open_portal_account, stored_client


def test_staff_read_times_in_the_practices_zone(practice: Practice) -> None:
    session = practice.admin.get("/api/session").json

    assert session["time_zone"] == "America/Chicago" == session["organization"]["time_zone"]


def test_a_client_reads_times_in_the_practices_zone_until_they_choose_their_own(practice: Practice) -> None:
    # Given a client added without a zone, who opened their portal account
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    person = open_portal_account(practice, practice.admin, client_id, "jordan@example.test")
    assert person.get("/api/session").json["time_zone"] == "America/Chicago"
    version = int(stored_client(practice.org_id, client_id).version)

    # When they choose their own zone in their account
    changed = person.patch("/api/portal/account", {"time_zone": "Europe/Lisbon"})

    # Then it is stored on their record (whose version moves on), audited, and their session reads in it
    assert changed.status == 200, changed.json
    assert changed.json == {"time_zone": "Europe/Lisbon"}
    stored = stored_client(practice.org_id, client_id)
    assert stored.time_zone == "Europe/Lisbon" and int(stored.version) == version + 1
    session = person.get("/api/session").json
    assert session["time_zone"] == "Europe/Lisbon" and session["organization"]["time_zone"] == "America/Chicago"
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.subject_client_id, event.outcome) == ("account.time_zone", client_id, "success")


def test_a_staff_edit_opened_before_the_clients_choice_is_stale(practice: Practice) -> None:
    # Given a staff member who opened the client's record, then the client chose their zone
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    person = open_portal_account(practice, practice.admin, client_id, "jordan@example.test")
    opened = practice.admin.get(f"/api/clients/{client_id}").json
    assert person.patch("/api/portal/account", {"time_zone": "Europe/Lisbon"}).status == 200

    # When the staff member saves the zone they saw
    saved = practice.admin.patch(f"/api/clients/{client_id}", {"version": opened["version"], "time_zone": "America/Chicago"})

    # Then the save is refused as stale, and the client's choice stands
    assert saved.status == 409
    assert stored_client(practice.org_id, client_id).time_zone == "Europe/Lisbon"


def test_an_unknown_zone_is_refused(practice: Practice) -> None:
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    person = open_portal_account(practice, practice.admin, client_id, "jordan@example.test")

    refused = person.patch("/api/portal/account", {"time_zone": "Mars/Olympus_Mons"})

    assert refused.status == 422 and refused.json["errors"][0]["field"] == "time_zone"
    assert stored_client(practice.org_id, client_id).time_zone == "America/Chicago"


def test_invitation_mail_gives_the_links_expiry_in_the_practices_zone(practice: Practice) -> None:
    # When a client is invited
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    assert practice.admin.post(f"/api/clients/{client_id}/invitation", {"form_ids": []}).status == 200

    # Then the mail says when the link expires as a Chicago reader reads it: no UTC, no microseconds
    [mail] = practice.mailbox.to("jordan@example.test")
    assert " CST" in mail["body"] or " CDT" in mail["body"]
    assert " UTC" not in mail["body"]
