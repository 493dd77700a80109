"""The portal subscription (seats, monthly cost) and what each staff member is entitled to use."""

from __future__ import annotations

from chalicelib.config import Settings
from tests.conftest import Practice, lowered, stored_organization, stored_staff

ALL_FEATURES = {"payments": True, "intake_forms": True, "self_scheduling": True, "messaging": True}


# --------------------------------------------------------------------------------------------------------- seats


def test_adding_a_seat_subscribes_the_staff_member(practice: Practice) -> None:
    # Given a therapist without a seat
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When the administrator adds their seat
    response = practice.admin.put(f"/api/subscription/seats/{therapist_id}")

    # Then the subscription lists them and the staff record says so
    assert response.status == 200, response.json
    assert response.json["seat_count"] == 1
    assert [seat["staff_id"] for seat in response.json["seats"]] == [therapist_id]
    assert stored_staff(practice.org_id, therapist_id).subscribed is True
    assert stored_organization(practice.org_id).seat_holders == {therapist_id}
    assert practice.admin.get(f"/api/staff/{therapist_id}").json["subscribed"] is True


def test_removing_a_seat_unsubscribes_the_staff_member(practice: Practice) -> None:
    # Given a therapist with a seat
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{therapist_id}").status == 200

    # When the administrator removes it
    response = practice.admin.delete(f"/api/subscription/seats/{therapist_id}")

    # Then the seat is gone everywhere
    assert response.status == 200, response.json
    assert (response.json["seat_count"], response.json["seats"]) == (0, [])
    assert stored_staff(practice.org_id, therapist_id).subscribed is False
    assert not stored_organization(practice.org_id).seat_holders


def test_a_seat_cannot_be_added_twice(practice: Practice) -> None:
    # Given a therapist who already holds a seat
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{therapist_id}").status == 200

    # When the seat is added again
    response = practice.admin.put(f"/api/subscription/seats/{therapist_id}")

    # Then it is a conflict and they still hold exactly one seat
    assert response.status == 409
    assert response.problem_type == "/problems/conflict"
    assert practice.admin.get("/api/subscription").json["seat_count"] == 1


def test_a_seat_that_is_not_held_cannot_be_removed(practice: Practice) -> None:
    # Given a therapist without a seat
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When the administrator removes their seat
    response = practice.admin.delete(f"/api/subscription/seats/{therapist_id}")

    # Then it is a conflict and nothing changed
    assert response.status == 409
    assert stored_staff(practice.org_id, therapist_id).subscribed is False


def test_a_deactivated_staff_member_cannot_get_a_seat(practice: Practice) -> None:
    # Given a deactivated therapist
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.post(f"/api/staff/{therapist_id}/deactivate").status == 200

    # When the administrator adds their seat
    response = practice.admin.put(f"/api/subscription/seats/{therapist_id}")

    # Then it is refused as a conflict and nothing is billed
    assert response.status == 409
    assert "Deactivated" in response.json["detail"]
    assert stored_staff(practice.org_id, therapist_id).subscribed is False
    assert not stored_organization(practice.org_id).seat_holders


def test_an_unknown_or_foreign_staff_id_has_no_seat(practice: Practice, other_practice: Practice) -> None:
    # Given a therapist at another practice
    _, cove_therapist = other_practice.add_staff("Cora Cove", "cora@cove.test")

    # When Harbor's administrator adds a seat for an id that does not exist, or for Cove's therapist
    unknown = practice.admin.put("/api/subscription/seats/stf_0000000000000000")
    foreign = practice.admin.put(f"/api/subscription/seats/{cove_therapist}")

    # Then both are 404 and no record was created or changed anywhere
    assert (unknown.status, foreign.status) == (404, 404)
    assert foreign.problem_type == "/problems/not-found"
    assert not stored_organization(practice.org_id).seat_holders
    assert stored_staff(other_practice.org_id, cove_therapist).subscribed is False


# ------------------------------------------------------------------------------------------------------ pricing


def test_a_solo_practice_pays_nothing(practice: Practice) -> None:
    # Given a practice whose only staff member is its administrator, who even holds a seat
    assert practice.admin.put(f"/api/subscription/seats/{practice.admin_id}").status == 200

    # When the administrator opens the subscription
    response = practice.admin.get("/api/subscription")

    # Then it is solo: everything included at no cost
    assert response.status == 200
    assert response.json["solo"] is True
    assert response.json["seat_count"] == 1
    assert (response.json["billable_seat_count"], response.json["monthly_total_cents"]) == (0, 0)


def test_the_monthly_total_is_billable_seats_times_the_seat_price(practice: Practice, settings: Settings) -> None:
    # Given a seat price of $25, and two of three staff members with a seat
    lowered(settings, seat_price_cents=2500)
    _, theo = practice.add_staff("Theo Therapist", "theo@harbor.test")
    practice.add_staff("Tia Therapist", "tia@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{theo}").status == 200
    assert practice.admin.put(f"/api/subscription/seats/{practice.admin_id}").status == 200

    # When the administrator opens the subscription
    response = practice.admin.get("/api/subscription").json

    # Then two seats are billed at the seat price
    assert response["solo"] is False
    assert (response["billable_seat_count"], response["seat_price_cents"]) == (2, 2500)
    assert response["monthly_total_cents"] == 5000


# ------------------------------------------------------------------------------------------------ entitlements


def test_a_therapist_without_a_seat_gets_the_included_features_only(practice: Practice) -> None:
    # Given a practice with two staff members, and a therapist without a seat
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When the therapist asks what they may use
    response = therapist.get("/api/entitlements")

    # Then payments and intake forms are included; self-scheduling and messaging need a seat
    assert response.status == 200
    assert response.json["features"] == {"payments": True, "intake_forms": True, "self_scheduling": False, "messaging": False}


def test_a_therapist_with_a_seat_gets_every_feature(practice: Practice) -> None:
    # Given a therapist whose administrator added their seat
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{therapist_id}").status == 200

    # When the therapist asks what they may use (the seat needs no new sign-in)
    response = therapist.get("/api/entitlements")

    # Then everything is on
    assert response.json["features"] == ALL_FEATURES


def test_a_solo_administrator_gets_every_feature_without_a_seat(practice: Practice) -> None:
    # When the only staff member asks what they may use
    response = practice.admin.get("/api/entitlements")

    # Then everything is included
    assert response.json["features"] == ALL_FEATURES


def test_a_feature_switched_off_is_off_for_everyone(practice: Practice) -> None:
    # Given a therapist with a seat
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{therapist_id}").status == 200
    assert practice.admin.put(f"/api/subscription/seats/{practice.admin_id}").status == 200

    # When the administrator switches messaging off for the practice
    version = practice.admin.get("/api/organization/settings").json["version"]
    assert practice.admin.patch("/api/organization/settings", {"version": version, "features": {"messaging": False}}).status == 200

    # Then nobody has messaging, seat or not, while the rest stays on
    for person in (therapist, practice.admin):
        features = person.get("/api/entitlements").json["features"]
        assert features == {**ALL_FEATURES, "messaging": False}
