"""Recovery codes (single-use, stored as hashes, replaced whole) and an administrator's reset of another person's
second factor."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from tests.api.factors import (
    actions_of,
    factor_items,
    register_passkey,
    set_up_authenticator,
    stage_of,
    stored_account,
)
from tests.conftest import Practice, audit_trail, sign_in
from tests.soft_authenticator import SoftAuthenticator

THERAPIST = "theo@harbor.test"


def _therapist_codes(practice: Practice) -> tuple[str, list[str]]:
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    codes = set_up_authenticator(therapist).recovery_codes
    assert codes
    return therapist_id, codes


# -------------------------------------------------------------------------------------------- recovery codes


def test_a_recovery_code_proves_the_second_factor_and_says_how_many_remain(practice: Practice) -> None:
    # Given a therapist who lost their phone, signed in with the password
    therapist_id, codes = _therapist_codes(practice)
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When they enter one of their recovery codes (as typed: spaces, capitals)
    response = browser.post("/api/session/second-factor/recovery-code", {"code": codes[3].upper().replace("-", " ")})

    # Then the session is complete, nine codes remain, and the use is audited
    assert response.status == 200, response.json
    assert response.json["recovery_codes_left"] == 9
    assert response.json["session"]["second_factor"]["signed_in_with"] == "password+recovery_code"
    assert stored_account(practice.org_id, therapist_id).recovery_codes_left == 9
    assert actions_of(practice.org_id)[-1] == ("second_factor.recovery_code_use", "success")


def test_a_recovery_code_works_once(practice: Practice) -> None:
    # Given a recovery code used once
    therapist_id, codes = _therapist_codes(practice)
    first, _ = sign_in(practice.client, practice.slug, THERAPIST)
    assert first.post("/api/session/second-factor/recovery-code", {"code": codes[0]}).status == 200

    # When it is used again
    second, _ = sign_in(practice.client, practice.slug, THERAPIST)
    response = second.post("/api/session/second-factor/recovery-code", {"code": codes[0]})

    # Then it is refused, the count is unchanged, and the failure is audited
    assert response.status == 422
    assert stage_of(second) == "verify"
    assert stored_account(practice.org_id, therapist_id).recovery_codes_left == 9
    assert actions_of(practice.org_id)[-1] == ("second_factor.recovery_code_use", "failure")


def test_recovery_codes_are_stored_only_as_hashes(practice: Practice) -> None:
    from chalicelib.auth.recovery_codes import code_hash, normalise

    # Given a therapist's ten recovery codes
    therapist_id, codes = _therapist_codes(practice)

    # Then what is stored are their salted hashes, never the codes
    stored = [item for item in factor_items(practice.org_id, therapist_id) if item.startswith("RECOVERY#")]
    assert sorted(item.rsplit("#", 1)[1] for item in stored) == sorted(code_hash(therapist_id, normalise(c) or "") for c in codes)
    assert not any((normalise(code) or "-") in item for code in codes for item in stored)


def test_new_recovery_codes_replace_the_old_ones(practice: Practice) -> None:
    # Given a therapist who just replaced their recovery codes
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    old = set_up_authenticator(therapist).recovery_codes or []
    replaced = therapist.post("/api/account/recovery-codes")
    assert replaced.status == 201, replaced.json
    new = replaced.json["recovery_codes"]

    # When they sign in with an old code, then with a new one
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)
    with_old = browser.post("/api/session/second-factor/recovery-code", {"code": old[0]})
    with_new = browser.post("/api/session/second-factor/recovery-code", {"code": new[0]})

    # Then only the new set works, and only ten codes are stored
    assert (with_old.status, with_new.status) == (422, 200)
    assert len([i for i in factor_items(practice.org_id, therapist_id) if i.startswith("RECOVERY#")]) == 9
    assert ("second_factor.recovery_codes_issue", "success") in actions_of(practice.org_id)


def test_replacing_recovery_codes_needs_a_recent_proof(practice: Practice, frozen_clock: None) -> None:
    # Given a therapist whose last proof is 20 minutes old
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)
    for _ in range(5):
        clock.advance(timedelta(minutes=4))
        therapist.post("/api/session/keepalive")

    # When they ask for new recovery codes
    response = therapist.post("/api/account/recovery-codes")

    # Then they must prove their factor again first
    assert (response.status, response.problem_type) == (403, "/problems/step-up-required")


# ------------------------------------------------------------------------------------------------------ resets


def test_an_administrator_resets_a_therapists_second_factor(practice: Practice) -> None:
    # Given a therapist with an app and a passkey, signed in, and an administrator who just set up their own factor
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)
    assert register_passkey(therapist, SoftAuthenticator()).status == 201
    set_up_authenticator(practice.admin)

    # When the administrator resets the therapist's second factor
    response = practice.admin.post(f"/api/staff/{therapist_id}/second-factor/reset")

    # Then every factor is gone, the therapist's sessions ended, and the reset is audited
    assert response.status == 204, response.json
    assert factor_items(practice.org_id, therapist_id) == []
    account = stored_account(practice.org_id, therapist_id)
    assert (account.totp_enabled, account.passkey_count, account.recovery_codes_left) == (None, 0, 0)
    assert therapist.get("/api/session").status == 401
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.resource, event.actor_id) == ("second_factor.reset", f"staff/{therapist_id}", practice.admin_id)


def test_after_a_reset_the_person_sets_a_factor_up_at_the_next_sign_in(practice: Practice) -> None:
    # Given a therapist whose factor was reset, in a practice that does not require one
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)
    set_up_authenticator(practice.admin)
    assert practice.admin.post(f"/api/staff/{therapist_id}/second-factor/reset").status == 204

    # When they sign in with their password
    browser, signed_in = sign_in(practice.client, practice.slug, THERAPIST)

    # Then they must set one up before anything else; once done, the reset is cleared
    assert signed_in.json["second_factor"]["stage"] == "set_up"
    set_up_authenticator(browser)
    assert browser.get("/api/clients").status == 200
    assert stored_account(practice.org_id, therapist_id).second_factor_reset is None


def test_a_reset_needs_the_administrators_own_recent_second_factor(practice: Practice) -> None:
    # Given an administrator signed in with a password only
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)

    # When they try to reset the therapist's factor
    response = practice.admin.post(f"/api/staff/{therapist_id}/second-factor/reset")

    # Then they are asked to prove their own first (audited), and nothing changes
    assert (response.status, response.problem_type) == (403, "/problems/step-up-required")
    assert stored_account(practice.org_id, therapist_id).totp_enabled is True
    assert audit_trail(practice.org_id)[0].action == "request.step_up_required"


def test_an_administrator_cannot_reset_their_own_factor_this_way(practice: Practice) -> None:
    set_up_authenticator(practice.admin)
    response = practice.admin.post(f"/api/staff/{practice.admin_id}/second-factor/reset")
    assert response.status == 403
    assert stored_account(practice.org_id, practice.admin_id).totp_enabled is True


def test_another_practices_staff_member_is_not_found(practice: Practice, other_practice: Practice) -> None:
    # Given a staff member of another practice with an app
    set_up_authenticator(other_practice.admin)
    set_up_authenticator(practice.admin)

    # When this practice's administrator names them
    response = practice.admin.post(f"/api/staff/{other_practice.admin_id}/second-factor/reset")

    # Then they are not found, and their factor is untouched
    assert response.status == 404
    assert stored_account(other_practice.org_id, other_practice.admin_id).totp_enabled is True


def test_an_administrator_resets_a_clients_second_factor(practice: Practice) -> None:
    from tests.conftest import add_client, open_portal_account

    # Given a client with an authenticator app
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@client.test")["id"]
    client = open_portal_account(practice, practice.admin, client_id, "jordan@client.test")
    set_up_authenticator(client)
    set_up_authenticator(practice.admin)

    # When the administrator resets it
    response = practice.admin.post(f"/api/clients/{client_id}/second-factor/reset")

    # Then it is gone, the client's session ended, and the event is filed under the client
    assert response.status == 204
    assert factor_items(practice.org_id, client_id) == []
    assert client.get("/api/session").status == 401
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.subject_client_id) == ("second_factor.reset", client_id)
