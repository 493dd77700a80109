"""Staff accounts: invitations, unique emails, role and permission changes, deactivation, the last administrator."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib.adapters.mail import SentMail, use_mailer
from chalicelib.config import Settings
from chalicelib.errors import Conflict, DeliveryFailed, DomainError, problem_response
from chalicelib.services import staff as staff_service
from chalicelib.tables.tokens import PasswordToken
from tests.conftest import (
    PASSWORD,
    Mailbox,
    Practice,
    lowered,
    principal_of_browser,
    sign_in,
    staff_in,
    stored_organization,
    stored_staff,
    table_size,
)


def invite(practice: Practice, email: str, role: str = "therapist", **extra: Any) -> Any:
    return practice.admin.post("/api/staff", {"name": "Sam Staff", "email": email, "role": role, **extra})


class FailingMailer:
    """SES refusing every message (throttled, sandboxed or down)."""

    def send(self, to: str, mail: Any) -> SentMail:
        raise DeliveryFailed("SES is unavailable")


# ---------------------------------------------------------------------------------------------------- invitations


def test_an_administrator_invites_a_therapist(practice: Practice, mailbox: Mailbox) -> None:
    # When the administrator invites a therapist
    response = invite(practice, "sam@harbor.test", can_invite_clients=True)

    # Then the therapist exists as invited, without a seat, and the invitation went out
    assert response.status == 201, response.json
    member = response.json
    assert (member["status"], member["role"], member["subscribed"]) == ("invited", "therapist", False)
    assert (member["can_invite_clients"], member["invitation_delivery"]) == (True, "sent")

    # And the stored record and the organization's counters agree
    stored = stored_staff(practice.org_id, member["id"])
    assert (stored.email, stored.status, stored.password_hash) == ("sam@harbor.test", "invited", None)
    organization = stored_organization(practice.org_id)
    assert (organization.staff_count, organization.administrator_count) == (2, 1)

    # And the mail holds a set-password link that works
    [mail] = mailbox.to("sam@harbor.test")
    assert "#token=" in mail["body"]
    redeemed = practice.new_browser().post(
        "/api/password-tokens/redeem", {"token": mailbox.token_for("sam@harbor.test"), "password": PASSWORD}
    )
    assert redeemed.status == 200
    assert stored_staff(practice.org_id, member["id"]).status == "active"


def test_an_invited_administrator_counts_as_one_and_may_invite_clients(practice: Practice) -> None:
    # When the administrator invites a second administrator without ticking "may invite clients"
    response = invite(practice, "ari@harbor.test", role="administrator", can_invite_clients=False)

    # Then administrators always may invite clients, and the organization counts two administrators
    assert response.status == 201
    assert response.json["can_invite_clients"] is True
    assert stored_organization(practice.org_id).administrator_count == 2


def test_an_email_already_used_in_the_practice_is_a_conflict_and_nothing_is_written(practice: Practice, mailbox: Mailbox) -> None:
    # Given a therapist was invited with an email
    assert invite(practice, "sam@harbor.test").status == 201
    staff_before, tokens_before = len(staff_in(practice.org_id)), table_size(PasswordToken)
    mails_before = len(mailbox.messages())

    # When the same email — in other letters' case — is invited again
    response = invite(practice, "  SAM@Harbor.test ")

    # Then it is a conflict on the email field
    assert response.status == 409
    assert response.problem_type == "/problems/conflict"
    assert [e["field"] for e in response.json["errors"]] == ["email"]

    # And no staff member, link, count or mail was added
    assert len(staff_in(practice.org_id)) == staff_before
    assert table_size(PasswordToken) == tokens_before
    assert stored_organization(practice.org_id).staff_count == 2
    assert len(mailbox.messages()) == mails_before


def test_the_same_email_may_work_for_another_practice(practice: Practice, other_practice: Practice) -> None:
    # Given a therapist works at Harbor
    assert invite(practice, "sam@therapists.test").status == 201

    # When Cove invites the same person
    response = invite(other_practice, "sam@therapists.test")

    # Then that is fine: emails are unique per practice
    assert response.status == 201
    assert [m.email for m in staff_in(other_practice.org_id)].count("sam@therapists.test") == 1


def test_two_simultaneous_invitations_of_one_email_have_exactly_one_winner(serializable_dynamodb: None, practice: Practice) -> None:
    # Given two administrators' requests that invite the same email at the same moment
    principal = principal_of_browser(practice.admin)
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def attempt(name: str) -> None:
        request = staff_service.NewStaff(name=name, email="sam@harbor.test", role="therapist", can_invite_clients=False)
        barrier.wait()
        try:
            outcomes.append(staff_service.invite_staff(principal, request))
        except DomainError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=attempt, args=(name,)) for name in ("Sam One", "Sam Two")]

    # When both run
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one invitation exists and the other request got a conflict
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1 and len(outcomes) == 2, outcomes
    assert problem_response(conflicts[0], None).status_code == 409
    assert [m.email for m in staff_in(practice.org_id)].count("sam@harbor.test") == 1
    assert stored_organization(practice.org_id).staff_count == 2


# ------------------------------------------------------------------------------------------ roles and permissions


def test_a_role_change_ends_the_staff_members_sessions_and_applies_at_next_sign_in(practice: Practice) -> None:
    # Given a signed-in therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    version = practice.admin.get(f"/api/staff/{therapist_id}").json["version"]

    # When the administrator makes them an administrator
    response = practice.admin.patch(f"/api/staff/{therapist_id}", {"version": version, "role": "administrator"})

    # Then the change is stored and counted
    assert response.status == 200, response.json
    assert response.json["role"] == "administrator"
    assert stored_staff(practice.org_id, therapist_id).role == "administrator"
    assert stored_organization(practice.org_id).administrator_count == 2

    # And their old session ended, so the new role applies from their next sign-in
    assert therapist.get("/api/session").status == 401
    _, again = sign_in(practice.client, practice.slug, "theo@harbor.test")
    assert again.json["principal"]["role"] == "administrator"


def test_granting_client_invitations_ends_the_sessions_and_applies_at_next_sign_in(practice: Practice) -> None:
    # Given a signed-in therapist who may not invite clients
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert therapist.get("/api/session").json["principal"]["can_invite_clients"] is False
    version = practice.admin.get(f"/api/staff/{therapist_id}").json["version"]

    # When the administrator lets them invite clients
    response = practice.admin.patch(f"/api/staff/{therapist_id}", {"version": version, "can_invite_clients": True})

    # Then their session ends and the next one carries the permission
    assert response.status == 200
    assert stored_staff(practice.org_id, therapist_id).can_invite_clients is True
    assert therapist.get("/api/session").status == 401
    _, again = sign_in(practice.client, practice.slug, "theo@harbor.test")
    assert again.json["principal"]["can_invite_clients"] is True


def test_renaming_a_staff_member_keeps_their_session(practice: Practice) -> None:
    # Given a signed-in therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    version = practice.admin.get(f"/api/staff/{therapist_id}").json["version"]

    # When only their name changes
    response = practice.admin.patch(f"/api/staff/{therapist_id}", {"version": version, "name": "Theodora Therapist"})

    # Then it is stored and they stay signed in (nothing they may do changed)
    assert response.status == 200
    assert stored_staff(practice.org_id, therapist_id).name == "Theodora Therapist"
    assert therapist.get("/api/session").status == 200


def test_a_stale_version_changes_nothing(practice: Practice) -> None:
    # Given an edit screen opened before someone else renamed the therapist
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    stale = practice.admin.get(f"/api/staff/{therapist_id}").json["version"]
    assert practice.admin.patch(f"/api/staff/{therapist_id}", {"version": stale, "name": "First Edit"}).status == 200

    # When the old screen saves a role change
    response = practice.admin.patch(f"/api/staff/{therapist_id}", {"version": stale, "role": "administrator"})

    # Then it is a stale-version conflict and the first edit stands alone
    assert response.status == 409
    assert response.problem_type == "/problems/stale-version"
    stored = stored_staff(practice.org_id, therapist_id)
    assert (stored.name, stored.role) == ("First Edit", "therapist")
    assert stored_organization(practice.org_id).administrator_count == 1


def test_an_administrator_cannot_demote_themself(practice: Practice) -> None:
    # When the administrator tries to make themself a therapist
    version = practice.admin.get(f"/api/staff/{practice.admin_id}").json["version"]
    response = practice.admin.patch(f"/api/staff/{practice.admin_id}", {"version": version, "role": "therapist"})

    # Then it is forbidden and they are still the administrator
    assert response.status == 403
    assert stored_staff(practice.org_id, practice.admin_id).role == "administrator"
    assert stored_organization(practice.org_id).administrator_count == 1


def test_an_administrator_cannot_deactivate_themself(practice: Practice) -> None:
    # When the administrator tries to deactivate their own account
    response = practice.admin.post(f"/api/staff/{practice.admin_id}/deactivate")

    # Then it is forbidden and nothing changed
    assert response.status == 403
    assert stored_staff(practice.org_id, practice.admin_id).status == "active"
    assert practice.admin.get("/api/session").status == 200


def second_administrator(practice: Practice) -> tuple[Any, str]:
    browser, admin_id = practice.add_staff("Bea Admin", "bea@harbor.test", role="administrator")
    assert stored_organization(practice.org_id).administrator_count == 2
    return principal_of_browser(browser), admin_id


def test_the_last_administrator_cannot_be_demoted_by_a_request_already_in_flight(practice: Practice) -> None:
    # Given two administrators, Ada and Bea, and a request of Bea's that passed its checks
    bea, bea_id = second_administrator(practice)
    ada_version = stored_staff(practice.org_id, practice.admin_id).version

    # When Ada demotes Bea first, and then Bea's request to demote Ada reaches the database
    bea_version = practice.admin.get(f"/api/staff/{bea_id}").json["version"]
    assert practice.admin.patch(f"/api/staff/{bea_id}", {"version": bea_version, "role": "therapist"}).status == 200
    with pytest.raises(Conflict) as refused:
        staff_service.update_staff(bea, practice.admin_id, staff_service.StaffChange(version=ada_version, role="therapist"))

    # Then the conditional count keeps one administrator: a 409 conflict, and Ada is still in charge
    assert problem_response(refused.value, None).status_code == 409
    assert stored_staff(practice.org_id, practice.admin_id).role == "administrator"
    assert stored_organization(practice.org_id).administrator_count == 1
    assert practice.admin.get("/api/session").status == 200


def test_the_last_administrator_cannot_be_deactivated_by_a_request_already_in_flight(practice: Practice) -> None:
    # Given two administrators, Ada and Bea, and a request of Bea's that passed its checks
    bea, bea_id = second_administrator(practice)

    # When Ada deactivates Bea first, and then Bea's request to deactivate Ada reaches the database
    assert practice.admin.post(f"/api/staff/{bea_id}/deactivate").status == 200
    with pytest.raises(Conflict) as refused:
        staff_service.deactivate_staff(bea, practice.admin_id)

    # Then Ada stays active and signed in
    assert problem_response(refused.value, None).status_code == 409
    assert stored_staff(practice.org_id, practice.admin_id).status == "active"
    assert stored_organization(practice.org_id).administrator_count == 1
    assert practice.admin.get("/api/session").status == 200


def test_two_administrators_demoting_each_other_at_once_leave_one(serializable_dynamodb: None, practice: Practice) -> None:
    # Given two administrators who open each other's record and demote each other at the same moment
    bea, bea_id = second_administrator(practice)
    ada = principal_of_browser(practice.admin)
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def demote(actor: Any, target_id: str) -> None:
        version = stored_staff(practice.org_id, target_id).version
        barrier.wait()
        try:
            outcomes[target_id] = staff_service.update_staff(actor, target_id, staff_service.StaffChange(version=version, role="therapist"))
        except DomainError as error:
            outcomes[target_id] = error

    threads = [threading.Thread(target=demote, args=(ada, bea_id)), threading.Thread(target=demote, args=(bea, practice.admin_id))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one demotion happened and the other was refused as a conflict
    assert sorted(type(o).__name__ for o in outcomes.values()) == ["Conflict", "Staff"], outcomes
    roles = sorted(stored_staff(practice.org_id, i).role for i in (practice.admin_id, bea_id))
    assert roles == ["administrator", "therapist"]
    assert stored_organization(practice.org_id).administrator_count == 1


# ---------------------------------------------------------------------------------------- deactivate, reactivate


def test_deactivation_ends_sessions_blocks_sign_in_and_frees_the_seat(practice: Practice) -> None:
    # Given a signed-in therapist who holds a seat
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.put(f"/api/subscription/seats/{therapist_id}").status == 200

    # When the administrator deactivates them
    response = practice.admin.post(f"/api/staff/{therapist_id}/deactivate")

    # Then they are deactivated without a seat, and the organization no longer counts them
    assert response.status == 200, response.json
    assert (response.json["status"], response.json["subscribed"]) == ("deactivated", False)
    stored = stored_staff(practice.org_id, therapist_id)
    assert (stored.status, stored.subscribed) == ("deactivated", False)
    organization = stored_organization(practice.org_id)
    assert therapist_id not in (organization.seat_holders or set())
    assert organization.staff_count == 1

    # And their session ended and they cannot sign in again
    assert therapist.get("/api/session").status == 401
    assert sign_in(practice.client, practice.slug, "theo@harbor.test")[1].status == 401


def test_a_deactivated_staff_member_can_be_reactivated(practice: Practice) -> None:
    # Given a deactivated therapist who had set a password
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.post(f"/api/staff/{therapist_id}/deactivate").status == 200

    # When the administrator reactivates them
    response = practice.admin.post(f"/api/staff/{therapist_id}/reactivate")

    # Then they are active again, counted again, and can sign in with their password
    assert response.status == 200
    assert response.json["status"] == "active"
    assert stored_organization(practice.org_id).staff_count == 2
    assert sign_in(practice.client, practice.slug, "theo@harbor.test")[1].status == 200


def test_reactivating_an_active_staff_member_is_a_conflict(practice: Practice) -> None:
    # Given an active therapist
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When the administrator reactivates them anyway
    response = practice.admin.post(f"/api/staff/{therapist_id}/reactivate")

    # Then it is a conflict and the count is unchanged
    assert response.status == 409
    assert stored_organization(practice.org_id).staff_count == 2


# ---------------------------------------------------------------------------------------------------- invitations


def test_resending_an_invitation_replaces_the_earlier_link(practice: Practice, mailbox: Mailbox) -> None:
    # Given a therapist whose first invitation is still unused
    therapist_id = invite(practice, "sam@harbor.test").json["id"]
    first = mailbox.token_for("sam@harbor.test")

    # When the administrator resends the invitation
    response = practice.admin.post(f"/api/staff/{therapist_id}/invitation")

    # Then a second mail went out, the first link is dead and the second one works
    assert response.status == 200, response.json
    assert len(mailbox.to("sam@harbor.test")) == 2
    second = mailbox.token_for("sam@harbor.test")
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": first, "password": PASSWORD}).status == 410
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": second, "password": PASSWORD}).status == 200


def test_an_invitation_cannot_be_resent_to_someone_who_already_joined(practice: Practice, mailbox: Mailbox) -> None:
    # Given a therapist who already set their password
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When the administrator resends the invitation
    response = practice.admin.post(f"/api/staff/{therapist_id}/invitation")

    # Then it is a conflict (they use password reset) and no mail went out
    assert response.status == 409
    assert len(mailbox.to("theo@harbor.test")) == 1


def test_a_failed_invitation_mail_keeps_the_staff_member_and_can_be_resent(practice: Practice, mailbox: Mailbox) -> None:
    # Given the mail service refuses messages
    use_mailer(FailingMailer())

    # When the administrator invites a therapist
    response = invite(practice, "sam@harbor.test")

    # Then the therapist is kept, marked as not reached
    assert response.status == 201, response.json
    assert response.json["invitation_delivery"] == "failed"
    therapist_id = response.json["id"]
    assert stored_staff(practice.org_id, therapist_id).invitation_delivery == "failed"
    assert mailbox.to("sam@harbor.test") == []

    # And once mail works again, resending reaches them with a working link
    use_mailer(None)
    resent = practice.admin.post(f"/api/staff/{therapist_id}/invitation")
    assert resent.status == 200
    assert resent.json["invitation_delivery"] == "sent"
    assert stored_staff(practice.org_id, therapist_id).invitation_delivery == "sent"
    token = mailbox.token_for("sam@harbor.test")
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": PASSWORD}).status == 200


# ---------------------------------------------------------------------------------------------- tenant isolation


def test_another_practices_staff_member_is_not_found(practice: Practice, other_practice: Practice) -> None:
    # Given a therapist at Cove
    _, cove_therapist = other_practice.add_staff("Cora Cove", "cora@cove.test")
    before = stored_staff(other_practice.org_id, cove_therapist)

    # When Harbor's administrator reads, edits or deactivates that id
    read = practice.admin.get(f"/api/staff/{cove_therapist}")
    edit = practice.admin.patch(f"/api/staff/{cove_therapist}", {"version": before.version, "name": "Taken Over"})
    deactivate = practice.admin.post(f"/api/staff/{cove_therapist}/deactivate")

    # Then every answer is 404 and Cove's record is untouched
    assert (read.status, edit.status, deactivate.status) == (404, 404, 404)
    after = stored_staff(other_practice.org_id, cove_therapist)
    assert (after.name, after.status, after.version) == (before.name, before.status, before.version)


def test_the_staff_list_pages_with_an_opaque_cursor(practice: Practice, other_practice: Practice, settings: Settings) -> None:
    # Given three staff members and pages of two
    practice.add_staff("Theo Therapist", "theo@harbor.test")
    invite(practice, "sam@harbor.test")
    lowered(settings, page_size=2)

    # When the administrator walks the list
    first = practice.admin.get("/api/staff")
    second = practice.admin.get(f"/api/staff?cursor={first.json['next_cursor']}")

    # Then they see everyone once
    assert first.status == 200 and len(first.json["items"]) == 2
    assert first.json["next_cursor"]
    emails = {m["email"] for m in first.json["items"] + second.json["items"]}
    assert emails == {"ada@harbor.test", "theo@harbor.test", "sam@harbor.test"}

    # And Harbor's cursor means nothing to Cove's administrator
    foreign = other_practice.admin.get(f"/api/staff?cursor={first.json['next_cursor']}")
    assert foreign.status == 400
