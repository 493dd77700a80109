"""The audit trail: what is recorded for each action, listing and export, and failing closed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.config import Settings
from chalicelib.services.audit_log import EXPORT_COLUMNS
from chalicelib.tables.audit import AuditEvent
from chalicelib.tables.sessions import Session
from tests.conftest import PASSWORD, Practice, Response, audit_trail, lowered, sign_in, stored_organization, table_size

WRONG_PASSWORD = "a wrong password attempt"


def latest(practice: Practice, action: str) -> Any:
    matching = [event for event in audit_trail(practice.org_id) if event.action == action]
    assert matching, f"no {action} event"
    return matching[0]


def assert_recorded(
    event: Any, response: Response, *, actor_id: str, role: str, org_id: str, resource: str, outcome: str = "success"
) -> None:
    """Who, in which role and organization, did what to which resource, with what outcome, from where, in which request."""
    assert (event.actor_id, event.actor_role, event.org_id) == (actor_id, role, org_id)
    assert (event.resource, event.outcome) == (resource, outcome)
    assert (event.ip, event.user_agent) == ("127.0.0.1", "pytest")
    assert event.request_id == response.headers["x-request-id"] != "-"
    assert event.at and event.id


def assert_no_secrets_or_contact_details(practice: Practice, *values: str) -> None:
    trail = str([event.attribute_values for event in audit_trail(practice.org_id)])
    for value in (PASSWORD, WRONG_PASSWORD, "@", *values):
        assert value not in trail


# ------------------------------------------------------------------------------------------------ what is recorded


def test_a_sign_in_is_recorded_without_the_email_or_password(practice: Practice) -> None:
    # When the administrator signs in
    _, response = sign_in(practice.client, practice.slug, practice.admin_email)

    # Then the sign-in is recorded as theirs
    assert response.status == 200
    event = latest(practice, "session.sign_in")
    assert_recorded(
        event, response, actor_id=practice.admin_id, role="administrator", org_id=practice.org_id, resource=f"staff/{practice.admin_id}"
    )
    assert_no_secrets_or_contact_details(practice)


def test_a_failed_sign_in_is_recorded_without_the_email_or_password(practice: Practice) -> None:
    # When someone signs in with a wrong password, and someone with an unknown email
    _, wrong = sign_in(practice.client, practice.slug, practice.admin_email, WRONG_PASSWORD)
    _, unknown = sign_in(practice.client, practice.slug, "stranger@elsewhere.test", WRONG_PASSWORD)

    # Then both failures are recorded for the practice, by an anonymous actor
    failures = [e for e in audit_trail(practice.org_id) if e.action == "session.sign_in" and e.outcome == "failure"]
    assert len(failures) == 2
    by_request = {e.request_id: e for e in failures}
    assert_recorded(
        by_request[wrong.headers["x-request-id"]],
        wrong,
        actor_id=practice.admin_id,
        role="anonymous",
        org_id=practice.org_id,
        resource="session",
        outcome="failure",
    )
    assert_recorded(
        by_request[unknown.headers["x-request-id"]],
        unknown,
        actor_id="anonymous",
        role="anonymous",
        org_id=practice.org_id,
        resource="session",
        outcome="failure",
    )

    # And neither the emails nor the passwords typed are in the trail
    assert_no_secrets_or_contact_details(practice, "stranger")


def test_sign_out_is_recorded(practice: Practice) -> None:
    # When the administrator signs out
    response = practice.admin.delete("/api/session")

    # Then it is recorded
    assert response.status == 204
    assert_recorded(
        latest(practice, "session.sign_out"),
        response,
        actor_id=practice.admin_id,
        role="administrator",
        org_id=practice.org_id,
        resource="session",
    )


def test_a_settings_change_is_recorded_by_field_name_not_value(practice: Practice) -> None:
    # When the administrator changes the contact line
    version = practice.admin.get("/api/organization/settings").json["version"]
    response = practice.admin.patch("/api/organization/settings", {"version": version, "contact_line": "Ask for Dr Secret"})

    # Then the event names the field that changed, never its new value
    assert response.status == 200
    event = latest(practice, "settings.update")
    assert_recorded(
        event,
        response,
        actor_id=practice.admin_id,
        role="administrator",
        org_id=practice.org_id,
        resource=f"organization/{practice.org_id}#contact_line",
    )
    assert_no_secrets_or_contact_details(practice, "Dr Secret")


def test_staff_invitation_change_and_deactivation_are_recorded(practice: Practice) -> None:
    # When the administrator invites a therapist, renames them and deactivates them
    invited = practice.admin.post("/api/staff", {"name": "Sam Staff", "email": "sam@harbor.test", "role": "therapist"})
    staff_id = invited.json["id"]
    renamed = practice.admin.patch(f"/api/staff/{staff_id}", {"version": invited.json["version"], "name": "Samantha Staff"})
    deactivated = practice.admin.post(f"/api/staff/{staff_id}/deactivate")

    # Then each is recorded against the staff record, without the name or email
    for action, response in (("staff.invite", invited), ("staff.update", renamed), ("staff.deactivate", deactivated)):
        assert response.status in (200, 201), response.json
        assert_recorded(
            latest(practice, action),
            response,
            actor_id=practice.admin_id,
            role="administrator",
            org_id=practice.org_id,
            resource=f"staff/{staff_id}",
        )
    assert_no_secrets_or_contact_details(practice, "Sam")


def test_seat_changes_are_recorded(practice: Practice) -> None:
    # When the administrator adds and removes their own seat
    added = practice.admin.put(f"/api/subscription/seats/{practice.admin_id}")
    removed = practice.admin.delete(f"/api/subscription/seats/{practice.admin_id}")

    # Then both are recorded
    assert (added.status, removed.status) == (200, 200)
    resource = f"staff/{practice.admin_id}"
    assert_recorded(
        latest(practice, "subscription.seat_add"),
        added,
        actor_id=practice.admin_id,
        role="administrator",
        org_id=practice.org_id,
        resource=resource,
    )
    assert_recorded(
        latest(practice, "subscription.seat_remove"),
        removed,
        actor_id=practice.admin_id,
        role="administrator",
        org_id=practice.org_id,
        resource=resource,
    )


def test_a_denied_request_is_recorded(practice: Practice) -> None:
    # Given a signed-in therapist
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")

    # When they open the staff list, which only administrators may see
    response = therapist.get("/api/staff")

    # Then it is refused and the refusal is recorded against the route
    assert response.status == 403
    event = latest(practice, "request.denied")
    assert_recorded(
        event, response, actor_id=therapist_id, role="therapist", org_id=practice.org_id, resource="GET /api/staff", outcome="denied"
    )


# ---------------------------------------------------------------------------------------------- listing and export


def test_the_trail_is_listed_newest_first_in_pages(frozen_clock: None, practice: Practice, settings: Settings) -> None:
    # Given a few recorded actions, a second apart, and pages of two
    for _ in range(3):
        clock.advance(timedelta(seconds=1))
        assert practice.admin.put(f"/api/subscription/seats/{practice.admin_id}").status == 200
        clock.advance(timedelta(seconds=1))
        assert practice.admin.delete(f"/api/subscription/seats/{practice.admin_id}").status == 200
    stored = [event.id for event in audit_trail(practice.org_id)]
    lowered(settings, page_size=2)

    # When the administrator walks the list with the cursor
    clock.advance(timedelta(seconds=1))
    pages = [practice.admin.get("/api/audit").json]
    while pages[-1]["next_cursor"]:
        pages.append(practice.admin.get(f"/api/audit?cursor={pages[-1]['next_cursor']}").json)

    # Then every event appears once, newest first, two to a page
    listed = [item for page in pages for item in page["items"]]
    assert [item["id"] for item in listed] == stored
    assert all(len(page["items"]) <= 2 for page in pages) and len(pages) >= 4
    assert [item["at"] for item in listed] == sorted((item["at"] for item in listed), reverse=True)
    assert listed[0]["action"] == "subscription.seat_remove"
    assert set(listed[0]) == {
        "id",
        "at",
        "actor_id",
        "actor_role",
        "subject_client_id",
        "resource",
        "action",
        "outcome",
        "ip",
        "user_agent",
        "request_id",
        "actor_name",
        "subject_name",
        "summary",
    }


def test_the_trail_can_be_filtered_by_actor(practice: Practice) -> None:
    # Given a therapist and the administrator both signed in
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    assert therapist.get("/api/staff").status == 403

    # When the administrator lists the therapist's events only
    response = practice.admin.get(f"/api/audit?actor={therapist_id}")

    # Then only the therapist's events are listed
    assert response.status == 200
    actions = [item["action"] for item in response.json["items"]]
    assert {item["actor_id"] for item in response.json["items"]} == {therapist_id}
    assert "request.denied" in actions and "account.staff_invite_redeem" in actions


def test_a_cursor_from_another_practice_or_made_up_is_refused(practice: Practice, other_practice: Practice, settings: Settings) -> None:
    # Given a cursor into Cove's trail
    lowered(settings, page_size=1)
    cove_cursor = other_practice.admin.get("/api/audit").json["next_cursor"]
    assert cove_cursor

    # When Harbor's administrator passes it, or something that is not a cursor at all
    foreign = practice.admin.get(f"/api/audit?cursor={cove_cursor}")
    garbage = practice.admin.get("/api/audit?cursor=bm90LWEtY3Vyc29y")
    junk = practice.admin.get("/api/audit/export?cursor=%25%25%25")

    # Then each is refused as an invalid cursor (400, issue 8), not someone else's data
    assert (foreign.status, garbage.status, junk.status) == (400, 400, 400)
    assert foreign.problem_type == "/problems/invalid-cursor"


def test_the_export_is_a_csv_with_formulas_neutralised(practice: Practice) -> None:
    # Given a request whose user agent (which anyone controls) looks like a spreadsheet formula
    hostile = practice.admin.put(
        f"/api/subscription/seats/{practice.admin_id}", headers={"user-agent": '=HYPERLINK("http://evil.test","x")'}
    )
    assert hostile.status == 200
    assert practice.admin.get("/api/audit", headers={"user-agent": "@SUM(1+1)"}).status == 200

    # When the administrator exports the trail
    response = practice.admin.get("/api/audit/export")

    # Then it is CSV with a header row
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert len(rows) - 1 == len(audit_trail(practice.org_id)) - 1  # every event but the export's own

    # And no cell starts with a formula character
    agents = [row[EXPORT_COLUMNS.index("user_agent")] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.test","x")' in agents
    assert "'@SUM(1+1)" in agents
    assert not any(cell[:1] in {"=", "+", "@"} for row in rows[1:] for cell in row)


def test_reading_the_trail_is_itself_recorded(practice: Practice) -> None:
    # When the administrator lists and then exports the trail
    listed = practice.admin.get("/api/audit")
    exported = practice.admin.get("/api/audit/export")

    # Then both reads are in the trail
    assert (listed.status, exported.status) == (200, 200)
    resource = "audit_log"
    assert_recorded(
        latest(practice, "audit.list"), listed, actor_id=practice.admin_id, role="administrator", org_id=practice.org_id, resource=resource
    )
    assert_recorded(
        latest(practice, "audit.export"),
        exported,
        actor_id=practice.admin_id,
        role="administrator",
        org_id=practice.org_id,
        resource=resource,
    )


# ---------------------------------------------------------------------------------------------------- fail closed


def test_a_change_that_cannot_be_audited_is_not_made(practice: Practice) -> None:
    # Given the audit table has become unavailable
    version = practice.admin.get("/api/organization/settings").json["version"]
    before = stored_organization(practice.org_id)
    AuditEvent.delete_table()

    # When the administrator renames the practice
    response = practice.admin.patch("/api/organization/settings", {"version": version, "name": "Unaudited Name"})

    # Then the request fails with a problem that reveals nothing, and the practice keeps its name
    assert response.status >= 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.problem_type in {"/problems/internal", "/problems/unavailable"}
    assert {"type", "title", "status", "detail"} <= set(response.json)
    assert "Traceback" not in response.body.decode() and "portal-test-audit" not in response.body.decode()
    after = stored_organization(practice.org_id)
    assert (after.name, after.version) == (before.name, before.version)


def test_a_sign_in_that_cannot_be_audited_does_not_sign_in(practice: Practice) -> None:
    # Given the audit table has become unavailable
    sessions_before = table_size(Session)
    AuditEvent.delete_table()

    # When the administrator signs in
    _, response = sign_in(practice.client, practice.slug, practice.admin_email)

    # Then no session was created
    assert response.status >= 500
    assert "set-cookie" not in response.headers
    assert table_size(Session) == sessions_before


def test_a_denial_that_cannot_be_audited_still_denies(practice: Practice) -> None:
    # Given a signed-in therapist, and the audit table has become unavailable
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test")
    AuditEvent.delete_table()

    # When they open the staff list
    response = therapist.get("/api/staff")

    # Then it fails (closed): no staff data is returned
    assert response.status == 503
    assert response.problem_type == "/problems/unavailable"
    assert "items" not in response.json
