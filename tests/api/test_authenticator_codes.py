"""Authenticator apps: set-up confirmed by a first code, a code accepted once, wrong codes throttled, removal."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from chalicelib import clock
from tests.api.factors import (
    actions_of,
    code_for,
    factor_items,
    prove_with_code,
    require_for_staff,
    set_up_authenticator,
    stored_account,
)
from tests.conftest import Practice, audit_trail, lowered, sign_in

THERAPIST = "theo@harbor.test"


def test_setting_up_shows_a_qr_code_and_the_secret_and_counts_only_once_confirmed(practice: Practice) -> None:
    # Given a signed-in therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)

    # When they start setting up an authenticator app
    begun = therapist.post("/api/account/second-factor/authenticator")

    # Then they get the secret to type, the otpauth URI and its QR code — and it is not a factor yet
    assert begun.status == 200, begun.json
    secret = begun.json["secret"]
    assert begun.json["uri"].startswith("otpauth://totp/Harbor%20Counseling:theo%40harbor.test?secret=" + secret)
    assert begun.json["qr_svg"].startswith("<svg")
    assert not stored_account(practice.org_id, therapist_id).totp_enabled
    assert factor_items(practice.org_id, therapist_id) == ["TOTPSETUP"]


def test_the_first_code_confirms_the_app_and_brings_ten_recovery_codes(practice: Practice) -> None:
    # Given a therapist who scanned the QR code
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    secret = therapist.post("/api/account/second-factor/authenticator").json["secret"]

    # When they confirm with the code the app shows
    confirmed = therapist.post("/api/account/second-factor/authenticator/confirm", {"code": code_for(secret)})

    # Then the app is a factor, ten recovery codes are shown once, and only their hashes are stored
    assert confirmed.status == 200, confirmed.json
    codes = confirmed.json["recovery_codes"]
    assert len(codes) == 10
    account = stored_account(practice.org_id, therapist_id)
    assert (account.totp_enabled, account.recovery_codes_left) == (True, 10)
    items = factor_items(practice.org_id, therapist_id)
    assert "TOTP" in items and "TOTPSETUP" not in items
    assert not any(code.replace("-", "") in item or code in item for code in codes for item in items)
    # And the set-up is audited without its secret or any code
    assert actions_of(practice.org_id)[-3:] == [
        ("second_factor.authenticator_set_up_begin", "success"),
        ("second_factor.authenticator_set_up", "success"),
        ("second_factor.recovery_codes_issue", "success"),
    ]
    assert not any(secret in f"{e.resource}{e.action}" for e in audit_trail(practice.org_id))


def test_a_wrong_first_code_sets_nothing_up(practice: Practice) -> None:
    # Given a therapist who started setting up an app
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    secret = therapist.post("/api/account/second-factor/authenticator").json["secret"]

    # When they confirm with a wrong code
    wrong = "000000" if code_for(secret) != "000000" else "111111"
    response = therapist.post("/api/account/second-factor/authenticator/confirm", {"code": wrong})

    # Then it is refused, nothing counts, and the failure is audited
    assert response.status == 422
    assert response.json["errors"][0]["field"] == "code"
    assert not stored_account(practice.org_id, therapist_id).totp_enabled
    assert actions_of(practice.org_id)[-1] == ("second_factor.authenticator_set_up", "failure")


def test_an_expired_set_up_must_start_again(practice: Practice, frozen_clock: None) -> None:
    # Given a set-up begun eleven minutes ago (the session kept alive meanwhile)
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    secret = therapist.post("/api/account/second-factor/authenticator").json["secret"]
    for _ in range(11):
        clock.advance(timedelta(minutes=1))
        therapist.post("/api/session/keepalive")

    # When they confirm with a current code
    response = therapist.post("/api/account/second-factor/authenticator/confirm", {"code": code_for(secret)})

    # Then they are told to start again
    assert response.status == 422 and "expired" in response.json["detail"]
    assert not stored_account(practice.org_id, therapist_id).totp_enabled


def test_setting_up_a_factor_ends_the_persons_other_sessions(practice: Practice) -> None:
    # Given a therapist signed in on two devices
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    other, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When they set up an authenticator on one
    set_up_authenticator(therapist)

    # Then the other session has ended, and this one goes on
    assert other.get("/api/session").status == 401
    assert therapist.get("/api/session").status == 200


def test_a_code_is_accepted_only_once(practice: Practice) -> None:
    # Given a therapist who proved their factor with a code in one session
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    secret = set_up_authenticator(therapist).secret
    first, _ = sign_in(practice.client, practice.slug, THERAPIST)
    assert prove_with_code(first, secret).status == 200

    # When the same code is used again in another session (a shoulder-surfed code)
    second, _ = sign_in(practice.client, practice.slug, THERAPIST)
    replayed = prove_with_code(second, secret)

    # Then it is refused, the session still waits, and the failure is audited
    assert replayed.status == 422
    assert second.get("/api/clients").problem_type == "/problems/second-factor-required"
    assert actions_of(practice.org_id)[-1] == ("second_factor.verify", "failure")


def test_a_wrong_code_is_refused_and_audited(practice: Practice) -> None:
    # Given a therapist signed in with the password
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    secret = set_up_authenticator(therapist).secret
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When they enter a code from two minutes ago
    response = browser.post("/api/session/second-factor/code", {"code": code_for(secret, -4)})

    # Then it is refused
    assert response.status == 422
    assert actions_of(practice.org_id)[-1] == ("second_factor.verify", "failure")


def test_wrong_codes_are_limited_per_account(practice: Practice) -> None:
    # Given a limit of three failures per account, and a therapist with an authenticator
    lowered(practice_settings(), sign_in_max_failures_per_account=3)
    therapist, _ = practice.add_staff("Theo Therapist", THERAPIST)
    secret = set_up_authenticator(therapist).secret
    browser, _ = sign_in(practice.client, practice.slug, THERAPIST)

    # When someone tries three wrong codes
    for _ in range(3):
        assert browser.post("/api/session/second-factor/code", {"code": "000000"}).status == 422

    # Then the fourth attempt — even the right code — is refused for a while, and the refusal is audited
    refused = prove_with_code(browser, secret)
    assert refused.status == 429
    assert "retry-after" in refused.headers
    assert actions_of(practice.org_id)[-1] == ("second_factor.verify", "denied")


def practice_settings() -> Any:
    from chalicelib.config import get_settings

    return get_settings()


def test_two_requests_with_the_same_code_have_one_winner(practice: Practice) -> None:
    from chalicelib.tables import keys
    from chalicelib.tables.factors import Authenticator

    # Given a therapist with four sessions waiting for the second factor
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    secret = set_up_authenticator(therapist).secret
    browsers = [sign_in(practice.client, practice.slug, THERAPIST)[0] for _ in range(4)]
    code = code_for(secret, 1)

    # When all send the same code at once
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda b=b: results.append(b.post("/api/session/second-factor/code", {"code": code}).status))
        for b in browsers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one session is upgraded, and the stored step is that code's
    assert sorted(results) == [200, 422, 422, 422]
    stored = Authenticator.get(keys.org_pk(practice.org_id), keys.authenticator_sk(therapist_id), consistent_read=True)
    from chalicelib.auth import totp

    assert stored.last_step == totp.step_at(clock.now()) + 1


def test_removing_the_app_ends_other_sessions_and_its_recovery_codes(practice: Practice) -> None:
    # Given a therapist with an authenticator as their only factor, signed in on another device too
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    secret = set_up_authenticator(therapist).secret
    other, _ = sign_in(practice.client, practice.slug, THERAPIST)
    assert prove_with_code(other, secret).status == 200

    # When they remove it
    response = therapist.delete("/api/account/second-factor/authenticator")

    # Then it is gone with its recovery codes, the other session ended, and the removal is audited
    assert response.status == 204, response.json
    assert factor_items(practice.org_id, therapist_id) == []
    account = stored_account(practice.org_id, therapist_id)
    assert (account.totp_enabled, account.recovery_codes_left) == (None, 0)
    assert other.get("/api/session").status == 401
    assert actions_of(practice.org_id)[-1] == ("second_factor.authenticator_remove", "success")


def test_the_last_factor_cannot_be_removed_where_the_practice_requires_one(practice: Practice) -> None:
    # Given a therapist whose only factor is an app, in a practice that requires one
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)
    require_for_staff(practice)

    # When they try to remove it
    response = therapist.delete("/api/account/second-factor/authenticator")

    # Then it is refused and kept
    assert response.status == 409
    assert stored_account(practice.org_id, therapist_id).totp_enabled is True


def test_removing_needs_a_recent_proof(practice: Practice, frozen_clock: None) -> None:
    # Given a therapist whose last proof is 20 minutes old
    therapist, therapist_id = practice.add_staff("Theo Therapist", THERAPIST)
    set_up_authenticator(therapist)
    for _ in range(5):
        clock.advance(timedelta(minutes=4))
        therapist.post("/api/session/keepalive")

    # When they remove their app
    response = therapist.delete("/api/account/second-factor/authenticator")

    # Then they must prove it again first
    assert (response.status, response.problem_type) == (403, "/problems/step-up-required")
    assert stored_account(practice.org_id, therapist_id).totp_enabled is True
