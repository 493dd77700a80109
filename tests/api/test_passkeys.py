"""Passkeys: registered from Account, named and removed; a second factor after the password; a sign-in alone where the
practice allows it. Every ceremony's challenge is single-use and expiring; malformed or foreign responses store
nothing."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from chalicelib import clock
from tests.api.factors import (
    actions_of,
    factor_items,
    passkey_sign_in,
    prove_with_passkey,
    register_passkey,
    require_for_staff,
    set_up_authenticator,
    stored_account,
)
from tests.conftest import Practice, session_record, sign_in, table_size
from tests.soft_authenticator import SoftAuthenticator, b64url

THERAPIST = "theo@harbor.test"


def _with_passkey(practice: Practice) -> tuple[Any, str, SoftAuthenticator]:
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    device = SoftAuthenticator()
    registered = register_passkey(therapist, device)
    assert registered.status == 201, registered.json
    return therapist, therapist_id, device


def sessions_stored() -> int:
    from chalicelib.tables.sessions import Session

    return table_size(Session)


# ------------------------------------------------------------------------------------------------ registration


def test_registering_a_first_passkey_stores_it_and_brings_recovery_codes(practice: Practice) -> None:
    # Given a signed-in therapist with no second factor
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)

    # When they register a passkey named "Laptop"
    response = register_passkey(therapist, SoftAuthenticator(), "Laptop")

    # Then it is stored under their account, counts as a factor, and comes with ten recovery codes
    assert response.status == 201, response.json
    assert response.json["passkey"]["name"] == "Laptop"
    assert len(response.json["recovery_codes"]) == 10
    account = stored_account(practice.org_id, therapist_id)
    assert (account.passkey_count, account.recovery_codes_left) == (1, 10)
    assert f"PASSKEY#{response.json['passkey']['id']}" in factor_items(practice.org_id, therapist_id)
    listed = therapist.get("/api/account/second-factor").json
    assert [p["name"] for p in listed["passkeys"]] == ["Laptop"]
    assert ("second_factor.passkey_register", "success") in actions_of(practice.org_id)


def test_a_second_passkey_brings_no_new_recovery_codes(practice: Practice) -> None:
    # Given a therapist with a passkey
    therapist, therapist_id, _ = _with_passkey(practice)

    # When they register another
    response = register_passkey(therapist, SoftAuthenticator(), "Phone")

    # Then it is added, and the recovery codes are unchanged
    assert response.status == 201
    assert response.json["recovery_codes"] is None
    assert stored_account(practice.org_id, therapist_id).passkey_count == 2


def test_a_registration_challenge_is_used_once(practice: Practice) -> None:
    # Given a therapist who registered a passkey with a challenge
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    options = therapist.post("/api/account/passkeys/options").json["options"]
    device = SoftAuthenticator()
    assert therapist.post("/api/account/passkeys", {"name": "One", "credential": device.create(options)}).status == 201

    # When the same challenge is answered again (another credential)
    again = therapist.post("/api/account/passkeys", {"name": "Two", "credential": device.create(options)})

    # Then it is refused and nothing more is stored
    assert (again.status, again.problem_type) == (422, "/problems/passkey-rejected")
    assert stored_account(practice.org_id, therapist_id).passkey_count == 1


def test_a_registration_from_another_origin_is_refused(practice: Practice) -> None:
    # Given a therapist asked to register a passkey
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    options = therapist.post("/api/account/passkeys/options").json["options"]

    # When the response was made for another site
    credential = SoftAuthenticator(origin="https://phishing.example").create(options)
    response = therapist.post("/api/account/passkeys", {"name": "Phished", "credential": credential})

    # Then it is refused, audited, and nothing is stored
    assert response.status == 422
    assert factor_items(practice.org_id, therapist_id) == []
    assert actions_of(practice.org_id)[-1] == ("second_factor.passkey_register", "failure")


def test_malformed_registration_responses_are_clear_problems_and_store_nothing(practice: Practice) -> None:
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    options = therapist.post("/api/account/passkeys/options").json["options"]
    good = SoftAuthenticator().create(options)
    broken: list[tuple[Any, str]] = [
        ({**good, "type": "password"}, "/problems/validation-failed"),
        ({**good, "response": {"clientDataJSON": good["response"]["clientDataJSON"]}}, "/problems/validation-failed"),
        ({**good, "response": {**good["response"], "clientDataJSON": "%%%not base64%%%"}}, "/problems/passkey-rejected"),
        ({**good, "response": {**good["response"], "attestationObject": b64url(b"not cbor")}}, "/problems/passkey-rejected"),
        ({**good, "rawId": b64url(b"another id")}, "/problems/passkey-rejected"),
        ({**good, "extra": 1}, "/problems/validation-failed"),
    ]
    for credential, problem in broken:
        # When the browser sends a broken response
        response = therapist.post("/api/account/passkeys", {"name": "Broken", "credential": credential})

        # Then it is a problem+json 422 and nothing is stored
        assert (response.status, response.problem_type) == (422, problem), (credential, response.json)
        assert response.headers["content-type"] == "application/problem+json"
    assert factor_items(practice.org_id, therapist_id) == []


# ------------------------------------------------------------------------------------------ as a second factor


def test_a_passkey_proves_the_second_factor_after_the_password(practice: Practice) -> None:
    # Given a therapist with a passkey, signed in with the password
    _, _, device = _with_passkey(practice)
    browser, signed_in = sign_in(practice.client, practice.slug, THERAPIST)
    assert signed_in.json["second_factor"]["stage"] == "verify"

    # When they use the passkey
    proven = prove_with_passkey(browser, device)

    # Then the session is complete and records it
    assert proven.status == 200, proven.json
    assert proven.json["second_factor"]["signed_in_with"] == "password+passkey"
    assert browser.get("/api/clients").status == 200
    assert actions_of(practice.org_id)[-1] == ("second_factor.verify", "success")


def test_another_persons_passkey_does_not_prove_my_second_factor(practice: Practice) -> None:
    # Given a therapist with a passkey, and an administrator with one too
    _with_passkey(practice)
    admin_device = SoftAuthenticator()
    assert register_passkey(practice.admin, admin_device).status == 201

    # When the therapist's password session is answered with the administrator's passkey
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)
    response = prove_with_passkey(browser, admin_device)

    # Then it is refused and the session still waits
    assert response.status == 422
    assert browser.get("/api/clients").problem_type == "/problems/second-factor-required"


def test_a_challenge_from_another_session_is_refused(practice: Practice) -> None:
    # Given a therapist with a passkey and two sessions waiting for it
    _, _, device = _with_passkey(practice)
    first, _ = sign_in(practice.client, practice.slug, THERAPIST)
    second, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When the second session sends an answer to the first session's challenge
    options = first.post("/api/session/second-factor/passkey/options").json["options"]
    response = second.post("/api/session/second-factor/passkey", {"credential": device.get(options)})

    # Then it is refused
    assert response.status == 422
    assert second.get("/api/clients").status == 403


def test_a_removed_passkey_no_longer_signs_in(practice: Practice) -> None:
    # Given a therapist with two passkeys who removes one
    therapist, therapist_id, device = _with_passkey(practice)
    removed_id = therapist.get("/api/account/second-factor").json["passkeys"][0]["id"]
    assert register_passkey(therapist, SoftAuthenticator(), "Phone").status == 201
    assert therapist.delete(f"/api/account/passkeys/{removed_id}").status == 204

    # When the removed passkey is used, as a second factor and to sign in alone
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)
    as_factor = prove_with_passkey(browser, device, credential=device.credentials[0])
    alone = passkey_sign_in(practice.new_browser(), practice.slug, device, credential=device.credentials[0])

    # Then both are refused
    assert as_factor.status == 422 and alone.status == 422
    assert stored_account(practice.org_id, therapist_id).passkey_count == 1
    assert ("second_factor.passkey_remove", "success") in actions_of(practice.org_id)


# ------------------------------------------------------------------------------------------ signing in alone


def test_a_passkey_signs_in_alone_with_user_verification(practice: Practice) -> None:
    # Given a therapist with a passkey, in a practice that requires a second factor
    _, therapist_id, device = _with_passkey(practice)
    require_for_staff(practice)

    # When they sign in with the passkey, without a password
    browser = practice.new_browser()
    response = passkey_sign_in(browser, practice.slug, device)

    # Then they are signed in, complete, and the session says how
    assert response.status == 200, response.json
    assert response.json["principal"]["id"] == therapist_id
    assert response.json["second_factor"]["stage"] == "complete"
    assert session_record(browser).method == "passkey"
    assert browser.get("/api/clients").status == 200
    assert actions_of(practice.org_id, "session.passkey_sign_in")[-1] == ("session.passkey_sign_in", "success")


def test_a_passkey_without_user_verification_does_not_sign_in_alone(practice: Practice) -> None:
    # Given a therapist with a passkey
    _, _, device = _with_passkey(practice)
    before = sessions_stored()

    # When the authenticator signs without verifying the user (no PIN, no biometric)
    response = passkey_sign_in(practice.new_browser(), practice.slug, device, user_verified=False)

    # Then no session is created, and the failure is audited
    assert response.status == 422
    assert sessions_stored() == before
    assert actions_of(practice.org_id, "session.passkey_sign_in")[-1] == ("session.passkey_sign_in", "failure")


def test_a_sign_in_challenge_is_used_once(practice: Practice) -> None:
    # Given a therapist who signed in with a passkey
    _, _, device = _with_passkey(practice)
    browser = practice.new_browser()
    options = browser.post(f"/api/orgs/{practice.slug}/passkey-sign-in/options").json["options"]
    assert browser.post(f"/api/orgs/{practice.slug}/passkey-sign-in", {"credential": device.get(options)}).status == 200
    before = sessions_stored()

    # When the same challenge is answered again (a replayed response)
    again = practice.new_browser().post(f"/api/orgs/{practice.slug}/passkey-sign-in", {"credential": device.get(options)})

    # Then it is refused and no session is created
    assert again.status == 422
    assert sessions_stored() == before


def test_an_expired_challenge_is_refused(practice: Practice, frozen_clock: None) -> None:
    # Given a therapist with a passkey, and a challenge six minutes old
    _, _, device = _with_passkey(practice)
    browser = practice.new_browser()
    options = browser.post(f"/api/orgs/{practice.slug}/passkey-sign-in/options").json["options"]
    clock.advance(timedelta(minutes=6))

    # When it is answered
    response = browser.post(f"/api/orgs/{practice.slug}/passkey-sign-in", {"credential": device.get(options)})

    # Then it is refused
    assert response.status == 422


def test_a_passkey_of_another_practice_does_not_sign_in_here(practice: Practice, other_practice: Practice) -> None:
    # Given a passkey registered at another practice on the same portal
    device = SoftAuthenticator()
    assert register_passkey(other_practice.admin, device).status == 201
    before = sessions_stored()

    # When it is presented at this practice's sign-in
    response = passkey_sign_in(practice.new_browser(), practice.slug, device)

    # Then it is refused and no session is created
    assert response.status == 422
    assert sessions_stored() == before


def test_a_practice_can_keep_passkeys_to_the_second_step(practice: Practice) -> None:
    # Given a practice that does not let a passkey sign in alone
    set_up_authenticator(practice.admin)
    version = practice.admin.get("/api/organization/settings").json["version"]
    assert practice.admin.patch("/api/organization/settings", {"version": version, "security": {"passkey_sign_in": False}}).status == 200

    # When a visitor starts a passkey sign-in
    response = practice.new_browser().post(f"/api/orgs/{practice.slug}/passkey-sign-in/options")

    # Then it is refused
    assert response.status == 403


def test_two_sign_ins_with_the_same_response_have_one_winner(practice: Practice) -> None:
    # Given one signed passkey response
    _, _, device = _with_passkey(practice)
    options = practice.new_browser().post(f"/api/orgs/{practice.slug}/passkey-sign-in/options").json["options"]
    credential = device.get(options)
    before = sessions_stored()

    # When it is sent four times at once
    results: list[int] = []

    def send() -> None:
        results.append(practice.new_browser().post(f"/api/orgs/{practice.slug}/passkey-sign-in", {"credential": credential}).status)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one session is created
    assert sorted(results) == [200, 422, 422, 422]
    assert sessions_stored() == before + 1


# -------------------------------------------------------------------------------------------------- managing


def test_a_passkey_can_be_renamed(practice: Practice) -> None:
    # Given a therapist with a passkey
    therapist, _, _ = _with_passkey(practice)
    passkey_id = therapist.get("/api/account/second-factor").json["passkeys"][0]["id"]

    # When they rename it
    response = therapist.patch(f"/api/account/passkeys/{passkey_id}", {"name": "Work laptop"})

    # Then the new name is kept
    assert response.status == 200, response.json
    assert therapist.get("/api/account/second-factor").json["passkeys"][0]["name"] == "Work laptop"


def test_another_persons_passkey_cannot_be_renamed_or_removed(practice: Practice) -> None:
    # Given the administrator's passkey
    device = SoftAuthenticator()
    passkey_id = register_passkey(practice.admin, device).json["passkey"]["id"]
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)

    # When a therapist names its id
    renamed = therapist.patch(f"/api/account/passkeys/{passkey_id}", {"name": "Mine now"})
    removed = therapist.delete(f"/api/account/passkeys/{passkey_id}")

    # Then it is not found for them, and the passkey is unchanged
    assert (renamed.status, removed.status) == (404, 404)
    assert stored_account(practice.org_id, practice.admin_id).passkey_count == 1
    assert practice.admin.get("/api/account/second-factor").json["passkeys"][0]["name"] == "Laptop"
