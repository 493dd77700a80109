"""Self sign-up from a practice's page: off unless an administrator switches it on; never a duplicate client; the same
answer whoever signs up."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.mail import use_mailer
from tests.conftest import (
    CLIENT_PASSWORD,
    FailingMailer,
    Mailbox,
    Practice,
    add_client,
    audit_of_client,
    audit_trail,
    client_items,
    clients_in,
    invite,
    open_portal_account,
    stored_client,
    stored_organization,
)


def allow_self_signup(practice: Practice) -> None:
    version = stored_organization(practice.org_id).version
    changed = practice.admin.patch("/api/organization/settings", {"version": version, "self_signup": True})
    assert changed.status == 200, changed.json
    assert changed.json["self_signup"] is True


def sign_up(practice: Practice, name: str = "Jordan Lee", email: str = "jo@example.test") -> Any:
    return practice.new_browser().post(f"/api/orgs/{practice.slug}/sign-up", {"name": name, "email": email})


def comparable(response: Any) -> tuple[int, str | None, Any]:
    """What a visitor can observe of the answer (the request id differs by design)."""
    return response.status, response.headers.get("content-type"), response.json


def test_self_sign_up_is_off_by_default(practice: Practice, mailbox: Mailbox) -> None:
    # Given a practice that never switched self sign-up on
    assert practice.new_browser().get(f"/api/orgs/{practice.slug}").json["self_signup"] is False

    # When a visitor signs up
    response = sign_up(practice)

    # Then they are told the practice invites clients itself, and nothing was written or sent
    assert response.status == 403, response.json
    assert response.problem_type == "/problems/feature-disabled"
    assert client_items(practice.org_id) == []
    assert mailbox.to("jo@example.test") == []


def test_the_administrator_switches_self_sign_up_on_for_the_public_page(practice: Practice) -> None:
    # When the administrator allows self sign-up
    allow_self_signup(practice)

    # Then the practice's public page says so
    assert practice.new_browser().get(f"/api/orgs/{practice.slug}").json["self_signup"] is True
    assert stored_organization(practice.org_id).self_signup is True


def test_a_new_person_gets_exactly_one_client_record_and_an_invitation(practice: Practice, mailbox: Mailbox) -> None:
    # Given a practice with self sign-up on
    allow_self_signup(practice)

    # When a new person signs up
    response = sign_up(practice, "  Jordan Lee ", "Jo@Example.test")

    # Then they are told to check their email
    assert response.status == 202, response.json
    assert "email" in response.json["message"]

    # And exactly one client exists, invited, assigned to nobody yet
    [client] = clients_in(practice.org_id)
    assert (client.name, client.email, client.status, client.invited_by) == ("Jordan Lee", "jo@example.test", "invited", "self-sign-up")
    assert client.therapist_ids is None
    assert client.invitation_delivery == "sent"
    assert client.time_zone == "America/Chicago"

    # And the invitation mail names the practice, not the person, and its link opens the account
    [mail] = mailbox.to("jo@example.test")
    assert "Harbor Counseling" in mail["subject"] and "Jordan" not in mail["body"]
    person = practice.new_browser()
    token = mailbox.token_for("jo@example.test")
    assert person.post("/api/password-tokens/inspect", {"token": token}).json["purpose"] == "client_invite"
    assert person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200
    assert stored_client(practice.org_id, client.id).status == "active"

    # And the administrator finds the new client, and the sign-up is audited with them as subject
    assert [c["id"] for c in practice.admin.post("/api/clients/search", {"q": "jordan"}).json["items"]] == [client.id]
    assert ("client.self_sign_up", "success") in audit_of_client(practice.org_id, client.id)


def test_signing_up_twice_makes_no_second_record(practice: Practice, mailbox: Mailbox) -> None:
    # Given a person who signed up
    allow_self_signup(practice)
    assert sign_up(practice).status == 202

    # When they sign up again (the first mail got lost)
    assert sign_up(practice, "Jordan M. Lee").status == 202

    # Then there is still one client, with a fresh invitation replacing the first
    [client] = clients_in(practice.org_id)
    assert client.name == "Jordan Lee"
    assert len(mailbox.to("jo@example.test")) == 2


@pytest.mark.parametrize("status", ["not_invited", "invited"])
def test_an_existing_clients_email_gets_them_an_invitation_instead_of_a_duplicate(
    practice: Practice, mailbox: Mailbox, status: str
) -> None:
    # Given a client the practice already recorded (and perhaps invited), assigned to a therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    existing = add_client(therapist, "Jordan Lee", email="jo@example.test", phone="555 0100")
    if status == "invited":
        assert invite(practice.admin, existing["id"]).status == 200
    mails_before = len(mailbox.to("jo@example.test"))
    allow_self_signup(practice)

    # When that person signs up from the practice's page, under another spelling
    response = sign_up(practice, "Jo Lee", "JO@example.test")

    # Then no second record was made: the existing client, with their details and therapist, is invited
    assert response.status == 202
    assert [c.id for c in clients_in(practice.org_id)] == [existing["id"]]
    stored = stored_client(practice.org_id, existing["id"])
    assert (stored.name, stored.phone, stored.therapist_ids, stored.status) == ("Jordan Lee", "555 0100", {therapist_id}, "invited")
    assert len(mailbox.to("jo@example.test")) == mails_before + 1

    # And the link signs them in as that client
    redeemed = practice.new_browser().post(
        "/api/password-tokens/redeem", {"token": mailbox.token_for("jo@example.test"), "password": CLIENT_PASSWORD}
    )
    assert redeemed.json["principal"]["id"] == existing["id"]


@pytest.mark.parametrize("who", ["an active client", "a disabled client", "a staff member"])
def test_an_email_with_an_account_gets_the_same_answer_and_nothing_new(practice: Practice, mailbox: Mailbox, who: str) -> None:
    # Given an email that already has an account here
    if who == "a staff member":
        practice.add_staff("Theo Therapist", "jo@example.test")
    else:
        existing = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
        open_portal_account(practice, practice.admin, existing["id"], "jo@example.test")
        if who == "a disabled client":
            assert practice.admin.post(f"/api/clients/{existing['id']}/portal-access/disable").status == 200
    allow_self_signup(practice)
    items_before, mails_before = client_items(practice.org_id), len(mailbox.messages())
    records_before = [c.attribute_values for c in clients_in(practice.org_id)]

    # When someone signs up with it
    response = sign_up(practice, "Jordan Lee", "jo@example.test")

    # Then the answer is the usual one, but no record, claim or mail was made and no account changed
    assert response.status == 202
    assert client_items(practice.org_id) == items_before
    assert [c.attribute_values for c in clients_in(practice.org_id)] == records_before
    assert len(mailbox.messages()) == mails_before

    # And the refusal is audited without naming anyone
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.actor_id, event.subject_client_id) == ("client.self_sign_up", "failure", "anonymous", None)


def test_the_answer_is_the_same_whoever_signs_up(practice: Practice) -> None:
    # Given a staff member, an active client, a recorded client and self sign-up on
    practice.add_staff("Theo Therapist", "theo@harbor.test")
    active = add_client(practice.admin, "Avery Active", email="avery@example.test")
    open_portal_account(practice, practice.admin, active["id"], "avery@example.test")
    add_client(practice.admin, "Blair Recorded", email="blair@example.test")
    allow_self_signup(practice)

    # When each kind of email signs up
    answers = [
        sign_up(practice, "New Person", "new@example.test"),
        sign_up(practice, "Blair Recorded", "blair@example.test"),
        sign_up(practice, "Avery Active", "avery@example.test"),
        sign_up(practice, "Theo Therapist", "theo@harbor.test"),
        sign_up(practice, "New Person", "new@example.test"),
    ]

    # Then every answer looks exactly alike
    first = comparable(answers[0])
    assert first[0] == 202
    assert [comparable(a) for a in answers] == [first] * len(answers)
    assert [sorted(a.headers) for a in answers] == [sorted(answers[0].headers)] * len(answers)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Jordan Lee", "email": "not-an-email"}, "email"),
        ({"name": " ", "email": "jo@example.test"}, "name"),
        ({"email": "jo@example.test"}, "name"),
    ],
    ids=["bad email", "blank name", "no name"],
)
def test_an_invalid_sign_up_is_refused_and_nothing_is_written(
    practice: Practice, mailbox: Mailbox, body: dict[str, str], field: str
) -> None:
    # Given self sign-up on
    allow_self_signup(practice)

    # When a visitor sends a bad form
    response = practice.new_browser().post(f"/api/orgs/{practice.slug}/sign-up", body)

    # Then the field is named and nothing was written or sent
    assert response.status == 422
    assert field in [e["field"] for e in response.json["errors"]]
    assert client_items(practice.org_id) == []
    assert mailbox.to("jo@example.test") == []


def test_an_unknown_practice_has_no_sign_up(practice: Practice) -> None:
    # When a visitor signs up at a practice that does not exist
    response = practice.new_browser().post("/api/orgs/nowhere/sign-up", {"name": "Jordan Lee", "email": "jo@example.test"})

    # Then it is a 404
    assert response.status == 404
    assert response.problem_type == "/problems/not-found"


def test_self_sign_up_at_one_practice_does_not_touch_another(practice: Practice, other_practice: Practice, mailbox: Mailbox) -> None:
    # Given the same person is a client of Cove, and Harbor allows self sign-up
    add_client(other_practice.admin, "Jordan Lee", email="jo@example.test")
    allow_self_signup(practice)

    # When they sign up at Harbor
    assert sign_up(practice).status == 202

    # Then Harbor gets its own client, and Cove's record is untouched
    assert len(clients_in(practice.org_id)) == 1
    [cove_client] = clients_in(other_practice.org_id)
    assert cove_client.status == "not_invited"
    [mail] = mailbox.to("jo@example.test")
    assert "Harbor Counseling" in mail["subject"]


def test_a_refused_delivery_is_recorded_and_staff_can_resend(practice: Practice, mailbox: Mailbox) -> None:
    # Given self sign-up on, and SES refusing mail
    allow_self_signup(practice)
    use_mailer(FailingMailer())

    # When a new person signs up
    response = sign_up(practice)

    # Then the answer is unchanged, and the record says the invitation was not delivered
    assert response.status == 202
    [client] = clients_in(practice.org_id)
    assert (client.status, client.invitation_delivery) == ("invited", "failed")
    assert practice.admin.get(f"/api/clients/{client.id}").json["portal"]["invitation_delivery"] == "failed"

    # And once SES recovers, the administrator's resend reaches them
    use_mailer(None)
    assert invite(practice.admin, client.id).json["portal"]["invitation_delivery"] == "sent"
    assert len(mailbox.to("jo@example.test")) == 1


def test_an_existing_client_with_a_long_email_gets_no_duplicate(practice: Practice, mailbox: Mailbox) -> None:
    # Given a recorded client whose email is longer than 64 characters
    email = "jordan.alexander.lee-whitfield.personal@mail.an-unusually-long-domain.example.test"
    existing = add_client(practice.admin, "Jordan Lee", email=email)
    allow_self_signup(practice)

    # When they sign up
    assert sign_up(practice, "Jordan Lee", email).status == 202

    # Then the existing client is invited, and no second record was made
    assert [c.id for c in clients_in(practice.org_id)] == [existing["id"]]
    assert stored_client(practice.org_id, existing["id"]).status == "invited"
    assert len(mailbox.to(email)) == 1


def test_self_sign_ups_are_limited_per_email_each_hour_without_changing_the_answer(practice: Practice) -> None:
    # Given self sign-up is on
    version = practice.admin.get("/api/organization/settings").json["version"]
    assert practice.admin.patch("/api/organization/settings", {"version": version, "self_signup": True}).status == 200
    path = f"/api/orgs/{practice.slug}/sign-up"
    body = {"name": "Quinn New", "email": "quinn@flood.test"}

    # When the same email signs up four times within the hour
    answers = [practice.new_browser().post(path, body) for _ in range(4)]

    # Then every answer is the same, but only three invitations went out
    assert all(a.status == 202 and a.json == answers[0].json for a in answers)
    assert len(practice.mailbox.to("quinn@flood.test")) == 3
