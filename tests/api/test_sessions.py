"""Sessions: sign-in, throttling, idle and absolute timeouts, sign-out, CSRF, password change and reset links."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from pynamodb.exceptions import DoesNotExist

from chalicelib import clock
from chalicelib.auth.tokens import digest
from chalicelib.config import Settings
from chalicelib.tables.keys import session_pk
from chalicelib.tables.sessions import Session
from tests.conftest import (
    PASSWORD,
    Browser,
    Practice,
    audit_trail,
    client_identity,
    lowered,
    mint_session,
    session_record,
    sign_in,
    stored_organization,
    stored_staff,
    table_size,
)

NEW_PASSWORD = "a brand new passphrase for harbor"


def reset_link(practice: Practice, email: str) -> str:
    response = practice.new_browser().post(f"/api/orgs/{practice.slug}/password-reset", {"email": email})
    assert response.status == 202, response.json
    return practice.mailbox.token_for(email)


# ------------------------------------------------------------------------------------------------------ sign-in


def test_sign_in_sets_a_host_only_strict_cookie_and_stores_only_its_digest(practice: Practice) -> None:
    # Given an administrator with a password

    # When they sign in
    browser, response = sign_in(practice.client, practice.slug, practice.admin_email)

    # Then the session cookie is __Host- prefixed, HttpOnly, Secure, SameSite=Strict and for the whole site
    assert response.status == 200, response.json
    cookie = SimpleCookie(response.headers["set-cookie"])["__Host-portal_session"]
    assert cookie.value == browser.cookie and len(cookie.value) >= 22  # ≥ 128 bits, URL-safe base64
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"
    assert "domain" not in response.headers["set-cookie"].lower()

    # And the session view names the person and their practice
    assert response.json["principal"]["role"] == "administrator"
    assert response.json["organization"] == {
        "id": practice.org_id,
        "name": "Harbor Counseling",
        "slug": "harbor",
        "time_zone": "America/Chicago",
        "accent_color": None,
        "logo_url": None,
    }
    assert response.json["time_zone"] == "America/Chicago"  # staff read times in the practice's zone

    # And the server stored the token's SHA-256, never the token itself
    token = cookie.value
    assert session_record(browser).principal_id == practice.admin_id
    with pytest.raises(DoesNotExist):
        Session.get(session_pk(token))
    with pytest.raises(DoesNotExist):
        Session.get(token)
    assert token not in str([item.attribute_values for item in Session.scan()])


def test_a_wrong_password_and_an_unknown_email_look_the_same(practice: Practice) -> None:
    # When someone signs in with a wrong password, and someone else with an email nobody uses
    _, wrong_password = sign_in(practice.client, practice.slug, practice.admin_email, "not the password at all")
    _, unknown_email = sign_in(practice.client, practice.slug, "nobody@harbor.test")

    # Then both get the same 401 problem, so the answer does not reveal who has an account
    assert (wrong_password.status, unknown_email.status) == (401, 401)
    assert wrong_password.problem_type == "/problems/unauthenticated"
    assert {k: v for k, v in wrong_password.json.items() if k != "request_id"} == {
        k: v for k, v in unknown_email.json.items() if k != "request_id"
    }
    assert "set-cookie" not in wrong_password.headers
    assert table_size(Session) == 1  # only the administrator's own session from setting the password


def test_a_deactivated_staff_member_cannot_sign_in(practice: Practice) -> None:
    # Given a therapist who was deactivated
    _, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert practice.admin.post(f"/api/staff/{therapist_id}/deactivate").status == 200
    _, wrong = sign_in(practice.client, practice.slug, "theo@harbor.test", "not the password at all")

    # When they sign in with their correct password
    _, response = sign_in(practice.client, practice.slug, "theo@harbor.test")

    # Then they get the very same 401 as a wrong password
    assert response.status == 401
    assert response.json["detail"] == wrong.json["detail"]
    assert "set-cookie" not in response.headers


def test_an_invited_staff_member_cannot_sign_in_before_setting_a_password(practice: Practice) -> None:
    # Given a therapist who was invited but has not used the link
    invited = practice.admin.post("/api/staff", {"name": "Ivy", "email": "ivy@harbor.test", "role": "therapist"})
    assert invited.status == 201

    # When someone tries to sign in as them
    _, response = sign_in(practice.client, practice.slug, "ivy@harbor.test", "")

    # Then it is the usual 401
    assert response.status == 401
    assert response.problem_type == "/problems/unauthenticated"


def test_an_unknown_practice_has_no_sign_in(browser: Browser) -> None:
    # When someone signs in at a practice that does not exist
    response = browser.post("/api/orgs/nowhere/sign-in", {"email": "a@b.test", "password": PASSWORD})

    # Then it is a 404
    assert response.status == 404


# ------------------------------------------------------------------------------------------------- throttling


def test_an_account_is_locked_for_a_window_after_repeated_failures(frozen_clock: None, practice: Practice, settings: Settings) -> None:
    # Given someone guessed the administrator's password wrong as often as allowed
    for attempt in range(settings.sign_in_max_failures_per_account):
        _, guess = sign_in(practice.client, practice.slug, practice.admin_email, f"wrong guess number {attempt}")
        assert guess.status == 401

    # When the administrator then signs in with the right password
    _, locked = sign_in(practice.client, practice.slug, practice.admin_email)

    # Then it is refused with 429 and a Retry-After, without a session
    assert locked.status == 429
    assert locked.problem_type == "/problems/too-many-attempts"
    assert 0 < int(locked.headers["retry-after"]) <= settings.sign_in_failure_window_seconds + 1
    assert "set-cookie" not in locked.headers

    # And once the window has passed, the right password works again
    clock.advance(timedelta(seconds=settings.sign_in_failure_window_seconds + 1))
    _, later = sign_in(practice.client, practice.slug, practice.admin_email)
    assert later.status == 200, later.json


def test_one_address_is_throttled_across_different_emails(practice: Practice, settings: Settings) -> None:
    # Given a low per-IP limit, and one address that failed with several different emails
    lowered(settings, sign_in_max_failures_per_ip=3)
    for email in ("a@harbor.test", "b@harbor.test", "c@harbor.test"):
        _, failed = sign_in(practice.client, practice.slug, email, "some guessed password")
        assert failed.status == 401

    # When that address tries yet another account, even with its right password
    _, response = sign_in(practice.client, practice.slug, practice.admin_email)

    # Then it is throttled
    assert response.status == 429
    assert "retry-after" in response.headers


# ------------------------------------------------------------------------------------------------------ timeouts


def test_a_staff_session_ends_after_fifteen_idle_minutes(frozen_clock: None, practice: Practice) -> None:
    # Given an administrator signed in at 09:00
    browser, _ = sign_in(practice.client, practice.slug, practice.admin_email)

    # When they come back after 14 minutes, and again 14 minutes later
    clock.advance(timedelta(minutes=14))
    first = browser.get("/api/session")
    clock.advance(timedelta(minutes=14))
    second = browser.get("/api/session")

    # Then both work, because each request refreshed the idle timer, which the header reports in full
    assert (first.status, second.status) == (200, 200)
    assert first.headers["x-idle-expires-in"] == "900"
    assert second.json["idle_expires_at"] == "2026-11-23T09:43:00.000000Z"
    assert session_record(browser).last_seen_at == clock.now()

    # And after more than 15 minutes without a request, the session has ended
    clock.advance(timedelta(minutes=15, seconds=1))
    ended = browser.get("/api/session")
    assert ended.status == 401
    assert ended.problem_type == "/problems/unauthenticated"


def test_the_idle_header_counts_down_between_requests(frozen_clock: None, practice: Practice) -> None:
    # Given an administrator signed in
    browser, _ = sign_in(practice.client, practice.slug, practice.admin_email)

    # When a request arrives five minutes later
    clock.advance(timedelta(minutes=5))
    response = browser.get("/api/entitlements")

    # Then any signed-in response carries the seconds left until the session idles out (refreshed to 15 min)
    assert response.status == 200
    assert response.headers["x-idle-expires-in"] == "900"
    assert "x-idle-expires-in" not in practice.new_browser().get("/api/health").headers


def test_a_client_session_idles_out_after_thirty_minutes(frozen_clock: None, practice: Practice) -> None:
    # Given a client with a session (client accounts arrive later; the record is what sign-in will write)
    client = mint_session(practice.client, client_identity(practice))

    # When they come back after 20 minutes, then after 31 more
    clock.advance(timedelta(minutes=20))
    after_twenty = client.get("/api/session")
    clock.advance(timedelta(minutes=31))
    after_thirty_one = client.get("/api/session")

    # Then the longer client timeout applies
    assert after_twenty.status == 200
    assert after_twenty.json["idle_timeout_seconds"] == 1800
    assert after_thirty_one.status == 401


def test_the_absolute_lifetime_ends_even_an_active_session(frozen_clock: None, practice: Practice, settings: Settings) -> None:
    # Given sessions that last at most 30 minutes, and an administrator who signs in
    lowered(settings, session_absolute_seconds=30 * 60)
    browser, signed_in = sign_in(practice.client, practice.slug, practice.admin_email)
    assert signed_in.json["absolute_expires_at"] == "2026-11-23T09:30:00.000000Z"

    # When they keep working every 10 minutes
    clock.advance(timedelta(minutes=10))
    at_ten = browser.post("/api/session/keepalive")
    clock.advance(timedelta(minutes=10))
    at_twenty = browser.post("/api/session/keepalive")
    clock.advance(timedelta(minutes=10))
    at_thirty = browser.get("/api/session")

    # Then activity keeps it alive, the idle deadline never passes the absolute one, and at 30 minutes it ends
    assert (at_ten.status, at_twenty.status) == (200, 200)
    assert at_twenty.headers["x-idle-expires-in"] == "600"
    assert at_twenty.json["idle_expires_at"] == "2026-11-23T09:30:00.000000Z"
    assert at_thirty.status == 401


# ----------------------------------------------------------------------------------------------------- sign-out


def test_sign_out_ends_the_session_on_the_server_and_clears_the_cookie(practice: Practice) -> None:
    # Given a signed-in administrator
    old_cookie = practice.admin.cookie
    assert old_cookie is not None
    stored_key = session_record(practice.admin).pk

    # When they sign out
    response = practice.admin.delete("/api/session")

    # Then the cookie is cleared and the stored session is gone
    assert response.status == 204
    cleared = SimpleCookie(response.headers["set-cookie"])["__Host-portal_session"]
    assert (cleared.value, cleared["max-age"]) == ("", "0")
    with pytest.raises(DoesNotExist):
        Session.get(stored_key)

    # And a copy of the old cookie no longer works
    replay = Browser(practice.client, cookie=old_cookie)
    assert replay.get("/api/session").status == 401


def test_a_request_without_a_session_is_unauthenticated(browser: Browser) -> None:
    # When a visitor without a cookie, or with a made-up one, asks for the session
    anonymous = browser.get("/api/session")
    forged = Browser(browser.client, cookie="made-up-session-token-made-up-session-token").get("/api/session")

    # Then both are 401 problems
    assert (anonymous.status, forged.status) == (401, 401)
    assert forged.problem_type == "/problems/unauthenticated"


# --------------------------------------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize("sent", [None, "not-the-token"])
def test_a_change_without_the_csrf_token_is_refused_and_audited(practice: Practice, sent: str | None) -> None:
    # Given a signed-in administrator whose request lacks the right X-CSRF-Token (as a cross-site form would)
    version = practice.admin.get("/api/organization/settings").json["version"]
    before = stored_organization(practice.org_id)
    practice.admin.csrf = sent

    # When the request tries to change the settings
    response = practice.admin.patch("/api/organization/settings", {"version": version, "name": "Hijacked"})

    # Then it is forbidden and nothing changed
    assert response.status == 403
    assert response.problem_type == "/problems/forbidden"
    after = stored_organization(practice.org_id)
    assert (after.name, after.version) == (before.name, before.version)

    # And the refusal is in the audit trail
    latest = audit_trail(practice.org_id)[0]
    assert (latest.action, latest.outcome, latest.actor_id) == ("request.csrf_rejected", "denied", practice.admin_id)
    assert latest.resource == "PATCH /api/organization/settings"


# ----------------------------------------------------------------------------------------------- password change


def test_changing_the_password_ends_the_other_sessions_only(practice: Practice) -> None:
    # Given the administrator is signed in on two devices
    laptop = practice.admin
    phone, _ = sign_in(practice.client, practice.slug, practice.admin_email)

    # When they change their password on the laptop
    response = laptop.post("/api/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    # Then the phone's session has ended and the laptop's continues
    assert response.status == 204, response.json
    assert phone.get("/api/session").status == 401
    assert laptop.get("/api/session").status == 200

    # And only the new password signs in
    assert sign_in(practice.client, practice.slug, practice.admin_email, NEW_PASSWORD)[1].status == 200
    assert sign_in(practice.client, practice.slug, practice.admin_email, PASSWORD)[1].status == 401


def test_a_wrong_current_password_changes_nothing(practice: Practice) -> None:
    # Given the administrator is also signed in elsewhere
    phone, _ = sign_in(practice.client, practice.slug, practice.admin_email)
    stored_hash = stored_staff(practice.org_id, practice.admin_id).password_hash

    # When the current password they type is wrong
    response = practice.admin.post("/api/account/password", {"current_password": "wrong password", "new_password": NEW_PASSWORD})

    # Then the field is named, the password is unchanged and no session ended
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["current_password"]
    assert stored_staff(practice.org_id, practice.admin_id).password_hash == stored_hash
    assert phone.get("/api/session").status == 200


def test_a_common_password_is_refused(practice: Practice) -> None:
    # When the new password is on the list of commonly used ones
    response = practice.admin.post("/api/account/password", {"current_password": PASSWORD, "new_password": "password1"})

    # Then it is refused on the new_password field
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["new_password"]
    assert "common" in response.json["errors"][0]["message"]


# ------------------------------------------------------------------------------------------------ password reset


def test_a_reset_request_answers_the_same_whether_or_not_the_email_exists(practice: Practice) -> None:
    # Given the administrator's inbox holds only their invitation
    visitor = practice.new_browser()
    mails_before = len(practice.mailbox.to(practice.admin_email))

    # When a reset is requested for their email, and for an email nobody uses
    known = visitor.post(f"/api/orgs/{practice.slug}/password-reset", {"email": practice.admin_email})
    unknown = visitor.post(f"/api/orgs/{practice.slug}/password-reset", {"email": "nobody@harbor.test"})

    # Then both answers are the same 202
    assert (known.status, unknown.status) == (202, 202)
    assert known.json == unknown.json

    # And only the real account gets a mail, whose link carries the secret in the fragment
    [reset] = practice.mailbox.to(practice.admin_email)[mails_before:]
    assert reset["subject"].startswith("Reset your password")
    assert "/o/harbor/set-password#token=" in reset["body"]
    assert practice.mailbox.to("nobody@harbor.test") == []


def test_a_reset_link_sets_the_password_and_signs_in(practice: Practice) -> None:
    # Given a reset link in the administrator's inbox
    token = reset_link(practice, practice.admin_email)
    person = practice.new_browser()

    # When they open it and choose a new password
    response = person.post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD})

    # Then they are signed in with a new session, and the new password is the one that works
    assert response.status == 200, response.json
    assert response.json["principal"]["id"] == practice.admin_id
    assert person.cookie and person.get("/api/session").status == 200
    assert sign_in(practice.client, practice.slug, practice.admin_email, NEW_PASSWORD)[1].status == 200
    assert sign_in(practice.client, practice.slug, practice.admin_email, PASSWORD)[1].status == 401

    # And the session they had before ended (someone else may have known the old password)
    assert practice.admin.get("/api/session").status == 401


def test_a_reset_link_works_only_once(practice: Practice) -> None:
    # Given a reset link that was used
    token = reset_link(practice, practice.admin_email)
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD}).status == 200

    # When it is used again
    response = practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": "yet another passphrase"})

    # Then it is gone, and the first new password stands
    assert response.status == 410
    assert response.problem_type == "/problems/token-invalid"
    assert sign_in(practice.client, practice.slug, practice.admin_email, NEW_PASSWORD)[1].status == 200


def test_a_reset_link_expires(frozen_clock: None, practice: Practice, settings: Settings) -> None:
    # Given a reset link older than its lifetime
    token = reset_link(practice, practice.admin_email)
    clock.advance(timedelta(seconds=settings.password_reset_ttl_seconds + 1))

    # When it is opened or used
    inspected = practice.new_browser().post("/api/password-tokens/inspect", {"token": token})
    redeemed = practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD})

    # Then both say the link is no longer valid, and the password is unchanged
    assert (inspected.status, redeemed.status) == (410, 410)
    assert redeemed.problem_type == "/problems/token-invalid"
    assert sign_in(practice.client, practice.slug, practice.admin_email)[1].status == 200


def test_a_newer_reset_link_replaces_the_older_one(practice: Practice) -> None:
    # Given two resets were requested, one after the other
    first = reset_link(practice, practice.admin_email)
    second = reset_link(practice, practice.admin_email)
    assert first != second

    # When the first link is used, then the second
    old = practice.new_browser().post("/api/password-tokens/redeem", {"token": first, "password": NEW_PASSWORD})
    new = practice.new_browser().post("/api/password-tokens/redeem", {"token": second, "password": NEW_PASSWORD})

    # Then only the newest link works
    assert old.status == 410
    assert new.status == 200, new.json


def test_inspecting_a_link_describes_a_live_one_and_refuses_a_dead_one(practice: Practice) -> None:
    # Given a live reset link, and a link that was never issued
    token = reset_link(practice, practice.admin_email)
    visitor = practice.new_browser()

    # When the set-password page inspects them
    live = visitor.post("/api/password-tokens/inspect", {"token": token})
    dead = visitor.post("/api/password-tokens/inspect", {"token": "x" * 43})

    # Then the live one says what it is for, whose it is and where; the dead one is gone
    assert live.status == 200
    assert live.json == {
        "purpose": "password_reset",
        "email": practice.admin_email,
        "organization": {"name": "Harbor Counseling", "slug": "harbor"},
    }
    assert dead.status == 410
    assert dead.problem_type == "/problems/token-invalid"

    # And inspecting does not use the link up
    assert visitor.post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD}).status == 200


def test_redeeming_checks_the_password_policy_and_keeps_the_link(practice: Practice) -> None:
    # Given a live reset link
    token = reset_link(practice, practice.admin_email)

    # When the chosen password is too short
    response = practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": "short"})

    # Then the field is named and the link still works for a good password
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["password"]
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD}).status == 200
    assert digest(token) not in str(stored_staff(practice.org_id, practice.admin_id).attribute_values)


def test_signing_in_upgrades_a_password_hash_made_with_weaker_parameters(practice: Practice) -> None:
    from argon2 import PasswordHasher

    from chalicelib.auth import passwords
    from chalicelib.tables.accounts import Login
    from chalicelib.tables.keys import org_pk, staff_sk

    # Given an administrator whose stored hash uses older, weaker argon2 parameters
    login = Login.get(org_pk(practice.org_id), staff_sk(practice.admin_id))
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    login.update(actions=[Login.password_hash.set(weak)])

    # When they sign in
    response = practice.new_browser().post(f"/api/orgs/{practice.slug}/sign-in", {"email": practice.admin_email, "password": PASSWORD})

    # Then the stored hash now uses the current parameters and still verifies
    assert response.status == 200, response.json
    stored = Login.get(org_pk(practice.org_id), staff_sk(practice.admin_id)).password_hash
    assert stored != weak and not passwords.needs_rehash(stored or "")
    assert passwords.verify_password(stored, PASSWORD)
