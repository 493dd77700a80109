"""Saved invitation messages: administrators and inviting therapists save, change (with versions), delete and reuse
them; everyone else is refused; another practice's templates do not exist for them."""

from __future__ import annotations

from typing import Any

import pytest
from pynamodb.exceptions import DoesNotExist

from chalicelib.tables.accounts import InvitationTemplate
from chalicelib.tables.keys import org_pk, template_sk
from tests.conftest import Browser, Mailbox, Practice, add_client, audit_trail, client_items, email_claim, invite, stored_client

WELCOME = "Welcome! Please fill in the intake forms before our first session."


def save(staff: Browser, name: str = "Welcome", message: str = WELCOME) -> dict[str, Any]:
    created = staff.post("/api/invitation-templates", {"name": name, "message": message})
    assert created.status == 201, created.json
    return dict(created.json)


def stored_template(org_id: str, template_id: str) -> Any:
    return InvitationTemplate.get(org_pk(org_id), template_sk(template_id), consistent_read=True)


def test_an_administrator_saves_a_template(practice: Practice) -> None:
    # When the administrator saves a message under a name
    response = practice.admin.post("/api/invitation-templates", {"name": "  Welcome ", "message": WELCOME})

    # Then it is created at version 1, stored with its author, and audited
    assert response.status == 201, response.json
    template = response.json
    assert template["id"].startswith("tpl_")
    assert (template["name"], template["message"], template["version"]) == ("Welcome", WELCOME, 1)
    stored = stored_template(practice.org_id, template["id"])
    assert (stored.name, stored.message, stored.created_by, stored.version) == ("Welcome", WELCOME, practice.admin_id, 1)
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.resource, event.actor_id) == (
        "invitation_template.create",
        f"invitation_template/{template['id']}",
        practice.admin_id,
    )


def test_templates_are_listed_by_name_for_every_inviter_of_the_practice(practice: Practice) -> None:
    # Given templates saved by the administrator and by an inviting therapist
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    save(practice.admin, "welcome", "Hello.")
    save(therapist, "Adolescents", "Hello to you and your parents.")

    # When either lists them
    # Then both see both, ordered by name regardless of case
    for inviter in (practice.admin, therapist):
        listed = inviter.get("/api/invitation-templates")
        assert listed.status == 200, listed.json
        assert [t["name"] for t in listed.json["items"]] == ["Adolescents", "welcome"]


def test_a_template_is_changed_with_its_version(practice: Practice) -> None:
    # Given a saved template
    template = save(practice.admin)

    # When the administrator changes its message, sending the version they saw
    response = practice.admin.patch(
        f"/api/invitation-templates/{template['id']}", {"version": template["version"], "message": "Hello again."}
    )

    # Then it is changed, keeps its name and moves to the next version
    assert response.status == 200, response.json
    assert (response.json["name"], response.json["message"], response.json["version"]) == ("Welcome", "Hello again.", 2)
    stored = stored_template(practice.org_id, template["id"])
    assert (stored.message, stored.version) == ("Hello again.", 2)

    # And the version it answered with is the one to send next
    again = practice.admin.patch(f"/api/invitation-templates/{template['id']}", {"version": response.json["version"], "name": "Hi"})
    assert again.status == 200, again.json
    assert again.json["version"] == 3


def test_a_stale_template_change_is_refused_and_nothing_changes(practice: Practice) -> None:
    # Given a template someone changed since it was opened
    template = save(practice.admin)
    first = practice.admin.patch(f"/api/invitation-templates/{template['id']}", {"version": template["version"], "message": "First."})
    assert first.status == 200

    # When the stale form is saved
    response = practice.admin.patch(f"/api/invitation-templates/{template['id']}", {"version": template["version"], "message": "Second."})

    # Then it is a stale-version conflict and the first change stands
    assert response.status == 409
    assert response.problem_type == "/problems/stale-version"
    stored = stored_template(practice.org_id, template["id"])
    assert (stored.message, stored.version) == ("First.", 2)


def test_a_deleted_template_is_gone(practice: Practice) -> None:
    # Given a saved template
    template = save(practice.admin)

    # When the administrator deletes it
    response = practice.admin.delete(f"/api/invitation-templates/{template['id']}")

    # Then it is gone from the list and the table, and a second delete finds nothing
    assert response.status == 204
    assert practice.admin.get("/api/invitation-templates").json["items"] == []
    with pytest.raises(DoesNotExist):
        stored_template(practice.org_id, template["id"])
    assert practice.admin.delete(f"/api/invitation-templates/{template['id']}").status == 404
    assert (audit_trail(practice.org_id)[0].action, audit_trail(practice.org_id)[0].resource) == (
        "invitation_template.delete",
        f"invitation_template/{template['id']}",
    )


def test_changing_a_template_that_does_not_exist_is_not_found(practice: Practice) -> None:
    response = practice.admin.patch("/api/invitation-templates/tpl_0000000000000000", {"version": 1, "name": "Hi"})
    assert response.status == 404
    assert response.problem_type == "/problems/not-found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "message": WELCOME}, "name"),
        ({"name": "Welcome", "message": "   "}, "message"),
        ({"name": "W" * 81, "message": WELCOME}, "name"),
        ({"name": "Welcome", "message": "x" * 2001}, "message"),
        ({"name": "Welcome"}, "message"),
    ],
    ids=["blank name", "blank message", "name too long", "message too long", "no message"],
)
def test_an_invalid_template_is_refused_and_nothing_is_written(practice: Practice, body: dict[str, str], field: str) -> None:
    # When the administrator saves a bad template
    response = practice.admin.post("/api/invitation-templates", body)

    # Then the field is named and nothing was stored
    assert response.status == 422, response.json
    assert field in [e["field"] for e in response.json["errors"]]
    assert client_items(practice.org_id) == []


@pytest.mark.parametrize(("method", "path"), [("GET", ""), ("POST", ""), ("PATCH", "/{id}"), ("DELETE", "/{id}")])
def test_a_therapist_not_allowed_to_invite_cannot_use_templates(practice: Practice, method: str, path: str) -> None:
    # Given a saved template and a therapist without the invitation permission
    template = save(practice.admin)
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    body = {"GET": None, "POST": {"name": "Mine", "message": "Hi"}, "PATCH": {"version": 1, "name": "Mine"}, "DELETE": None}[method]
    before = stored_template(practice.org_id, template["id"]).attribute_values

    # When they call the template route
    response = therapist.request(method, "/api/invitation-templates" + path.replace("{id}", template["id"]), body)

    # Then it is forbidden, audited, and the template is as it was
    assert response.status == 403, response.json
    event = audit_trail(practice.org_id)[0]
    assert (event.action, event.outcome, event.actor_id) == ("request.denied", "denied", therapist_id)
    assert stored_template(practice.org_id, template["id"]).attribute_values == before
    assert [t.id for t in InvitationTemplate.query(org_pk(practice.org_id), InvitationTemplate.sk.startswith("TEMPLATE#"))] == [
        template["id"]
    ]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_another_practices_template_does_not_exist_here(practice: Practice, other_practice: Practice, method: str) -> None:
    # Given a template of Harbor
    template = save(practice.admin)
    before = stored_template(practice.org_id, template["id"]).attribute_values

    # When Cove's administrator changes or deletes it by id
    body = {"version": template["version"], "name": "Taken"} if method == "PATCH" else None
    response = other_practice.admin.request(method, f"/api/invitation-templates/{template['id']}", body)

    # Then it is a 404, and Harbor's template is untouched
    assert response.status == 404
    assert stored_template(practice.org_id, template["id"]).attribute_values == before
    assert other_practice.admin.get("/api/invitation-templates").json["items"] == []


# ------------------------------------------------------------------------------------------------------- reuse


def test_an_invitation_can_use_a_saved_template(practice: Practice, mailbox: Mailbox) -> None:
    # Given a saved template and a client
    template = save(practice.admin)
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When the administrator invites the client choosing the template, without writing a message
    response = invite(practice.admin, client["id"], template_id=template["id"])

    # Then the mail carries the template's message
    assert response.status == 200, response.json
    [mail] = mailbox.to("jo@example.test")
    assert WELCOME in mail["body"]


def test_a_message_written_for_the_invitation_wins_over_the_template(practice: Practice, mailbox: Mailbox) -> None:
    # Given a saved template and a client
    template = save(practice.admin)
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")

    # When the administrator starts from the template but tailors the message
    response = invite(practice.admin, client["id"], template_id=template["id"], message="See you on Thursday at 4.")

    # Then the tailored message is the one sent
    assert response.status == 200
    [mail] = mailbox.to("jo@example.test")
    assert "See you on Thursday at 4." in mail["body"]
    assert WELCOME not in mail["body"]


@pytest.mark.parametrize("whose", ["deleted", "another practice's"])
def test_an_invitation_with_a_template_that_is_not_ours_is_refused_and_nothing_is_sent(
    practice: Practice, other_practice: Practice, mailbox: Mailbox, whose: str
) -> None:
    # Given a template that was deleted, or belongs to Cove
    if whose == "deleted":
        template = save(practice.admin)
        assert practice.admin.delete(f"/api/invitation-templates/{template['id']}").status == 204
    else:
        template = save(other_practice.admin, "Cove welcome", "Welcome to Cove.")
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    before = stored_client(practice.org_id, client["id"]).attribute_values

    # When Harbor's administrator invites with it
    response = invite(practice.admin, client["id"], template_id=template["id"])

    # Then the template is refused, and nothing was written or sent
    assert response.status == 422, response.json
    assert [e["field"] for e in response.json["errors"]] == ["template_id"]
    assert stored_client(practice.org_id, client["id"]).attribute_values == before
    assert email_claim(practice.org_id, "jo@example.test") is None
    assert mailbox.to("jo@example.test") == []
