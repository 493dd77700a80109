"""A session waiting for its second factor (or for setting one up) reaches nothing else; the practice's policy."""

from __future__ import annotations

import pytest

from chalicelib.auth.access import Access
from chalicelib.handlers.api import ROUTES
from chalicelib.routes import load_all_handlers
from tests.api.factors import (
    actions_of,
    code_for,
    prove_with_code,
    require_for_staff,
    set_up_authenticator,
    stage_of,
    stored_account,
)
from tests.conftest import (
    PASSWORD,
    Browser,
    Mailbox,
    Practice,
    add_client,
    audit_trail,
    open_portal_account,
    session_record,
    sign_in,
    stored_organization,
)

THERAPIST = "theo@harbor.test"


def _therapist_with_authenticator(practice: Practice) -> str:
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    return set_up_authenticator(therapist).secret


# ------------------------------------------------------------------------------------------------- set-up


def test_a_practice_that_requires_a_second_factor_sends_staff_without_one_to_set_up(practice: Practice) -> None:
    # Given a therapist without a second factor, and the practice now requires one
    practice.add_staff("Theo Therapist", THERAPIST)
    require_for_staff(practice)

    # When they sign in with their password
    _, signed_in = sign_in(practice.client, practice.slug, THERAPIST)

    # Then the session exists but must set up a factor first
    assert signed_in.status == 200
    assert signed_in.json["second_factor"]["stage"] == "set_up"
    assert signed_in.json["second_factor"]["required"] is True


def test_a_session_that_must_set_up_a_factor_reaches_no_client(practice: Practice) -> None:
    # Given a therapist signed in to a practice that requires a second factor they do not have
    add_client(practice.admin, "Jordan Lee")
    practice.add_staff("Theo Therapist", THERAPIST)
    require_for_staff(practice)
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When they ask for the client list
    response = browser.get("/api/clients")

    # Then they are sent to set-up, and the refusal is audited
    assert response.status == 403
    assert response.problem_type == "/problems/second-factor-set-up-required"
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.resource) == ("request.second_factor_set_up_required", "denied", "GET /api/clients")


def test_setting_up_an_authenticator_completes_the_session(practice: Practice) -> None:
    # Given a therapist sent to set-up at sign-in
    add_client(practice.admin, "Jordan Lee")
    practice.add_staff("Theo Therapist", THERAPIST)
    require_for_staff(practice)
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When they set up an authenticator app (the answer carries the completed session)
    secret = browser.post("/api/account/second-factor/authenticator").json["secret"]
    confirmed = browser.post("/api/account/second-factor/authenticator/confirm", {"code": code_for(secret)})
    assert confirmed.json["session"]["second_factor"]["stage"] == "complete"

    # Then the same session reaches the practice, and records how it signed in
    assert browser.get("/api/clients").status == 200
    session = browser.get("/api/session").json["second_factor"]
    assert (session["stage"], session["signed_in_with"]) == ("complete", "password+authenticator")
    assert session_record(browser).factor_verified_at is not None


def test_switching_the_requirement_on_applies_to_open_sessions_at_their_next_request(practice: Practice) -> None:
    # Given a therapist signed in with a password only, while the practice did not require a second factor
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    assert therapist.get("/api/clients").status == 200

    # When the practice starts requiring one
    require_for_staff(practice)

    # Then the open session is sent to set-up before anything else
    response = therapist.get("/api/clients")
    assert (response.status, response.problem_type) == (403, "/problems/second-factor-set-up-required")


def test_new_practices_require_a_second_factor_of_their_staff(browser: Browser, mailbox: Mailbox) -> None:
    # Given a practice created as people create one (the test world switches the requirement off; this one does not)
    created = browser.post(
        "/api/organizations",
        {"name": "Willow", "slug": "willow", "time_zone": "UTC", "admin_name": "Wes Admin", "admin_email": "wes@willow.test"},
    )
    assert created.status == 201

    # When its first administrator sets their password from the invitation
    redeemed = browser.post("/api/password-tokens/redeem", {"token": mailbox.token_for("wes@willow.test"), "password": PASSWORD})

    # Then the policy requires a second factor of staff, and the administrator sets one up before anything else
    assert stored_organization(created.json["organization"]["id"]).staff_second_factor is True
    assert redeemed.json["second_factor"]["stage"] == "set_up"
    assert browser.get("/api/staff").problem_type == "/problems/second-factor-set-up-required"


# ----------------------------------------------------------------------------------------------- verifying


def test_a_person_with_an_authenticator_must_prove_it_after_the_password(practice: Practice) -> None:
    # Given a therapist with an authenticator app
    _therapist_with_authenticator(practice)

    # When they sign in with their password
    browser, signed_in = sign_in(practice.client, practice.slug, THERAPIST)

    # Then the session waits for the second factor, says which ones they have, and reaches nothing else (audited)
    assert signed_in.json["second_factor"]["stage"] == "verify"
    assert signed_in.json["second_factor"]["authenticator"] is True
    response = browser.get("/api/clients")
    assert (response.status, response.problem_type) == (403, "/problems/second-factor-required")
    assert audit_trail(practice.org_id)[0].action == "request.second_factor_required"


def test_a_session_waiting_for_the_second_factor_cannot_add_one(practice: Practice) -> None:
    # Given a therapist with an authenticator, signed in with the password only (say, a stolen password)
    _therapist_with_authenticator(practice)
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When that session tries to set up another authenticator or a passkey
    authenticator = browser.post("/api/account/second-factor/authenticator")
    passkey = browser.post("/api/account/passkeys/options")

    # Then both are refused until the existing factor is proven
    assert (authenticator.status, authenticator.problem_type) == (403, "/problems/second-factor-required")
    assert (passkey.status, passkey.problem_type) == (403, "/problems/second-factor-required")


def test_a_waiting_session_can_read_itself_and_sign_out(practice: Practice) -> None:
    # Given a session waiting for its second factor
    _therapist_with_authenticator(practice)
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # Then it can read itself, stay alive and sign out
    assert browser.get("/api/session").status == 200
    assert browser.post("/api/session/keepalive").status == 200
    assert browser.delete("/api/session").status == 204


def test_proving_the_second_factor_completes_the_session(practice: Practice) -> None:
    # Given a therapist with an authenticator, signed in with the password
    secret = _therapist_with_authenticator(practice)
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When they enter the code from their app
    proven = prove_with_code(browser, secret)

    # Then the session is complete, records how it signed in, and the proof is audited
    assert proven.status == 200, proven.json
    assert (proven.json["second_factor"]["stage"], proven.json["second_factor"]["signed_in_with"]) == ("complete", "password+authenticator")
    assert browser.get("/api/session").json["second_factor"]["stage"] == "complete"
    assert ("second_factor.verify", "success") in actions_of(practice.org_id)


def test_a_password_reset_link_does_not_skip_the_second_factor(practice: Practice) -> None:
    # Given a therapist with an authenticator
    _therapist_with_authenticator(practice)

    # When they reset their password from the mailed link
    assert practice.new_browser().post(f"/api/orgs/{practice.slug}/password-reset", {"email": THERAPIST}).status == 202
    browser = practice.new_browser()
    redeemed = browser.post(
        "/api/password-tokens/redeem", {"token": practice.mailbox.token_for(THERAPIST), "password": "a new long passphrase"}
    )

    # Then the new session still waits for the second factor
    assert redeemed.status == 200
    assert redeemed.json["second_factor"]["stage"] == "verify"
    assert stage_of(browser) == "verify"


@pytest.mark.parametrize("stage", ["verify", "set_up"])
def test_every_route_refuses_a_waiting_session_unless_it_declares_that_stage(practice: Practice, stage: str) -> None:
    # Given a session waiting to prove its second factor, or to set one up
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    if stage == "verify":
        set_up_authenticator(therapist)
    else:
        require_for_staff(practice)
    browser, signed_in = sign_in(practice.client, practice.slug, THERAPIST)
    assert signed_in.json["second_factor"]["stage"] == stage

    # When it calls every route that does not declare the stage
    load_all_handlers()
    admitted = {
        "verify": {Access.ANY_SESSION, Access.PROVING_FACTOR},
        "set_up": {Access.ANY_SESSION, Access.SETTING_UP_FACTOR},
    }[stage]
    walked = [spec for spec in ROUTES if spec.access not in {Access.ANYONE, Access.WEBHOOK, *admitted}]
    expected = {"verify": "/problems/second-factor-required", "set_up": "/problems/second-factor-set-up-required"}[stage]
    failures = []
    for spec in walked:
        path = spec.path.replace("{", "").replace("}", "")  # any id: the stage is checked before anything else
        response = browser.request(spec.method, path)
        if (response.status, response.problem_type) != (403, expected):
            failures.append(f"{spec.method} {spec.path}: {response.status} {response.problem_type}")

    # Then each refuses it with the stage's problem
    assert walked and failures == []


# ------------------------------------------------------------------------------------------------- clients


def test_a_client_of_a_practice_that_requires_it_sets_up_a_second_factor(practice: Practice) -> None:
    # Given a client with a portal account, and a practice that requires a second factor of clients
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@client.test")["id"]
    open_portal_account(practice, practice.admin, client_id, "jordan@client.test")
    set_up_authenticator(practice.admin)
    version = practice.admin.get("/api/organization/settings").json["version"]
    changed = practice.admin.patch("/api/organization/settings", {"version": version, "security": {"client_second_factor": "required"}})
    assert changed.status == 200, changed.json

    # When the client signs in
    browser, signed_in = sign_in(practice.client, practice.slug, "jordan@client.test", "harbor lights at dusk")

    # Then they set up a factor before reaching their portal
    assert signed_in.json["second_factor"]["stage"] == "set_up"
    assert browser.get("/api/portal/home").problem_type == "/problems/second-factor-set-up-required"
    set_up_authenticator(browser)
    assert browser.get("/api/portal/home").status == 200


def test_a_practice_that_does_not_offer_it_to_clients_refuses_their_set_up(practice: Practice) -> None:
    # Given a client, and a practice that switched the second factor off for clients
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@client.test")["id"]
    client = open_portal_account(practice, practice.admin, client_id, "jordan@client.test")
    set_up_authenticator(practice.admin)
    version = practice.admin.get("/api/organization/settings").json["version"]
    assert (
        practice.admin.patch("/api/organization/settings", {"version": version, "security": {"client_second_factor": "off"}}).status == 200
    )

    # When the client tries to set one up
    response = client.post("/api/account/second-factor/authenticator")

    # Then it is refused, and nothing is stored
    assert response.status == 403
    assert not stored_account(practice.org_id, client_id).totp_enabled


# -------------------------------------------------------------------------------------------------- policy


def test_changing_the_policy_needs_a_recently_proven_second_factor(practice: Practice) -> None:
    # Given an administrator who signed in with a password only
    version = practice.admin.get("/api/organization/settings").json["version"]

    # When they try to require a second factor of staff
    response = practice.admin.patch("/api/organization/settings", {"version": version, "security": {"staff_second_factor": True}})

    # Then they are asked to prove one first (audited), and the policy is unchanged
    assert (response.status, response.problem_type) == (403, "/problems/step-up-required")
    assert audit_trail(practice.org_id)[0].action == "request.step_up_required"
    assert stored_organization(practice.org_id).staff_second_factor is False


def test_an_administrator_with_a_fresh_second_factor_changes_the_policy(practice: Practice) -> None:
    # Given an administrator who just set up an authenticator
    set_up_authenticator(practice.admin)
    version = practice.admin.get("/api/organization/settings").json["version"]

    # When they require a second factor of staff and of clients, and forbid passkey sign-in
    security = {"staff_second_factor": True, "client_second_factor": "required", "passkey_sign_in": False}
    response = practice.admin.patch("/api/organization/settings", {"version": version, "security": security})

    # Then the practice and its public entry point follow, and the change is audited
    assert response.status == 200, response.json
    assert response.json["security"] == security
    org = stored_organization(practice.org_id)
    assert (org.staff_second_factor, org.client_second_factor, org.passkey_sign_in) == (True, "required", False)
    assert practice.new_browser().get(f"/api/orgs/{practice.slug}").json["passkey_sign_in"] is False
    assert audit_trail(practice.org_id)[0].resource.endswith("#staff_second_factor,client_second_factor,passkey_sign_in")


def test_a_stale_proof_is_not_enough_for_the_policy(practice: Practice, frozen_clock: None) -> None:
    from datetime import timedelta

    from chalicelib import clock

    # Given an administrator who proved a second factor 16 minutes ago (and kept the session alive)
    set_up_authenticator(practice.admin)
    for _ in range(4):
        clock.advance(timedelta(minutes=4))
        assert practice.admin.post("/api/session/keepalive").status == 200
    version = practice.admin.get("/api/organization/settings").json["version"]

    # When they change the policy
    response = practice.admin.patch("/api/organization/settings", {"version": version, "security": {"staff_second_factor": True}})

    # Then they must prove it again; once they do, the change goes through
    assert response.problem_type == "/problems/step-up-required"
    secret = stored_secret(practice.org_id, practice.admin_id)
    assert prove_with_code(practice.admin, secret).status == 200
    assert practice.admin.patch("/api/organization/settings", {"version": version, "security": {"staff_second_factor": True}}).status == 200


def test_saving_other_settings_asks_for_no_second_factor(practice: Practice) -> None:
    # Given an administrator without a second factor
    settings = practice.admin.get("/api/organization/settings").json

    # When they save the settings form with the policy as it is
    body = {"version": settings["version"], "contact_line": "Call us", "security": settings["security"]}
    response = practice.admin.patch("/api/organization/settings", body)

    # Then it is saved
    assert response.status == 200, response.json


def stored_secret(org_id: str, account_id: str) -> str:
    from chalicelib.tables import keys
    from chalicelib.tables.factors import Authenticator

    return str(Authenticator.get(keys.org_pk(org_id), keys.authenticator_sk(account_id), consistent_read=True).secret)


def test_codes_are_checked_against_the_stored_secret(practice: Practice) -> None:
    # Given a therapist's authenticator
    secret = _therapist_with_authenticator(practice)
    therapist = stored_account(practice.org_id, practice_staff_id(practice, THERAPIST))

    # Then the secret shown at set-up is the one stored (and the account says it has an authenticator)
    assert stored_secret(practice.org_id, therapist.id) == secret
    assert therapist.totp_enabled is True
    assert code_for(secret).isdigit()


def practice_staff_id(practice: Practice, email: str) -> str:
    from tests.conftest import staff_in

    return str(next(m.id for m in staff_in(practice.org_id) if m.email == email))
