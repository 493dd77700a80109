"""Client records (staff side): create, read, edit, list and search — with therapist assignment deciding who sees whom,
optimistic locking, validation that writes nothing, and an audit event for every read and change."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.config import Settings
from tests.conftest import (
    Browser,
    Practice,
    add_client,
    assigned_client_ids,
    audit_of_client,
    audit_trail,
    client_items,
    invite,
    lowered,
    open_portal_account,
    search_tokens_of,
    stored_client,
)


def names(response: Any) -> list[str]:
    assert response.status == 200, response.json
    return sorted(item["name"] for item in response.json["items"])


def search(staff: Browser, q: str) -> list[str]:
    return names(staff.post("/api/clients/search", {"q": q}))


# ---------------------------------------------------------------------------------------------------------- create


def test_an_administrator_creates_a_client_assigned_to_chosen_therapists(practice: Practice) -> None:
    # Given two therapists
    _, theo = practice.add_staff("Theo Therapist", "theo@harbor.test")
    _, tess = practice.add_staff("Tess Therapist", "tess@harbor.test")

    # When the administrator adds a client for both of them
    response = practice.admin.post(
        "/api/clients",
        {
            "name": "Jordan Lee",
            "preferred_name": "Jo",
            "email": " Jordan@Example.TEST ",
            "phone": "+1 (555) 010-0100",
            "date_of_birth": "1990-04-12",
            "time_zone": "Europe/Berlin",
            "therapist_ids": [theo, tess, theo],
        },
    )

    # Then the client is created, not yet invited, with the email normalised
    assert response.status == 201, response.json
    client = response.json
    assert client["id"].startswith("cli_")
    assert (client["name"], client["preferred_name"], client["email"]) == ("Jordan Lee", "Jo", "jordan@example.test")
    assert (client["phone"], client["date_of_birth"], client["time_zone"]) == ("+1 (555) 010-0100", "1990-04-12", "Europe/Berlin")
    assert client["therapist_ids"] == sorted([theo, tess])
    assert client["portal"] == {
        "status": "not_invited",
        "invited_at": None,
        "invited_by": None,
        "invitation_delivery": None,
        "invitation_expires_at": None,
        "accepted_at": None,
        "form_ids": [],
    }

    # And the stored record, both assignments and the search entries agree
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.org_id, stored.email, stored.status, stored.therapist_ids) == (
        practice.org_id,
        "jordan@example.test",
        "not_invited",
        {theo, tess},
    )
    assert stored.email_key is None  # no portal account yet: not in the sign-in index
    assert assigned_client_ids(practice.org_id, theo) == [client["id"]]
    assert assigned_client_ids(practice.org_id, tess) == [client["id"]]
    assert search_tokens_of(practice.org_id, client["id"]) == {"jordan", "lee", "jo", "jordan@example.test"}

    # And the creation is audited with the client as subject
    assert audit_of_client(practice.org_id, client["id"]) == [("client.create", "success")]


def test_a_client_takes_the_practices_time_zone_unless_given_one(practice: Practice) -> None:
    # When the administrator adds a client without a time zone
    client = add_client(practice.admin, "Jordan Lee")

    # Then the client is in the practice's time zone
    assert client["time_zone"] == "America/Chicago"
    assert stored_client(practice.org_id, client["id"]).time_zone == "America/Chicago"


def test_a_therapists_new_client_is_assigned_to_them(practice: Practice) -> None:
    # Given a therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When they add a client without naming therapists
    client = add_client(therapist, "Jordan Lee")

    # Then the client is theirs
    assert client["therapist_ids"] == [therapist_id]
    assert assigned_client_ids(practice.org_id, therapist_id) == [client["id"]]
    assert stored_client(practice.org_id, client["id"]).therapist_ids == {therapist_id}


def test_a_therapist_cannot_assign_a_new_client_to_someone_else(practice: Practice) -> None:
    # Given two therapists
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    _, other_id = practice.add_staff("Tess Therapist", "tess@harbor.test")

    # When one adds a client assigned to the other (or to both)
    for chosen in ([other_id], [therapist_id, other_id]):
        response = therapist.post("/api/clients", {"name": "Jordan Lee", "therapist_ids": chosen})

        # Then it is forbidden and nothing is written
        assert response.status == 403, response.json
        assert response.problem_type == "/problems/forbidden"
    assert client_items(practice.org_id) == []


@pytest.mark.parametrize("who", ["unknown", "deactivated", "another practice's"])
def test_assigning_a_therapist_who_cannot_take_clients_is_refused_and_nothing_is_written(
    practice: Practice, other_practice: Practice, who: str
) -> None:
    # Given a real therapist and one who is unknown here, deactivated, or works at another practice
    _, theo = practice.add_staff("Theo Therapist", "theo@harbor.test")
    if who == "unknown":
        bad = "stf_0000000000000000"
    elif who == "deactivated":
        _, bad = practice.add_staff("Dee Parted", "dee@harbor.test")
        assert practice.admin.post(f"/api/staff/{bad}/deactivate").status == 200
    else:
        _, bad = other_practice.add_staff("Cora Cove", "cora@cove.test")
    events_before = len(audit_trail(practice.org_id))

    # When the administrator adds a client assigned to both
    response = practice.admin.post("/api/clients", {"name": "Jordan Lee", "email": "jo@example.test", "therapist_ids": [theo, bad]})

    # Then the therapist ids are refused, naming the bad one only
    assert response.status == 422, response.json
    assert response.problem_type == "/problems/validation-failed"
    [error] = response.json["errors"]
    assert error["field"] == "therapist_ids"
    assert bad in error["message"] and theo not in error["message"]

    # And no record, assignment, search entry or audit event was written
    assert client_items(practice.org_id) == []
    assert len(audit_trail(practice.org_id)) == events_before


BAD_FIELDS: list[tuple[str, dict[str, Any], str, int]] = [
    ("invalid email", {"email": "jordan-at-example"}, "email", 422),
    ("email without a domain", {"email": "jordan@localhost"}, "email", 422),
    ("future date of birth", {"date_of_birth": "2999-01-01"}, "date_of_birth", 422),
    ("implausibly old date of birth", {"date_of_birth": "1850-01-01"}, "date_of_birth", 422),
    ("impossible date", {"date_of_birth": "1990-02-30"}, "date_of_birth", 422),
    ("date in another format", {"date_of_birth": "12/04/1990"}, "date_of_birth", 422),
    ("phone with letters", {"phone": "call me maybe"}, "phone", 422),
    ("unknown time zone", {"time_zone": "Mars/Olympus"}, "time_zone", 422),
    ("unknown field", {"diagnosis": "anything"}, "diagnosis", 422),
    ("oversized name", {"name": "J" * 121}, "name", 422),
    ("blank name", {"name": "   "}, "name", 422),
    ("too many therapists", {"therapist_ids": [f"stf_{i:016x}" for i in range(11)]}, "therapist_ids", 422),
]


@pytest.mark.parametrize(("fields", "field", "status"), [c[1:] for c in BAD_FIELDS], ids=[c[0] for c in BAD_FIELDS])
def test_invalid_client_details_are_refused_and_nothing_is_written(
    practice: Practice, fields: dict[str, Any], field: str, status: int
) -> None:
    # When the administrator adds a client with one bad field
    response = practice.admin.post("/api/clients", {"name": "Jordan Lee", "email": "jo@example.test", **fields})

    # Then that field is named, and nothing was stored
    assert response.status == status, response.json
    assert response.problem_type == "/problems/validation-failed"
    assert field in [e["field"] for e in response.json["errors"]]
    assert client_items(practice.org_id) == []


@pytest.mark.parametrize(
    ("raw", "status", "problem"),
    [
        (b'{"name": "Jordan', 400, "/problems/malformed-request"),
        (b'["Jordan Lee"]', 400, "/problems/malformed-request"),
        (b'{"name": "' + b"J" * 70_000 + b'"}', 413, "/problems/payload-too-large"),
    ],
    ids=["broken JSON", "not an object", "oversized body"],
)
def test_an_unreadable_body_is_refused_and_nothing_is_written(practice: Practice, raw: bytes, status: int, problem: str) -> None:
    # When the administrator sends a body that cannot be a client
    response = practice.admin.post("/api/clients", raw=raw)

    # Then it is refused before anything is written
    assert response.status == status, response.json
    assert response.problem_type == problem
    assert client_items(practice.org_id) == []


# ------------------------------------------------------------------------------------------------------ visibility


def test_administrators_see_every_client_and_therapists_only_theirs(practice: Practice) -> None:
    # Given two therapists with a client each, and a client of nobody
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    tess, tess_id = practice.add_staff("Tess Therapist", "tess@harbor.test")
    add_client(theo, "Avery Adams")
    add_client(tess, "Blair Brown")
    add_client(practice.admin, "Casey Clark")

    # When each lists the clients
    # Then the administrator sees all three, each therapist only their own
    assert names(practice.admin.get("/api/clients")) == ["Avery Adams", "Blair Brown", "Casey Clark"]
    assert names(theo.get("/api/clients")) == ["Avery Adams"]
    assert names(tess.get("/api/clients")) == ["Blair Brown"]

    # And every list is audited, with who listed
    listed = [(e.action, e.actor_id) for e in audit_trail(practice.org_id)[:3]]
    assert listed == [("client.list", tess_id), ("client.list", theo_id), ("client.list", practice.admin_id)]


def test_a_list_shows_summaries_with_the_portal_status(practice: Practice) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", preferred_name="Jo", email="jo@example.test", phone="555 0100")

    # When the administrator lists clients
    response = practice.admin.get("/api/clients")

    # Then each item is the summary, without contact details beyond the email: who, their therapists, their paperwork
    # and when they were last active (the list's columns)
    summary = {"id": client["id"], "name": "Jordan Lee", "preferred_name": "Jo", "email": "jo@example.test", "portal_status": "not_invited"}
    paperwork = {"waiting": 0, "signed": 0, "waiting_since": None}
    progress: dict[str, object] = {"therapist_ids": [], "paperwork": paperwork, "last_activity_at": None}
    assert response.json == {
        "items": [summary | progress],
        "next_cursor": None,
    }


def test_a_therapist_gets_404_for_a_client_not_assigned_to_them_and_the_attempt_is_audited(practice: Practice) -> None:
    # Given a client of another therapist
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    tess, _ = practice.add_staff("Tess Therapist", "tess@harbor.test")
    client = add_client(tess, "Blair Brown")

    # When Theo opens that client's record
    response = theo.get(f"/api/clients/{client['id']}")

    # Then it is as if the client did not exist
    assert response.status == 404, response.json
    assert response.problem_type == "/problems/not-found"
    assert "Blair" not in response.body.decode()

    # And the attempt is audited as denied, with the client as subject
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.actor_id, event.subject_client_id) == ("client.read", "denied", theo_id, client["id"])


def test_a_therapist_cannot_edit_a_client_not_assigned_to_them(practice: Practice) -> None:
    # Given a client of another therapist
    theo, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    tess, _ = practice.add_staff("Tess Therapist", "tess@harbor.test")
    client = add_client(tess, "Blair Brown")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When Theo edits it
    response = theo.patch(f"/api/clients/{client['id']}", {"version": client["version"], "name": "Changed"})

    # Then it is not found, and nothing changed
    assert response.status == 404
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert audit_of_client(practice.org_id, client["id"])[-1] == ("client.read", "denied")


def test_another_practices_client_is_not_found(practice: Practice, other_practice: Practice) -> None:
    # Given a client of Harbor
    client = add_client(practice.admin, "Jordan Lee")

    # When Cove's administrator asks for it by id
    response = other_practice.admin.get(f"/api/clients/{client['id']}")

    # Then Cove gets a plain 404, and Cove's list is empty
    assert response.status == 404
    assert response.problem_type == "/problems/not-found"
    assert names(other_practice.admin.get("/api/clients")) == []


def test_reading_a_client_is_audited_with_the_client_as_subject(practice: Practice) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When the administrator opens the record
    response = practice.admin.get(f"/api/clients/{client['id']}")

    # Then they get the record, and the read is audited without any of its values
    assert response.status == 200
    assert response.json == client
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.actor_id, event.subject_client_id) == (
        "client.read",
        "success",
        practice.admin_id,
        client["id"],
    )
    assert event.resource == f"client/{client['id']}"
    assert "jo@example.test" not in str(event.attribute_values) and "Jordan" not in str(event.attribute_values)


# ------------------------------------------------------------------------------------------------------------ edit


def test_an_edit_changes_the_record_and_its_search_entries(practice: Practice) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test", phone="555 0100")

    # When the administrator renames them, changes the email and clears the phone
    response = practice.admin.patch(
        f"/api/clients/{client['id']}",
        {"version": client["version"], "name": "Jordan Rivera", "email": "JR@Example.test", "phone": ""},
    )

    # Then the record has the new details and a new version
    assert response.status == 200, response.json
    changed = response.json
    assert (changed["name"], changed["email"], changed["phone"]) == ("Jordan Rivera", "jr@example.test", None)
    assert changed["preferred_name"] is None and changed["date_of_birth"] is None
    assert changed["version"] == client["version"] + 1
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.name, stored.email, stored.phone, stored.version) == ("Jordan Rivera", "jr@example.test", None, changed["version"])

    # And the client is found by the new words only
    assert search_tokens_of(practice.org_id, client["id"]) == {"jordan", "rivera", "jr@example.test"}
    assert search(practice.admin, "lee") == []
    assert search(practice.admin, "rive") == ["Jordan Rivera"]

    # And the change is audited
    assert audit_of_client(practice.org_id, client["id"])[-1] == ("client.update", "success")


def test_fields_left_out_of_an_edit_stay_as_they_were(practice: Practice) -> None:
    # Given a client with full details
    client = add_client(practice.admin, "Jordan Lee", preferred_name="Jo", email="jo@example.test", date_of_birth="1990-04-12")

    # When only the phone is changed
    response = practice.admin.patch(f"/api/clients/{client['id']}", {"version": client["version"], "phone": "555 0199"})

    # Then everything else is unchanged
    assert response.status == 200
    assert {k: v for k, v in response.json.items() if k not in ("phone", "version")} == {
        k: v for k, v in client.items() if k not in ("phone", "version")
    }


def test_a_stale_version_is_refused_and_nothing_changes(practice: Practice) -> None:
    # Given a client edited by someone else since the form was opened
    client = add_client(practice.admin, "Jordan Lee")
    first = practice.admin.patch(f"/api/clients/{client['id']}", {"version": client["version"], "name": "Jordan Rivera"})
    assert first.status == 200
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When the stale form is saved
    response = practice.admin.patch(f"/api/clients/{client['id']}", {"version": client["version"], "name": "Jordan Smith"})

    # Then it is a stale-version conflict, and the other edit stands
    assert response.status == 409, response.json
    assert response.problem_type == "/problems/stale-version"
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert search(practice.admin, "smith") == []


def test_an_invalid_edit_is_refused_and_nothing_changes(practice: Practice) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", date_of_birth="1990-04-12")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When the date of birth is set to tomorrow-or-later, along with a valid rename
    response = practice.admin.patch(
        f"/api/clients/{client['id']}", {"version": client["version"], "name": "Jordan Rivera", "date_of_birth": "2999-12-31"}
    )

    # Then the edit is refused as a whole
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["date_of_birth"]
    assert stored_client(practice.org_id, client["id"]).attribute_values == before


def test_changing_the_assignment_moves_the_client_between_therapists_lists(practice: Practice) -> None:
    # Given a client of Theo
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    tess, tess_id = practice.add_staff("Tess Therapist", "tess@harbor.test")
    client = add_client(theo, "Jordan Lee")

    # When the administrator reassigns the client to Tess
    response = practice.admin.patch(f"/api/clients/{client['id']}", {"version": client["version"], "therapist_ids": [tess_id]})

    # Then the client leaves Theo's list and joins Tess's
    assert response.status == 200, response.json
    assert response.json["therapist_ids"] == [tess_id]
    assert names(theo.get("/api/clients")) == []
    assert names(tess.get("/api/clients")) == ["Jordan Lee"]
    assert assigned_client_ids(practice.org_id, theo_id) == []
    assert assigned_client_ids(practice.org_id, tess_id) == [client["id"]]

    # And Theo can no longer open the record, while Tess can
    assert theo.get(f"/api/clients/{client['id']}").status == 404
    assert tess.get(f"/api/clients/{client['id']}").status == 200


def test_a_therapist_cannot_change_a_clients_therapists(practice: Practice) -> None:
    # Given Theo's client
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    _, tess_id = practice.add_staff("Tess Therapist", "tess@harbor.test")
    client = add_client(theo, "Jordan Lee")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When Theo tries to add Tess
    response = theo.patch(f"/api/clients/{client['id']}", {"version": client["version"], "therapist_ids": [theo_id, tess_id]})

    # Then it is forbidden and nothing changed
    assert response.status == 403
    assert response.problem_type == "/problems/forbidden"
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert assigned_client_ids(practice.org_id, tess_id) == []


def test_a_therapist_edits_their_own_clients_details(practice: Practice) -> None:
    # Given Theo's client
    theo, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    client = add_client(theo, "Jordan Lee")

    # When Theo corrects the preferred name
    response = theo.patch(f"/api/clients/{client['id']}", {"version": client["version"], "preferred_name": "Jo"})

    # Then it is saved
    assert response.status == 200, response.json
    assert stored_client(practice.org_id, client["id"]).preferred_name == "Jo"


def test_reassigning_to_an_unknown_therapist_is_refused_and_nothing_changes(practice: Practice) -> None:
    # Given Theo's client
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    client = add_client(theo, "Jordan Lee")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When the administrator reassigns it to an id that is nobody here
    response = practice.admin.patch(
        f"/api/clients/{client['id']}", {"version": client["version"], "therapist_ids": ["stf_0000000000000000"]}
    )

    # Then it is refused, and Theo still has the client
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["therapist_ids"]
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert assigned_client_ids(practice.org_id, theo_id) == [client["id"]]


def test_a_portal_account_keeps_an_email(practice: Practice) -> None:
    # Given an invited client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    version = stored_client(practice.org_id, client["id"]).version

    # When the administrator clears the email
    response = practice.admin.patch(f"/api/clients/{client['id']}", {"version": version, "email": ""})

    # Then it is refused: the portal account signs in with it
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["email"]
    assert stored_client(practice.org_id, client["id"]).email == "jo@example.test"


# ---------------------------------------------------------------------------------------------------------- search


@pytest.fixture
def roster(practice: Practice) -> Practice:
    for name, extra in (
        ("Jordan Lee", {"email": "jlee@example.test"}),
        ("Sam Rivera", {"email": "sam@example.test", "preferred_name": "Sammy"}),
        ("Jordana Diaz", {}),
        ("Lee Jordan-Smith", {"email": "ljs@other.test"}),
    ):
        add_client(practice.admin, name, **extra)
    return practice


def test_search_matches_the_start_of_any_word_of_the_name(roster: Practice) -> None:
    # When the administrator types the start of a word
    # Then every client with a word starting that way is found, regardless of case
    assert search(roster.admin, "jord") == ["Jordan Lee", "Jordana Diaz", "Lee Jordan-Smith"]
    assert search(roster.admin, "RIV") == ["Sam Rivera"]
    assert search(roster.admin, "smi") == ["Lee Jordan-Smith"]
    # And the middle of a word is not a match
    assert search(roster.admin, "ivera") == []


def test_search_matches_the_preferred_name(roster: Practice) -> None:
    assert search(roster.admin, "sammy") == ["Sam Rivera"]


def test_every_word_of_a_search_must_match(roster: Practice) -> None:
    # When the administrator types two words
    # Then only clients matching both are found, in any order
    assert search(roster.admin, "jordan le") == ["Jordan Lee", "Lee Jordan-Smith"]
    assert search(roster.admin, "lee jordan") == ["Jordan Lee", "Lee Jordan-Smith"]
    assert search(roster.admin, "jordan diaz") == ["Jordana Diaz"]
    assert search(roster.admin, "jordan rivera") == []


def test_search_matches_the_start_of_the_email(roster: Practice) -> None:
    assert search(roster.admin, "sam@example.test") == ["Sam Rivera"]
    assert search(roster.admin, "SAM@exa") == ["Sam Rivera"]
    assert search(roster.admin, "ljs@") == ["Lee Jordan-Smith"]
    assert search(roster.admin, "jlee") == ["Jordan Lee"]


def test_a_search_needs_two_letters(roster: Practice) -> None:
    # When the administrator searches for a single letter
    response = roster.admin.post("/api/clients/search", {"q": "j"})

    # Then they are asked for more
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["q"]


def test_a_therapists_search_finds_only_their_clients(practice: Practice) -> None:
    # Given Theo's client and Tess's client with similar names
    theo, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    tess, _ = practice.add_staff("Tess Therapist", "tess@harbor.test")
    add_client(theo, "Jordan Lee", email="jordan.lee@example.test")
    add_client(tess, "Jordan Lewis", email="jordan.lewis@example.test")

    # When each therapist searches, by name or by the other's client's email
    # Then each finds only their own client
    assert search(theo, "jordan") == ["Jordan Lee"]
    assert search(tess, "jordan le") == ["Jordan Lewis"]
    assert search(theo, "jordan.lewis@example.test") == []
    assert search(practice.admin, "jordan") == ["Jordan Lee", "Jordan Lewis"]


def test_the_list_pages_with_a_cursor(practice: Practice, settings: Settings) -> None:
    # Given five clients and pages of two
    for name in ("Avery", "Blair", "Casey", "Devon", "Emery"):
        add_client(practice.admin, f"{name} Client")
    lowered(settings, page_size=2)

    # When the administrator follows the cursors to the end
    seen: list[str] = []
    url = "/api/clients"
    for _ in range(5):
        page = practice.admin.get(url)
        assert page.status == 200, page.json
        assert len(page.json["items"]) <= 2
        seen += [item["name"] for item in page.json["items"]]
        if not page.json["next_cursor"]:
            break
        url = f"/api/clients?cursor={page.json['next_cursor']}"

    # Then every client appears exactly once
    assert sorted(seen) == ["Avery Client", "Blair Client", "Casey Client", "Devon Client", "Emery Client"]


def test_a_therapists_list_pages_with_a_cursor(practice: Practice, settings: Settings) -> None:
    # Given three clients of Theo and one of the administrator's
    theo, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    for name in ("Avery", "Blair", "Casey"):
        add_client(theo, f"{name} Client")
    add_client(practice.admin, "Devon Client")
    lowered(settings, page_size=2)

    # When Theo pages through
    first = theo.get("/api/clients")
    second = theo.get(f"/api/clients?cursor={first.json['next_cursor']}")

    # Then the two pages hold exactly his three clients
    assert len(first.json["items"]) == 2
    assert sorted(i["name"] for i in first.json["items"] + second.json["items"]) == ["Avery Client", "Blair Client", "Casey Client"]


def test_a_cursor_from_another_practice_is_refused(practice: Practice, other_practice: Practice, settings: Settings) -> None:
    # Given a cursor from Cove's list
    for name in ("Avery", "Blair", "Casey"):
        add_client(other_practice.admin, f"{name} Client")
    lowered(settings, page_size=2)
    cursor = other_practice.admin.get("/api/clients").json["next_cursor"]
    assert cursor

    # When Harbor's administrator uses it
    response = practice.admin.get(f"/api/clients?cursor={cursor}")

    # Then it is refused: cursors are authenticated and bound to the route and the caller (issue 8)
    assert response.status == 400
    assert response.problem_type == "/problems/invalid-cursor"


# ----------------------------------------------------------------------------------------------------------- audit


def test_every_read_change_and_portal_step_of_a_client_is_audited_with_the_client_as_subject(practice: Practice) -> None:
    # Given a client taken through the whole portal life cycle by the administrator
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert practice.admin.get(f"/api/clients/{client['id']}").status == 200
    assert practice.admin.patch(f"/api/clients/{client['id']}", {"version": client["version"], "preferred_name": "Jo"}).status == 200
    assert invite(practice.admin, client["id"]).status == 200
    person = open_portal_account(practice, practice.admin, client["id"], "jo@example.test")
    assert person.get("/api/portal/home").status == 200
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable").status == 200
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/enable").status == 200

    stored = audit_of_client(practice.org_id, client["id"])

    # When the administrator reads the client's audit trail
    trail = practice.admin.get(f"/api/audit?client={client['id']}")

    # Then every step is there, with the client as subject
    expected = [
        ("client.create", "success"),
        ("client.read", "success"),
        ("client.update", "success"),
        ("client.invite", "success"),
        ("client.invite", "success"),
        ("account.client_invite_redeem", "success"),
        ("portal.home", "success"),
        ("client.portal_disable", "success"),
        ("client.portal_enable", "success"),
    ]
    assert stored == expected
    assert trail.status == 200
    assert [(e["action"], e["outcome"]) for e in reversed(trail.json["items"])] == expected
    assert all(e["subject_client_id"] == client["id"] for e in trail.json["items"])


LONG_EMAIL = "jordan.alexander.lee-whitfield.personal@mail.an-unusually-long-domain.example.test"


def test_a_long_email_is_found_whole(practice: Practice) -> None:
    # Given a client whose email is longer than a search word is kept
    client = add_client(practice.admin, "Jordan Lee", email=LONG_EMAIL)

    # When the administrator searches for the whole email
    # Then the client is found
    assert len(LONG_EMAIL) > 64
    assert search(practice.admin, LONG_EMAIL) == ["Jordan Lee"]
    assert LONG_EMAIL in search_tokens_of(practice.org_id, client["id"])


def test_the_email_stays_searchable_however_many_words_the_name_has(practice: Practice) -> None:
    # Given a client whose name and preferred name hold far more words than are indexed
    many = " ".join(f"W{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(30))
    client = add_client(practice.admin, many, preferred_name=many[::-1], email="many@example.test")

    # Then the email and the first words are always among the stored search words
    tokens = search_tokens_of(practice.org_id, client["id"])
    assert "many@example.test" in tokens
    assert {"waa", "wab", "wac"} <= tokens
    assert search(practice.admin, "many@example.test") == [many]
