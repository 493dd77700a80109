"""Organizations: creating a practice, its public profile behind the login link, and its portal settings."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.auth.tokens import digest
from chalicelib.config import Settings
from chalicelib.tables.accounts import StaffMember
from chalicelib.tables.keys import slug_pk, token_pk
from chalicelib.tables.organizations import Organization, SlugClaim
from chalicelib.tables.tokens import PasswordToken
from tests.conftest import (
    Browser,
    Mailbox,
    Practice,
    lowered,
    sign_in,
    staff_in,
    stored_organization,
    table_size,
)

NEW_PRACTICE = {
    "name": "Willow Therapy",
    "slug": "willow",
    "time_zone": "Europe/Berlin",
    "admin_name": "Wanda Wells",
    "admin_email": "Wanda@Willow.test",
}


def new_practice(**changes: Any) -> dict[str, Any]:
    return {**NEW_PRACTICE, **changes}


def nothing_written() -> tuple[int, int]:
    from chalicelib.tables.audit import AuditEvent

    return table_size(Organization) + table_size(StaffMember), table_size(AuditEvent)


# ------------------------------------------------------------------------------------------------- creation


def test_anyone_creates_a_practice_and_its_administrator_is_invited(browser: Browser, mailbox: Mailbox) -> None:
    # Given sign-up is open (the test stage's default)

    # When someone creates a practice
    response = browser.post("/api/organizations", new_practice())

    # Then it is created with the slug as its login address
    assert response.status == 201, response.json
    organization = response.json["organization"]
    assert organization["name"] == "Willow Therapy"
    assert organization["slug"] == "willow"
    assert organization["time_zone"] == "Europe/Berlin"
    assert response.json["sign_in_path"] == "/o/willow"

    # And the organization, its slug claim and its first administrator are stored
    stored = stored_organization(organization["id"])
    assert (stored.staff_count, stored.administrator_count) == (1, 1)
    assert SlugClaim.get(slug_pk("willow"), "SLUG").org_id == organization["id"]
    [admin] = staff_in(organization["id"])
    assert admin.email == "wanda@willow.test"  # emails are stored normalised
    assert (admin.role, admin.status, admin.password_hash) == ("administrator", "invited", None)
    assert admin.invitation_delivery == "sent"

    # And the administrator gets one set-password mail whose secret travels in the URL fragment only
    [mail] = mailbox.to("wanda@willow.test")
    assert "http://portal.test/o/willow/set-password#token=" in mail["body"]
    assert "?token=" not in mail["body"]
    token = mailbox.token_for("wanda@willow.test")
    assert PasswordToken.get(token_pk(digest(token))).account_id == admin.id  # only the digest is a key
    assert admin.password_token_hash == digest(token)

    # And the mail carries no personal details: neither the person's name nor any address but the link's
    text = mail["subject"] + mail["body"]
    assert "Wanda" not in text
    assert "@willow.test" not in text.lower()


def test_a_taken_slug_is_refused_and_nothing_is_written(browser: Browser, mailbox: Mailbox) -> None:
    # Given a practice already owns the slug "willow"
    assert browser.post("/api/organizations", new_practice()).status == 201
    records_before, audit_before = nothing_written()
    mails_before = len(mailbox.messages())

    # When someone else asks for the same slug
    response = browser.post("/api/organizations", new_practice(name="Other Willow", admin_email="other@else.test"))

    # Then it is a conflict on the slug field
    assert response.status == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.problem_type == "/problems/conflict"
    assert [e["field"] for e in response.json["errors"]] == ["slug"]

    # And no organization, staff member, audit event or mail was added
    assert nothing_written() == (records_before, audit_before)
    assert len(mailbox.messages()) == mails_before
    assert mailbox.to("other@else.test") == []


@pytest.mark.parametrize("slug", ["ab", "-willow", "willow-", "Willow", "wil--low", "wil_low", "w" * 41, "wil low"])
def test_an_invalid_slug_is_refused(browser: Browser, slug: str) -> None:
    # Given a slug that is not 3–40 lowercase letters, digits and single inner hyphens

    # When someone creates a practice with it
    response = browser.post("/api/organizations", new_practice(slug=slug))

    # Then the slug field is named in a validation problem and nothing is stored
    assert response.status == 422
    assert response.problem_type == "/problems/validation-failed"
    assert "slug" in [e["field"] for e in response.json["errors"]]
    assert table_size(Organization) == 0


@pytest.mark.parametrize("slug", ["api", "admin", "www"])
def test_a_reserved_slug_is_refused(browser: Browser, slug: str) -> None:
    # When someone asks for an address the application itself uses
    response = browser.post("/api/organizations", new_practice(slug=slug))

    # Then it is refused on the slug field
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["slug"]
    assert table_size(Organization) == 0


def test_an_unknown_field_is_refused_not_ignored(browser: Browser) -> None:
    # When the body carries a field the contract does not know
    response = browser.post("/api/organizations", new_practice(plan="enterprise"))

    # Then it is named as not allowed
    assert response.status == 422
    assert response.json["errors"] == [{"field": "plan", "message": "This field is not allowed."}]
    assert table_size(Organization) == 0


def test_malformed_json_is_a_bad_request(browser: Browser) -> None:
    # When the body is not JSON at all
    response = browser.post("/api/organizations", raw=b'{"name": "Willow",')

    # Then it is a 400 malformed-request problem
    assert response.status == 400
    assert response.problem_type == "/problems/malformed-request"
    assert table_size(Organization) == 0


def test_a_body_that_is_not_json_content_is_unsupported(browser: Browser) -> None:
    # When a form post arrives instead of JSON
    response = browser.post(
        "/api/organizations", raw=b"name=Willow&slug=willow", headers={"content-type": "application/x-www-form-urlencoded"}
    )

    # Then it is a 415 problem
    assert response.status == 415
    assert response.problem_type == "/problems/unsupported-media-type"
    assert table_size(Organization) == 0


def test_an_oversized_body_is_refused(browser: Browser, settings: Settings) -> None:
    # Given a body one byte over the limit
    padding = "x" * settings.max_body_bytes
    response = browser.post("/api/organizations", new_practice(name=padding))

    # Then it is a 413 problem and nothing is stored
    assert response.status == 413
    assert response.problem_type == "/problems/payload-too-large"
    assert table_size(Organization) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("admin_email", "wanda-at-willow"), ("admin_email", "wanda@willow")],
)
def test_an_invalid_time_zone_or_email_is_refused(browser: Browser, mailbox: Mailbox, field: str, value: str) -> None:
    # When the time zone is not an IANA zone, or the administrator's email is not an address
    response = browser.post("/api/organizations", new_practice(**{field: value}))

    # Then that field is named and nothing is stored or sent
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert table_size(Organization) == 0
    assert mailbox.messages() == []


def test_closed_sign_up_needs_the_provisioning_key(browser: Browser, settings: Settings, mailbox: Mailbox) -> None:
    # Given a deployment whose operator creates practices
    lowered(settings, organization_signup_open=False, provisioning_key="operator-secret-0123456789")

    # When someone tries without the key, or with a wrong one
    without = browser.post("/api/organizations", new_practice())
    wrong = browser.post("/api/organizations", new_practice(), headers={"x-provisioning-key": "guess"})

    # Then both are forbidden and nothing is created or sent
    assert (without.status, wrong.status) == (403, 403)
    assert without.problem_type == "/problems/forbidden"
    assert table_size(Organization) == 0
    assert mailbox.messages() == []


def test_closed_sign_up_admits_the_operator_with_the_key(browser: Browser, settings: Settings) -> None:
    # Given a deployment whose operator creates practices
    lowered(settings, organization_signup_open=False, provisioning_key="operator-secret-0123456789")

    # When the operator sends the matching key
    response = browser.post("/api/organizations", new_practice(), headers={"x-provisioning-key": "operator-secret-0123456789"})

    # Then the practice is created
    assert response.status == 201, response.json
    assert stored_organization(response.json["organization"]["id"]).slug == "willow"


# ------------------------------------------------------------------------------------------- public profile


def test_the_public_profile_of_a_practice_needs_no_sign_in(practice: Practice) -> None:
    # Given a visitor who is not signed in
    visitor = practice.new_browser()

    # When they open the practice's login link
    response = visitor.get(f"/api/orgs/{practice.slug}")

    # Then they see its name, time zone and which features it offers — and no internal identifiers
    assert response.status == 200
    assert response.json == {
        "name": "Harbor Counseling",
        "slug": "harbor",
        "time_zone": "America/Chicago",
        "contact_line": "",
        "features": {"payments": True, "intake_forms": True, "self_scheduling": True, "messaging": True},
        "self_signup": False,
        "passkey_sign_in": True,
        "accent_color": None,
        "logo_url": None,
    }
    assert practice.org_id not in response.body.decode()


def test_an_unknown_slug_has_no_public_profile(browser: Browser) -> None:
    # When a visitor opens the link of a practice that does not exist
    response = browser.get("/api/orgs/nowhere")

    # Then it is a 404 problem
    assert response.status == 404
    assert response.problem_type == "/problems/not-found"


# ------------------------------------------------------------------------------------------------- settings


def test_an_administrator_reads_the_portal_settings(practice: Practice) -> None:
    # When the administrator opens the settings
    response = practice.admin.get("/api/organization/settings")

    # Then they see the editable values and the version to send back
    assert response.status == 200
    assert response.json["name"] == "Harbor Counseling"
    assert response.json["time_zone"] == "America/Chicago"
    assert response.json["version"] == stored_organization(practice.org_id).version


def test_an_administrator_changes_the_settings(practice: Practice) -> None:
    # Given the current settings
    current = practice.admin.get("/api/organization/settings").json

    # When the administrator changes the time zone, contact line and a feature
    response = practice.admin.patch(
        "/api/organization/settings",
        {
            "version": current["version"],
            "time_zone": "America/New_York",
            "contact_line": "Call 555-0100 in an emergency",
            "features": {"payments": False},
        },
    )

    # Then the new values are returned with a new version and stored
    assert response.status == 200, response.json
    assert response.json["version"] == current["version"] + 1
    stored = stored_organization(practice.org_id)
    assert (stored.time_zone, stored.contact_line) == ("America/New_York", "Call 555-0100 in an emergency")
    assert stored.features.payments is False
    assert stored.features.messaging is True  # untouched switches keep their value


def test_a_stale_version_changes_nothing(practice: Practice) -> None:
    # Given two administrators' screens opened on the same version, and one of them saved first
    stale = practice.admin.get("/api/organization/settings").json["version"]
    assert practice.admin.patch("/api/organization/settings", {"version": stale, "contact_line": "First"}).status == 200
    before = stored_organization(practice.org_id)

    # When the second one saves with the old version
    response = practice.admin.patch("/api/organization/settings", {"version": stale, "name": "Second Thoughts"})

    # Then it is a stale-version conflict and the stored settings are the first person's
    assert response.status == 409
    assert response.problem_type == "/problems/stale-version"
    after = stored_organization(practice.org_id)
    assert (after.name, after.contact_line, after.version) == (before.name, "First", before.version)


def test_an_invalid_time_zone_in_settings_changes_nothing(practice: Practice) -> None:
    # When the administrator saves a time zone that does not exist
    version = practice.admin.get("/api/organization/settings").json["version"]
    response = practice.admin.patch("/api/organization/settings", {"version": version, "time_zone": "Atlantis/Capital"})

    # Then the field is named and nothing changed
    assert response.status == 422
    assert [e["field"] for e in response.json["errors"]] == ["time_zone"]
    assert stored_organization(practice.org_id).time_zone == "America/Chicago"


def test_renaming_the_practice_updates_its_public_profile_and_sign_in(practice: Practice) -> None:
    # Given the practice's current settings
    version = practice.admin.get("/api/organization/settings").json["version"]

    # When the administrator renames it
    response = practice.admin.patch("/api/organization/settings", {"version": version, "name": "Harbor Family Therapy"})

    # Then the public profile shows the new name, and so does the slug claim a sign-in reads
    assert response.status == 200, response.json
    assert practice.new_browser().get("/api/orgs/harbor").json["name"] == "Harbor Family Therapy"
    assert SlugClaim.get(slug_pk("harbor"), "SLUG").org_name == "Harbor Family Therapy"
    _, signed_in = sign_in(practice.client, practice.slug, practice.admin_email)
    assert signed_in.json["organization"]["name"] == "Harbor Family Therapy"
