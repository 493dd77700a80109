"""Issue 14's journey in Chromium: a therapist registers a passkey (Chromium's virtual WebAuthn authenticator, through
the DevTools protocol), signs out and signs in with it; an administrator requires a second factor of staff, and a
new staff member is taken through set-up before any client is visible."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from scripts.seed import ADMINISTRATOR, DEMO_SLUG
from tests.e2e.test_foundation import nav, sign_in

NEW_PASSWORD = "granite-harbor-lantern"


def virtual_authenticator(page: Any) -> Any:
    """A platform authenticator that holds discoverable credentials and verifies the user (as Touch ID would)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True, "isUserVerified": True}
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return cdp


@pytest.fixture
def staff_requirement_restored() -> Iterator[None]:
    """The demo practice keeps staff password-only for the other journeys: whatever this test switched on is undone."""
    yield
    from chalicelib.services.organizations import org_id_for_slug
    from tests.conftest import set_staff_second_factor

    set_staff_second_factor(org_id_for_slug(DEMO_SLUG).org_id, DEMO_SLUG, required=False)


def test_a_therapist_registers_a_passkey_signs_out_and_signs_in_with_it(page: Any) -> None:
    # Given Riley, a therapist, signed in with a password, in a browser with a passkey authenticator
    virtual_authenticator(page)
    sign_in(page, "riley@demo.test")

    # When they add a passkey from Account
    nav(page, "Account")
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_label("Passkey name").fill("Riley's laptop")
    page.get_by_role("button", name="Create passkey").click()

    # Then their first factor comes with ten recovery codes, shown once
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("button", name="I have saved these codes").click()
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    expect(page.get_by_role("list", name="Passkeys")).to_contain_text("Riley's laptop")

    # When they sign out and sign in with the passkey alone
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/o/demo\?reason=signed-out"))
    page.get_by_role("button", name="Continue with a passkey").click()

    # Then they are in, without a password, and the session says so
    page.wait_for_url("**/o/demo/app")
    expect(page.get_by_text("Riley Rivera").first).to_be_visible()
    session = page.request.get("/api/session").json()
    assert session["second_factor"] == {**session["second_factor"], "stage": "complete", "signed_in_with": "passkey"}


def test_a_new_staff_member_sets_up_a_second_factor_before_seeing_any_client(page: Any, staff_requirement_restored: None) -> None:
    from datetime import UTC, datetime

    from chalicelib.auth import totp

    email = f"nia.{uuid.uuid4().hex[:6]}@demo.test"

    # Given the administrator requires a second factor of staff
    sign_in(page, ADMINISTRATOR.email)
    nav(page, "Portal settings")
    page.get_by_label("Require a second factor for staff").check()
    page.get_by_role("button", name="Save sign-in security").click()
    expect(page.get_by_text("Sign-in security saved")).to_be_visible()

    # And invites a new therapist
    nav(page, "Staff")
    page.get_by_label("Name", exact=True).fill("Nia Newcomer")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option("therapist")
    page.get_by_role("button", name="Send invitation", exact=True).click()
    expect(page.get_by_role("cell", name=email)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"reason=signed-out"))

    # When the new therapist sets a password from the invitation
    page.goto("/dev/mailbox")
    page.get_by_role("article").filter(has_text=email).first.get_by_role("link", name=re.compile("set-password")).click()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    # Then they are taken to set-up, and no client is within reach
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    refused = page.request.get("/api/clients")
    assert refused.status == 403 and refused.json()["type"] == "/problems/second-factor-set-up-required"

    # When they set up an authenticator app with the key shown, and confirm with its code
    page.get_by_role("button", name="Use an authenticator app").click()
    key = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(totp.code_at(key, totp.step_at(datetime.now(UTC))))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    page.get_by_role("button", name="I have saved these codes").click()

    # Then the practice opens to them
    nav(page, "Clients")
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()
    assert page.request.get("/api/clients").status == 200
