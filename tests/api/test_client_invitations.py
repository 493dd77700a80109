"""Portal invitations: who may send them, what the mail says, single-use expiring links, resends, one portal account per
email (also when invitations race), delivery failures, and disabling and enabling portal access."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import clock
from chalicelib.adapters.mail import use_mailer
from chalicelib.auth.tokens import digest
from chalicelib.errors import Conflict, DomainError, problem_response
from chalicelib.services import client_invitations
from chalicelib.tables.keys import token_pk
from chalicelib.tables.tokens import PasswordToken
from tests.conftest import (
    CLIENT_PASSWORD,
    FailingMailer,
    Mailbox,
    Practice,
    add_client,
    audit_of_client,
    audit_trail,
    clients_in,
    email_claim,
    invite,
    open_portal_account,
    principal_of_browser,
    session_record,
    sign_in,
    stored_client,
    table_size,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CONSENT = "std-informed-consent"  # two of the standard forms every practice has
PRIVACY = "std-privacy-notice"


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def redeem(practice: Practice, token: str, password: str = CLIENT_PASSWORD) -> Any:
    return practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": password})


def inspect(practice: Practice, token: str) -> Any:
    return practice.new_browser().post("/api/password-tokens/inspect", {"token": token})


# ----------------------------------------------------------------------------------------------------- sending


def test_an_administrator_invites_a_client(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given a client with an email
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When the administrator sends the portal invitation
    response = invite(practice.admin, client["id"])

    # Then the client is invited, by the administrator, with a link that expires in seven days
    assert response.status == 200, response.json
    portal = response.json["portal"]
    assert (portal["status"], portal["invited_by"], portal["invitation_delivery"]) == ("invited", practice.admin_id, "sent")
    assert at(portal["invited_at"]) == NOW
    assert at(portal["invitation_expires_at"]) == NOW + timedelta(days=7)

    # And the record holds the digest of the mailed link and claims the email for the portal account
    token = mailbox.token_for("jo@example.test")
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.status, stored.invitation_delivery, stored.password_token_hash) == ("invited", "sent", digest(token))
    assert stored.email_key == f"{practice.org_id}#jo@example.test"
    claim = email_claim(practice.org_id, "jo@example.test")
    assert (claim.account_id, claim.kind) == (client["id"], "client")
    link = PasswordToken.get(token_pk(digest(token)), consistent_read=True)
    assert (link.purpose, link.account_id, link.org_id) == ("client_invite", client["id"], practice.org_id)

    # And the invitation is audited with the client as subject
    assert ("client.invite", "success") in audit_of_client(practice.org_id, client["id"])


def test_the_mail_names_the_practice_carries_the_message_and_never_the_client(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client with personal details
    client = add_client(
        practice.admin, "Jordan Quinlan", preferred_name="Jojo", email="jq@example.test", phone="555 0100", date_of_birth="1990-04-12"
    )

    # When the administrator invites them with a tailored message
    assert invite(practice.admin, client["id"], message="We look forward to meeting you on Monday.").status == 200

    # Then one mail names the practice, carries the message and a link whose secret is in the fragment
    [mail] = mailbox.to("jq@example.test")
    assert mail["subject"] == "Harbor Counseling invites you to its client portal"
    body = mail["body"]
    assert "Harbor Counseling" in body
    assert "We look forward to meeting you on Monday." in body
    token = mailbox.token_for("jq@example.test")
    assert f"http://portal.test/o/harbor/set-password#token={token}" in body
    assert "?token=" not in body

    # And nothing about the client is in it
    for detail in ("Jordan", "Quinlan", "Jojo", "555 0100", "1990", client["id"]):
        assert detail not in mail["subject"] and detail not in body, detail


def test_the_chosen_intake_forms_are_stored_with_the_invitation(practice: Practice) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When the administrator invites them with two of the practice's forms (one chosen twice)
    response = invite(practice.admin, client["id"], form_ids=[CONSENT, PRIVACY, CONSENT])

    # Then the forms are stored, once each, in the order chosen
    assert response.status == 200, response.json
    assert response.json["portal"]["form_ids"] == [CONSENT, PRIVACY]
    assert stored_client(practice.org_id, client["id"]).form_ids == [CONSENT, PRIVACY]


def test_an_invitation_without_forms_stores_an_empty_choice(practice: Practice) -> None:
    # Given a client invited once with a form
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"], form_ids=[CONSENT]).status == 200

    # When the invitation is re-sent without forms
    response = invite(practice.admin, client["id"], form_ids=[])

    # Then the latest choice — none — is what is stored
    assert response.status == 200, response.json
    assert response.json["portal"]["form_ids"] == []
    assert stored_client(practice.org_id, client["id"]).form_ids == []


def test_inviting_never_creates_a_second_client_record(practice: Practice) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When they are invited and the invitation re-sent
    assert invite(practice.admin, client["id"]).status == 200
    assert invite(practice.admin, client["id"]).status == 200

    # Then there is still exactly one client, the same one
    assert [c.id for c in clients_in(practice.org_id)] == [client["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "x" * 2001}, "message"),
        ({"form_ids": [f"frm_{i}" for i in range(21)]}, "form_ids"),
        ({"form_ids": [CONSENT, "frm_0000000000000000"]}, "form_ids"),
        ({"form_ids": [], "subject": "Hi"}, "subject"),
    ],
    ids=["message too long", "too many forms", "unknown form", "unknown field"],
)
def test_an_invalid_invitation_is_refused_and_nothing_is_sent(
    practice: Practice, mailbox: Mailbox, body: dict[str, Any], field: str
) -> None:
    # Given a client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When the invitation is sent with a bad field
    response = practice.admin.post(f"/api/clients/{client['id']}/invitation", body)

    # Then it is refused, and no record, claim or mail was made
    assert response.status == 422, response.json
    assert field in [e["field"] for e in response.json["errors"]]
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert email_claim(practice.org_id, "jo@example.test") is None
    assert mailbox.to("jo@example.test") == []


def test_a_client_without_an_email_cannot_be_invited(practice: Practice) -> None:
    # Given a client without an email
    client = add_client(practice.admin, "Jordan Lee")

    # When the administrator invites them
    response = invite(practice.admin, client["id"])

    # Then they are asked for the email first
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["email"]
    assert stored_client(practice.org_id, client["id"]).status == "not_invited"


# ------------------------------------------------------------------------------------------------------ permission


@pytest.mark.parametrize("action", ["invitation", "portal-access/disable", "portal-access/enable"])
def test_a_therapist_not_allowed_to_invite_is_refused_and_the_attempt_audited(practice: Practice, mailbox: Mailbox, action: str) -> None:
    # Given a therapist without the permission, and their own client
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=False)
    client = add_client(therapist, "Jordan Lee", email="jo@example.test")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When they invite the client (or change their portal access)
    response = therapist.post(f"/api/clients/{client['id']}/{action}", {"form_ids": []} if action == "invitation" else None)

    # Then it is forbidden, audited as denied, and nothing changed or was sent
    assert response.status == 403, response.json
    assert response.problem_type == "/problems/forbidden"
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.actor_id) == ("request.denied", "denied", therapist_id)
    assert event.resource == f"POST /api/clients/{{client_id}}/{action}"
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert mailbox.to("jo@example.test") == []


def test_a_therapist_allowed_to_invite_invites_their_client(practice: Practice, mailbox: Mailbox) -> None:
    # Given a therapist an administrator allowed to invite, and their client
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    client = add_client(therapist, "Jordan Lee", email="jo@example.test")

    # When they invite the client
    response = invite(therapist, client["id"])

    # Then the invitation goes out in their name
    assert response.status == 200, response.json
    assert response.json["portal"]["invited_by"] == therapist_id
    assert len(mailbox.to("jo@example.test")) == 1


def test_an_allowed_therapist_cannot_invite_someone_elses_client(practice: Practice, mailbox: Mailbox) -> None:
    # Given an inviting therapist, and a client assigned only to another therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    other, _ = practice.add_staff("Tess Therapist", "tess@harbor.test")
    client = add_client(other, "Jordan Lee", email="jo@example.test")

    # When Theo invites that client
    response = invite(therapist, client["id"])

    # Then the client is not found for him, the attempt is audited, and nothing was sent
    assert response.status == 404
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.actor_id, event.subject_client_id) == ("client.read", "denied", therapist_id, client["id"])
    assert stored_client(practice.org_id, client["id"]).status == "not_invited"
    assert mailbox.to("jo@example.test") == []


def test_another_practice_cannot_invite_this_practices_client(practice: Practice, other_practice: Practice, mailbox: Mailbox) -> None:
    # Given a client of Harbor
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When Cove's administrator invites them by id
    response = invite(other_practice.admin, client["id"])

    # Then it is a 404 and nothing happened
    assert response.status == 404
    assert stored_client(practice.org_id, client["id"]).status == "not_invited"
    assert mailbox.to("jo@example.test") == []


# ----------------------------------------------------------------------------------------------- links and resends


def test_resending_replaces_the_earlier_link(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client invited once
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    first = mailbox.token_for("jo@example.test")

    # When the invitation is re-sent
    resent = invite(practice.admin, client["id"])
    second = mailbox.token_for("jo@example.test")

    # Then the client is still invited, with a new link
    assert resent.status == 200, resent.json
    assert resent.json["portal"]["status"] == "invited"
    assert first != second
    assert len(mailbox.to("jo@example.test")) == 2

    # And the earlier link no longer works, while the new one does
    assert inspect(practice, first).status == 410
    assert redeem(practice, first).status == 410
    assert redeem(practice, second).status == 200
    assert stored_client(practice.org_id, client["id"]).status == "active"
    assert audit_of_client(practice.org_id, client["id"]).count(("client.invite", "success")) == 2


def test_an_invitation_link_expires_after_seven_days(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given a client invited now
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    token = mailbox.token_for("jo@example.test")

    # When almost seven days pass, the link still works
    clock.advance(timedelta(days=7, seconds=-1))
    assert inspect(practice, token).status == 200

    # Then a moment after seven days it has expired, for inspecting and for redeeming
    clock.advance(timedelta(seconds=2))
    expired = redeem(practice, token)
    assert expired.status == 410
    assert expired.problem_type == "/problems/token-invalid"
    assert inspect(practice, token).status == 410
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.status, stored.password_hash) == ("invited", None)


def test_a_resend_after_expiry_gives_a_working_link(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given an invitation that expired
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    clock.advance(timedelta(days=8))

    # When the administrator signs in again and re-sends it
    admin, _ = sign_in(practice.client, practice.slug, practice.admin_email)
    resent = invite(admin, client["id"])

    # Then the new link expires seven days from now and works
    assert resent.status == 200, resent.json
    assert at(resent.json["portal"]["invitation_expires_at"]) == NOW + timedelta(days=15)
    assert redeem(practice, mailbox.token_for("jo@example.test")).status == 200


# ------------------------------------------------------------------------------------------------ unique emails


def test_a_second_client_cannot_get_a_portal_account_with_the_same_email(practice: Practice, mailbox: Mailbox) -> None:
    # Given two client records with the same email (a parent and a child, say), the first of them invited
    first = add_client(practice.admin, "Jordan Lee", email="family@example.test")
    second = add_client(practice.admin, "Riley Lee", email="Family@Example.test")
    assert invite(practice.admin, first["id"]).status == 200
    first_before = stored_client(practice.org_id, first["id"]).attribute_values
    second_before = stored_client(practice.org_id, second["id"]).attribute_values
    tokens_before, mails_before = table_size(PasswordToken), len(mailbox.messages())

    # When the administrator invites the second
    response = invite(practice.admin, second["id"])

    # Then it is a clear conflict on the email
    assert response.status == 409, response.json
    assert response.problem_type == "/problems/conflict"
    assert [e["field"] for e in response.json["errors"]] == ["email"]
    assert "email" in response.json["detail"]

    # And neither client, the claim, the links nor the mailbox changed
    assert stored_client(practice.org_id, first["id"]).attribute_values == first_before
    assert stored_client(practice.org_id, second["id"]).attribute_values == second_before
    assert email_claim(practice.org_id, "family@example.test").account_id == first["id"]
    assert table_size(PasswordToken) == tokens_before
    assert len(mailbox.messages()) == mails_before


def test_two_simultaneous_invitations_of_one_email_have_exactly_one_winner(
    serializable_dynamodb: None, practice: Practice, mailbox: Mailbox
) -> None:
    # Given two clients with the same email, and two inviters acting at the same moment
    ids = [add_client(practice.admin, name, email="family@example.test")["id"] for name in ("Jordan Lee", "Riley Lee")]
    principal = principal_of_browser(practice.admin)
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def attempt(client_id: str) -> None:
        barrier.wait()
        try:
            outcomes[client_id] = client_invitations.invite_client(principal, client_id, client_invitations.InvitationRequest(form_ids=[]))
        except DomainError as error:
            outcomes[client_id] = error

    threads = [threading.Thread(target=attempt, args=(client_id,)) for client_id in ids]

    # When both invitations run
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one succeeded and the other got a conflict
    winners = [client_id for client_id, outcome in outcomes.items() if not isinstance(outcome, DomainError)]
    losers = [client_id for client_id, outcome in outcomes.items() if isinstance(outcome, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert problem_response(outcomes[losers[0]], None).status_code == 409

    # And the email belongs to the winner alone; the loser has no portal account and only one mail went out
    assert email_claim(practice.org_id, "family@example.test").account_id == winners[0]
    assert stored_client(practice.org_id, winners[0]).status == "invited"
    loser = stored_client(practice.org_id, losers[0])
    assert (loser.status, loser.email_key, loser.password_token_hash) == ("not_invited", None, None)
    assert len(mailbox.to("family@example.test")) == 1


def test_a_staff_members_email_cannot_become_a_clients_portal_account(practice: Practice, mailbox: Mailbox) -> None:
    # Given a therapist, and a client record that carries the therapist's email
    practice.add_staff("Theo Therapist", "theo@harbor.test")
    client = add_client(practice.admin, "Jordan Lee", email="theo@harbor.test")
    before = stored_client(practice.org_id, client["id"]).attribute_values
    mails_before = len(mailbox.to("theo@harbor.test"))

    # When the administrator invites the client
    response = invite(practice.admin, client["id"])

    # Then it is a conflict on the email, and nothing changed
    assert response.status == 409, response.json
    assert [e["field"] for e in response.json["errors"]] == ["email"]
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert email_claim(practice.org_id, "theo@harbor.test").kind == "staff"
    assert len(mailbox.to("theo@harbor.test")) == mails_before


def test_a_portal_account_cannot_move_to_a_staff_members_email(practice: Practice) -> None:
    # Given an invited client and a therapist
    practice.add_staff("Theo Therapist", "theo@harbor.test")
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    before = stored_client(practice.org_id, client["id"])

    # When the administrator changes the client's email to the therapist's
    response = practice.admin.patch(f"/api/clients/{client['id']}", {"version": before.version, "email": "theo@harbor.test"})

    # Then it is a conflict, and the client keeps their email and its claim
    assert response.status == 409, response.json
    assert response.problem_type == "/problems/conflict"
    assert stored_client(practice.org_id, client["id"]).attribute_values == before.attribute_values
    assert email_claim(practice.org_id, "jo@example.test").account_id == client["id"]
    assert email_claim(practice.org_id, "theo@harbor.test").kind == "staff"


def test_a_portal_accounts_email_moves_with_its_claim(practice: Practice) -> None:
    # Given an invited client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    version = stored_client(practice.org_id, client["id"]).version

    # When the administrator corrects the email
    response = practice.admin.patch(f"/api/clients/{client['id']}", {"version": version, "email": "jordan@example.test"})

    # Then the claim moves with it, and the old email is free again
    assert response.status == 200, response.json
    assert email_claim(practice.org_id, "jordan@example.test").account_id == client["id"]
    assert email_claim(practice.org_id, "jo@example.test") is None
    assert stored_client(practice.org_id, client["id"]).email_key == f"{practice.org_id}#jordan@example.test"


def test_a_client_portal_email_cannot_be_given_to_a_new_staff_member(practice: Practice) -> None:
    # Given an invited client
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200

    # When the administrator invites a staff member with the client's email
    response = practice.admin.post("/api/staff", {"name": "Jo Staff", "email": "jo@example.test", "role": "therapist"})

    # Then it is a conflict: one account per email across staff and clients
    assert response.status == 409
    assert email_claim(practice.org_id, "jo@example.test").account_id == client["id"]


def test_reinviting_an_active_client_is_a_conflict(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client who set up their account
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    open_portal_account(practice, practice.admin, client["id"], "jo@example.test")
    before = stored_client(practice.org_id, client["id"]).attribute_values
    mails_before = len(mailbox.to("jo@example.test"))

    # When the administrator invites them again
    response = invite(practice.admin, client["id"])

    # Then it is a conflict, and the account is untouched
    assert response.status == 409
    assert response.problem_type == "/problems/conflict"
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert len(mailbox.to("jo@example.test")) == mails_before


# --------------------------------------------------------------------------------------------------- delivery


def test_a_refused_delivery_keeps_the_invitation_and_a_resend_works(practice: Practice, mailbox: Mailbox) -> None:
    # Given SES refusing mail
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    use_mailer(FailingMailer())

    # When the administrator invites the client
    response = invite(practice.admin, client["id"])

    # Then the invitation exists, marked as not delivered
    assert response.status == 200, response.json
    assert (response.json["portal"]["status"], response.json["portal"]["invitation_delivery"]) == ("invited", "failed")
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.status, stored.invitation_delivery) == ("invited", "failed")
    assert PasswordToken.get(token_pk(stored.password_token_hash), consistent_read=True).account_id == client["id"]
    assert mailbox.to("jo@example.test") == []

    # When SES recovers and the administrator re-sends
    use_mailer(None)
    resent = invite(practice.admin, client["id"])

    # Then the mail goes out and its link works
    assert resent.json["portal"]["invitation_delivery"] == "sent"
    assert stored_client(practice.org_id, client["id"]).invitation_delivery == "sent"
    assert redeem(practice, mailbox.token_for("jo@example.test")).status == 200


# ----------------------------------------------------------------------------------------------- portal access


def test_disabling_access_ends_the_clients_sessions_and_sign_in(practice: Practice) -> None:
    # Given a client signed in on two devices
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    phone = open_portal_account(practice, practice.admin, client["id"], "jo@example.test")
    laptop, signed_in = sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)
    assert signed_in.status == 200

    # When the administrator disables their portal access
    response = practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable")

    # Then the client is disabled and both sessions have ended (the account's session epoch moved past theirs)
    assert response.status == 200, response.json
    assert response.json["portal"]["status"] == "disabled"
    stored = stored_client(practice.org_id, client["id"])
    assert stored.status == "disabled"
    assert all(session_record(device).epoch < stored.session_epoch for device in (phone, laptop))
    for device in (phone, laptop):
        assert device.get("/api/portal/home").status == 401

    # And they cannot sign in again
    _, again = sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)
    assert again.status == 401
    assert audit_of_client(practice.org_id, client["id"])[-1] == ("client.portal_disable", "success")


def test_disabling_an_invited_client_stops_their_link(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client with an unused invitation
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    token = mailbox.token_for("jo@example.test")

    # When the administrator disables their access
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable").status == 200

    # Then the link is dead
    assert inspect(practice, token).status == 410
    assert redeem(practice, token).status == 410
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.status, stored.password_hash, stored.password_token_hash) == ("disabled", None, None)


def test_a_disabled_clients_email_stays_reserved(practice: Practice) -> None:
    # Given a disabled portal account, and another client with the same email
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    open_portal_account(practice, practice.admin, client["id"], "jo@example.test")
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable").status == 200
    other = add_client(practice.admin, "Riley Lee", email="jo@example.test")

    # When the other client is invited
    response = invite(practice.admin, other["id"])

    # Then the email is still taken
    assert response.status == 409
    assert email_claim(practice.org_id, "jo@example.test").account_id == client["id"]


def test_a_disabled_account_is_enabled_rather_than_reinvited(practice: Practice) -> None:
    # Given a disabled client who had set a password
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    open_portal_account(practice, practice.admin, client["id"], "jo@example.test")
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable").status == 200

    # When the administrator invites them again
    response = invite(practice.admin, client["id"])

    # Then they are told to enable the account instead
    assert response.status == 409
    assert stored_client(practice.org_id, client["id"]).status == "disabled"


def test_enabling_access_restores_sign_in(practice: Practice) -> None:
    # Given a disabled client who had set a password
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    open_portal_account(practice, practice.admin, client["id"], "jo@example.test")
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable").status == 200

    # When the administrator enables their access again
    response = practice.admin.post(f"/api/clients/{client['id']}/portal-access/enable")

    # Then they are active and sign in with their password
    assert response.status == 200, response.json
    assert response.json["portal"]["status"] == "active"
    _, signed_in = sign_in(practice.client, practice.slug, "jo@example.test", CLIENT_PASSWORD)
    assert signed_in.status == 200
    assert audit_of_client(practice.org_id, client["id"])[-1] == ("client.portal_enable", "success")


def test_enabling_a_client_who_never_set_a_password_needs_a_new_invitation(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client disabled before using their invitation
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).status == 200
    old = mailbox.token_for("jo@example.test")
    assert practice.admin.post(f"/api/clients/{client['id']}/portal-access/disable").status == 200

    # When the administrator enables them
    response = practice.admin.post(f"/api/clients/{client['id']}/portal-access/enable")

    # Then they are back to not invited, the old link stays dead, and a new invitation works
    assert response.json["portal"]["status"] == "not_invited"
    assert redeem(practice, old).status == 410
    assert invite(practice.admin, client["id"]).status == 200
    assert redeem(practice, mailbox.token_for("jo@example.test")).status == 200


@pytest.mark.parametrize(("action", "status"), [("disable", "not_invited"), ("enable", "not_invited"), ("enable", "invited")])
def test_portal_access_changes_only_from_a_state_that_allows_them(practice: Practice, action: str, status: str) -> None:
    # Given a client who is not invited, or invited (and so not disabled)
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    if status == "invited":
        assert invite(practice.admin, client["id"]).status == 200
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When the administrator disables or enables access
    response = practice.admin.post(f"/api/clients/{client['id']}/portal-access/{action}")

    # Then it is a conflict and nothing changed
    assert response.status == 409
    assert stored_client(practice.org_id, client["id"]).attribute_values == before


def test_correcting_an_invited_clients_email_stops_the_link_sent_to_the_old_address(practice: Practice, mailbox: Mailbox) -> None:
    # Given a client invited at a mistyped address
    client = add_client(practice.admin, "Jordan Lee", email="jordan@exmaple.test")
    assert invite(practice.admin, client["id"]).status == 200
    stray = mailbox.token_for("jordan@exmaple.test")
    version = stored_client(practice.org_id, client["id"]).version

    # When the administrator corrects the email
    corrected = practice.admin.patch(f"/api/clients/{client['id']}", {"version": version, "email": "jordan@example.test"})
    assert corrected.status == 200, corrected.json

    # Then whoever got the mistyped mail cannot open the client's account with it
    assert inspect(practice, stray).status == 410
    assert redeem(practice, stray).status == 410
    stored = stored_client(practice.org_id, client["id"])
    assert (stored.status, stored.password_hash, stored.password_token_hash) == ("invited", None, None)

    # And a resend reaches the corrected address with a working link
    assert invite(practice.admin, client["id"]).status == 200
    assert redeem(practice, mailbox.token_for("jordan@example.test")).status == 200
