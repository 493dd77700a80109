"""Client portal accounts: setting up the account from the invitation, signing in, resets and password changes, the
30-minute idle timeout, the portal home — and what a client can never reach."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import clock
from chalicelib.auth.tokens import digest
from chalicelib.handlers.api import ROUTES, Access
from chalicelib.routes import load_all_handlers
from chalicelib.tables.keys import token_pk
from chalicelib.tables.tokens import PasswordToken
from tests.conftest import (
    CLIENT_PASSWORD,
    Browser,
    Mailbox,
    Practice,
    add_client,
    audit_of_client,
    audit_trail,
    clients_in,
    invite,
    open_portal_account,
    sign_in,
    stored_client,
    stored_organization,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "quiet river stones at noon"


def invited(practice: Practice, email: str = "jo@example.test", **fields: Any) -> tuple[str, str]:
    """A client invited by the administrator: their id and the token from the mail."""
    client = add_client(practice.admin, "Jordan Lee", email=email, **fields)
    assert invite(practice.admin, client["id"]).status == 200
    return client["id"], practice.mailbox.token_for(email)


def active(practice: Practice, email: str = "jo@example.test", **fields: Any) -> tuple[Browser, str]:
    """A client who has set up their account: their signed-in browser and their id."""
    client = add_client(practice.admin, "Jordan Lee", email=email, **fields)
    return open_portal_account(practice, practice.admin, client["id"], email), client["id"]


# --------------------------------------------------------------------------------------------- account set-up


def test_the_invitation_link_names_the_practice(practice: Practice) -> None:
    # Given an invited client
    _, token = invited(practice)

    # When they open the link
    response = practice.new_browser().post("/api/password-tokens/inspect", {"token": token})

    # Then the page can greet them with the practice's name and their email
    assert response.status == 200, response.json
    assert response.json == {
        "purpose": "client_invite",
        "email": "jo@example.test",
        "organization": {"name": "Harbor Counseling", "slug": "harbor"},
    }


def test_setting_a_password_activates_the_account_and_signs_the_client_in(frozen_clock: None, practice: Practice) -> None:
    # Given an invited client
    client_id, token = invited(practice)
    clock.advance(timedelta(hours=2))

    # When they set a password from the link
    person = practice.new_browser()
    response = person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD})

    # Then they are signed in to the portal as a client of the practice
    assert response.status == 200, response.json
    assert person.cookie
    principal = response.json["principal"]
    assert (principal["id"], principal["kind"], principal["role"], principal["can_invite_clients"]) == (
        client_id,
        "client",
        "client",
        False,
    )
    assert response.json["organization"]["slug"] == "harbor"
    assert response.json["idle_timeout_seconds"] == 30 * 60

    # And the account is active, with the acceptance time recorded and the link used up
    stored = stored_client(practice.org_id, client_id)
    assert (stored.status, stored.accepted_at, stored.password_token_hash) == ("active", NOW + timedelta(hours=2), None)
    assert stored.password_hash and CLIENT_PASSWORD not in stored.password_hash
    assert PasswordToken.get(token_pk(digest(token)), consistent_read=True).used_at == NOW + timedelta(hours=2)

    # And the acceptance is audited with the client as subject
    assert ("account.client_invite_redeem", "success") in audit_of_client(practice.org_id, client_id)


def test_assigned_staff_see_the_activation(practice: Practice) -> None:
    # Given a therapist's client who accepted the invitation
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    client = add_client(therapist, "Jordan Lee", email="jo@example.test")
    open_portal_account(practice, therapist, client["id"], "jo@example.test")

    # When the therapist opens the record and the list
    record = therapist.get(f"/api/clients/{client['id']}")
    listed = therapist.get("/api/clients")

    # Then both show the account as active, with the acceptance time
    assert record.json["portal"]["status"] == "active"
    assert record.json["portal"]["accepted_at"] is not None
    assert [item["portal_status"] for item in listed.json["items"]] == ["active"]


@pytest.mark.parametrize("password", ["short", "password1234", "jo@example.test"])
def test_the_password_policy_applies_to_clients_and_keeps_the_link(practice: Practice, password: str) -> None:
    # Given an invited client
    client_id, token = invited(practice)

    # When they choose a weak password
    response = practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": password})

    # Then it is refused, nothing changed, and the link still works
    assert response.status == 422, response.json
    assert [e["field"] for e in response.json["errors"]] == ["password"]
    assert stored_client(practice.org_id, client_id).status == "invited"
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200


def test_an_invitation_link_works_only_once(practice: Practice) -> None:
    # Given a client who has used their link
    client_id, token = invited(practice)
    assert practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200
    accepted_at = stored_client(practice.org_id, client_id).accepted_at

    # When someone uses it again
    response = practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD})

    # Then it is gone, and the password and acceptance time stand
    assert response.status == 410
    assert response.problem_type == "/problems/token-invalid"
    assert stored_client(practice.org_id, client_id).accepted_at == accepted_at
    _, old = sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)
    assert old.status == 200


# -------------------------------------------------------------------------------------------------------- sign-in


def test_a_client_signs_in_at_the_practice(practice: Practice) -> None:
    # Given a client with an account
    _, client_id = active(practice)

    # When they sign in at the practice's login link
    browser, response = sign_in(practice.client, practice.slug, "JO@example.test", CLIENT_PASSWORD)

    # Then they get a client session
    assert response.status == 200, response.json
    assert (response.json["principal"]["id"], response.json["principal"]["kind"]) == (client_id, "client")
    assert browser.get("/api/portal/home").status == 200
    assert stored_client(practice.org_id, client_id).last_sign_in_at is not None


def test_a_disabled_client_gets_the_same_401_as_a_wrong_password(practice: Practice) -> None:
    # Given a client whose access was disabled
    _, client_id = active(practice)
    assert practice.admin.post(f"/api/clients/{client_id}/portal-access/disable").status == 200
    _, wrong = sign_in(practice.client, practice.slug, "jo@example.test", "not the password at all")

    # When they sign in with their correct password
    _, response = sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)

    # Then it is the usual 401, without a session
    assert response.status == 401
    assert response.problem_type == "/problems/unauthenticated"
    assert response.json["detail"] == wrong.json["detail"]
    assert "set-cookie" not in response.headers


def test_an_invited_client_cannot_sign_in_before_setting_a_password(practice: Practice) -> None:
    # Given an invited client
    invited(practice)

    # When someone signs in as them with an empty password
    _, response = sign_in(practice.client, practice.slug, "jo@example.test", "")

    # Then it is the usual 401
    assert response.status == 401


def test_a_client_of_one_practice_cannot_sign_in_at_another(practice: Practice, other_practice: Practice) -> None:
    # Given a client of Harbor
    active(practice)

    # When they sign in at Cove's login link
    _, response = sign_in(practice.client, other_practice.slug, "jo@example.test", CLIENT_PASSWORD)

    # Then Cove knows no such account
    assert response.status == 401


def test_a_client_session_idles_out_after_thirty_minutes(frozen_clock: None, practice: Practice) -> None:
    # Given a signed-in client
    person, _ = active(practice)

    # When they stay active, each pause under thirty minutes, their session lives on
    clock.advance(timedelta(minutes=29))
    home = person.get("/api/portal/home")
    assert home.status == 200
    assert home.headers["x-idle-expires-in"] == str(30 * 60)
    clock.advance(timedelta(minutes=29, seconds=59))
    assert person.get("/api/portal/home").status == 200

    # Then after thirty idle minutes it has ended
    clock.advance(timedelta(minutes=30, seconds=1))
    response = person.get("/api/portal/home")
    assert response.status == 401
    assert response.problem_type == "/problems/unauthenticated"


# --------------------------------------------------------------------------------------------------------- passwords


def test_a_client_resets_a_forgotten_password(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client with an account
    _, client_id = active(practice)
    accepted_at = stored_client(practice.org_id, client_id).accepted_at

    # When they ask for a reset and follow the link
    asked = practice.new_browser().post(f"/api/orgs/{practice.slug}/password-reset", {"email": "jo@example.test"})
    token = mailbox.token_for("jo@example.test")
    described = practice.new_browser().post("/api/password-tokens/inspect", {"token": token})
    person = practice.new_browser()
    redeemed = person.post("/api/password-tokens/redeem", {"token": token, "password": NEW_PASSWORD})

    # Then the link is a reset link for the client, and it signs them in
    assert asked.status == 202
    assert described.json["purpose"] == "password_reset"
    assert redeemed.status == 200, redeemed.json
    assert redeemed.json["principal"]["id"] == client_id

    # And the new password works, the old does not, and the original acceptance time stays
    assert sign_in(practice.client, practice.slug, "jo@example.test", NEW_PASSWORD)[1].status == 200
    assert sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)[1].status == 401
    assert stored_client(practice.org_id, client_id).accepted_at == accepted_at
    assert ("account.password_reset_redeem", "success") in audit_of_client(practice.org_id, client_id)


def test_a_disabled_client_gets_no_reset_link(practice: Practice, mailbox: Mailbox) -> None:
    # Given a disabled client
    _, client_id = active(practice)
    assert practice.admin.post(f"/api/clients/{client_id}/portal-access/disable").status == 200
    mails_before = len(mailbox.to("jo@example.test"))

    # When they ask for a reset
    response = practice.new_browser().post(f"/api/orgs/{practice.slug}/password-reset", {"email": "jo@example.test"})

    # Then the answer is the usual one, but no mail goes out
    assert response.status == 202
    assert len(mailbox.to("jo@example.test")) == mails_before


def test_a_client_changes_their_password_and_their_other_sessions_end(practice: Practice) -> None:
    # Given a client signed in on two devices
    phone, client_id = active(practice)
    laptop, _ = sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)

    # When they change their password on the phone
    response = phone.post("/api/account/password", {"current_password": CLIENT_PASSWORD, "new_password": NEW_PASSWORD})

    # Then the phone stays signed in, the laptop is signed out, and the new password works
    assert response.status == 204, response.json
    assert phone.get("/api/portal/home").status == 200
    assert laptop.get("/api/portal/home").status == 401
    assert sign_in(practice.client, practice.slug, "jo@example.test", NEW_PASSWORD)[1].status == 200
    event = next(e for e in audit_trail(practice.org_id) if e.action == "account.password_change")
    assert (event.actor_id, event.resource, event.outcome) == (client_id, f"client/{client_id}", "success")


def test_a_client_needs_their_current_password_to_change_it(practice: Practice) -> None:
    # Given a signed-in client
    person, _ = active(practice)

    # When they give a wrong current password
    response = person.post("/api/account/password", {"current_password": "a guess at the password", "new_password": NEW_PASSWORD})

    # Then nothing changes
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["current_password"]
    assert sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)[1].status == 200


# ---------------------------------------------------------------------------------------------------- portal home


def test_the_portal_home_shows_the_enabled_features_and_the_contact_line(practice: Practice) -> None:
    # Given a practice that switched off payments and messaging and set a contact line
    version = stored_organization(practice.org_id).version
    changed = practice.admin.patch(
        "/api/organization/settings",
        {
            "version": version,
            "contact_line": "Call us at 555 0100, weekdays 9–5",
            "features": {"payments": False, "messaging": False},
        },
    )
    assert changed.status == 200, changed.json
    person, client_id = active(practice, preferred_name="Jo")

    # When the client opens their home
    response = person.get("/api/portal/home")

    # Then it names them and their practice, shows only the enabled features and nothing pending yet
    assert response.status == 200, response.json
    assert response.json == {
        "client": {"name": "Jordan Lee", "preferred_name": "Jo"},
        "practice": {"name": "Harbor Counseling", "slug": "harbor", "contact_line": "Call us at 555 0100, weekdays 9–5"},
        "features": {"payments": False, "intake_forms": True, "self_scheduling": True, "messaging": False},
        "pending": [],
        "time_zone": "America/Chicago",  # the client's own, the practice's until they choose another
    }

    # And opening it is audited for the client
    assert audit_of_client(practice.org_id, client_id)[-1] == ("portal.home", "success")


def test_the_portal_home_is_the_clients_own(practice: Practice) -> None:
    # Given two clients with accounts
    first, _ = active(practice, email="first@example.test")
    second_id = add_client(practice.admin, "Riley Quinn", email="second@example.test")["id"]
    second = open_portal_account(practice, practice.admin, second_id, "second@example.test")

    # When each opens their home
    # Then each sees only themselves
    assert first.get("/api/portal/home").json["client"]["name"] == "Jordan Lee"
    assert second.get("/api/portal/home").json["client"]["name"] == "Riley Quinn"


# ------------------------------------------------------------------------------------------------ what clients can't


def test_no_client_route_names_a_client_so_no_client_can_address_another(practice: Practice) -> None:
    # Given every route a client may call, and every route that names a client
    load_all_handlers()
    signed_in = (Access.CLIENT, Access.SIGNED_IN, Access.ANY_SESSION, Access.PROVING_FACTOR, Access.SETTING_UP_FACTOR)
    client_routes = [spec for spec in ROUTES if spec.access in signed_in]
    naming_a_client = [spec for spec in ROUTES if "{client_id}" in spec.path]

    # Then a client's routes act on the client of their session (and are the portal's own), never on a client id
    assert client_routes and naming_a_client
    assert [f"{spec.method} {spec.path}" for spec in client_routes if "{client_id}" in spec.path] == []
    assert all(spec.path.startswith("/api/portal/") for spec in client_routes if spec.access is Access.CLIENT)
    # And every route that names a client is for staff only
    assert {spec.access for spec in naming_a_client} <= {Access.STAFF, Access.INVITER, Access.ADMINISTRATOR}


STAFF_ROUTES = [
    ("GET", "/api/clients"),
    ("POST", "/api/clients"),
    ("GET", "/api/clients/{own}"),
    ("GET", "/api/clients/{other}"),
    ("PATCH", "/api/clients/{own}"),
    ("POST", "/api/clients/{other}/invitation"),
    ("POST", "/api/clients/{own}/portal-access/disable"),
    ("GET", "/api/invitation-templates"),
    ("GET", "/api/staff"),
    ("GET", "/api/organization/settings"),
    ("GET", "/api/entitlements"),
    ("GET", "/api/audit"),
]


def test_a_client_is_refused_every_staff_route_and_each_attempt_audited(practice: Practice) -> None:
    # Given a signed-in client, and another client of the practice
    person, client_id = active(practice)
    other = add_client(practice.admin, "Riley Quinn", email="riley@example.test")
    before = stored_client(practice.org_id, other["id"]).attribute_values

    for method, path in STAFF_ROUTES:
        # When the client calls a staff route, about themselves or the other client
        url = path.replace("{own}", client_id).replace("{other}", other["id"])
        body = {"version": 1, "name": "Changed"} if method == "PATCH" else ({"name": "New Client"} if url == "/api/clients" else None)
        response = person.request(method, url, body)

        # Then it is forbidden, revealing nothing, and audited as denied
        route = f"{method} {path}"
        assert response.status == 403, (route, response.json)
        assert response.problem_type == "/problems/forbidden"
        assert "Riley" not in response.body.decode() and "Jordan" not in response.body.decode()
        event = audit_trail(practice.org_id)[0]
        assert (event.action, event.outcome, event.actor_id, event.actor_role) == ("request.denied", "denied", client_id, "client"), route

    # And nothing about either client changed
    assert stored_client(practice.org_id, other["id"]).attribute_values == before
    assert stored_client(practice.org_id, client_id).status == "active"
    assert len(clients_in(practice.org_id)) == 2


def test_a_client_put_back_to_not_invited_gets_no_reset_link(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client disabled before setting a password, then enabled (so: not invited)
    client_id, _ = invited(practice)
    assert practice.admin.post(f"/api/clients/{client_id}/portal-access/disable").status == 200
    assert practice.admin.post(f"/api/clients/{client_id}/portal-access/enable").json["portal"]["status"] == "not_invited"
    mails_before = len(mailbox.to("jo@example.test"))

    # When someone asks for a reset with the client's email
    response = practice.new_browser().post(f"/api/orgs/{practice.slug}/password-reset", {"email": "jo@example.test"})

    # Then the answer is the usual one, and no link goes out (the practice invites them again when it wants to)
    assert response.status == 202
    assert len(mailbox.to("jo@example.test")) == mails_before
    assert stored_client(practice.org_id, client_id).password_token_hash is None
