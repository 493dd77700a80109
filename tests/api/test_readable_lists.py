"""What the staff and client lists show beyond names: each client's therapists, paperwork progress and last activity
(kept on the record by the writes that change them), and staff members' names for any staff member to show."""

from __future__ import annotations

from tests.api.test_paperwork_checks import send, sign
from tests.api.test_paperwork_journey import CONSENT, PRIVACY
from tests.conftest import Practice, add_client, open_portal_account


def test_the_client_list_shows_therapists_paperwork_progress_and_last_activity(practice: Practice) -> None:
    # Given Jordan, Theo's client, who signed one of two forms, and Sam, who was never invited
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    sam = add_client(practice.admin, "Sam Rivera", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    privacy, _ = send(theo, jordan, PRIVACY, CONSENT)
    sign(person, privacy, PRIVACY)

    # When the administrator and Theo list clients
    for browser in (practice.admin, theo):
        listed = {c["id"]: c for c in browser.get("/api/clients").json["items"]}

        # Then each row carries the therapists, "1 of 2 signed", and when the client was last active
        assert listed[jordan]["therapist_ids"] == [theo_id]
        assert (listed[jordan]["paperwork"]["signed"], listed[jordan]["paperwork"]["waiting"]) == (1, 1)
        assert listed[jordan]["paperwork"]["waiting_since"] is not None
        assert listed[jordan]["last_activity_at"] is not None
        assert listed[sam]["paperwork"] == {"waiting": 0, "signed": 0, "waiting_since": None}
        assert listed[sam]["last_activity_at"] is None

    # And the client's own record carries the same
    record = practice.admin.get(f"/api/clients/{jordan}").json
    assert (record["paperwork"]["signed"], record["paperwork"]["waiting"]) == (1, 1)


def test_any_staff_member_may_read_names_of_their_own_practices_staff_only(practice: Practice, other_practice: Practice) -> None:
    # Given a therapist, and an administrator of another practice
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When Theo asks for names of himself, his administrator, the other practice's administrator and a client-like id
    asked = ",".join([theo_id, practice.admin_id, other_practice.admin_id, "cli_nobody"])
    response = theo.get(f"/api/staff/names?ids={asked}")

    # Then only his own practice's staff are named
    assert response.status == 200, response.json
    assert {item["id"]: item["name"] for item in response.json["items"]} == {theo_id: "Theo Therapist", practice.admin_id: "Ada Admin"}


def test_names_are_asked_for_fifty_at_a_time(practice: Practice) -> None:
    many = ",".join(f"stf_{i:04d}" for i in range(51))
    response = practice.admin.get(f"/api/staff/names?ids={many}")
    assert response.status == 422 and response.json["errors"][0]["field"] == "ids"
