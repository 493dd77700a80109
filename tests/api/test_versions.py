"""Counter and seat updates must not disturb the optimistic-locking versions that edit forms send back."""

from __future__ import annotations

from tests.conftest import Practice


def test_staff_changes_do_not_reset_the_settings_version(practice: Practice) -> None:
    # Given settings edited twice (version 3)
    for line in ("Call us", "Call us today"):
        version = practice.admin.get("/api/organization/settings").json["version"]
        assert practice.admin.patch("/api/organization/settings", {"version": version, "contact_line": line}).status == 200
    before = practice.admin.get("/api/organization/settings").json["version"]

    # When staff are invited, seated and deactivated (which update the organization's counters)
    _, staff_id = practice.add_staff("Dana Therapist", "dana@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{staff_id}").status == 200
    assert practice.admin.post(f"/api/staff/{staff_id}/deactivate").status == 200

    # Then the settings version is untouched, so a stale settings form is still refused
    assert practice.admin.get("/api/organization/settings").json["version"] == before
    stale = practice.admin.patch("/api/organization/settings", {"version": before - 1, "contact_line": "overwrite"})
    assert stale.status == 409


def test_a_seat_change_does_not_reset_the_staff_version(practice: Practice) -> None:
    # Given a staff member edited twice
    _, staff_id = practice.add_staff("Dana Therapist", "dana@harbor.test")
    for name in ("Dana T.", "Dana Therapist"):
        version = practice.admin.get(f"/api/staff/{staff_id}").json["version"]
        assert practice.admin.patch(f"/api/staff/{staff_id}", {"version": version, "name": name}).status == 200
    before = practice.admin.get(f"/api/staff/{staff_id}").json["version"]

    # When they get a seat
    assert practice.admin.put(f"/api/subscription/seats/{staff_id}").status == 200

    # Then their version is unchanged and an older edit form is still refused
    assert practice.admin.get(f"/api/staff/{staff_id}").json["version"] == before
    assert practice.admin.patch(f"/api/staff/{staff_id}", {"version": before - 1, "name": "Old"}).status == 409
