"""The foundation journeys in a real browser against the real local stack."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from chalicelib.config import get_settings, use_settings
from scripts.seed import ADMINISTRATOR, DEMO_PASSWORD

NEW_PASSWORD = "tidal-lantern-orchard"


def sign_in(page: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/o/demo")
    expect(page.get_by_role("heading", name="Demo Practice")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/o/demo/app")
    if email == ADMINISTRATOR.email:
        # The demo administrator has an authenticator app (the key `make run` prints): the code comes next.
        expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
        page.get_by_label("Code from your authenticator app").fill(demo_code())
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="Confirm it's you")).to_be_hidden()
        # The features are asked for once the step is done, not refused before it: Payments (no seat) is listed
        # (in the phone's menu too, hidden until opened).
        expect(page.locator("nav a[href='/o/demo/app/payments']")).to_have_count(1)


_last_step: list[int] = []


def demo_code() -> str:
    """The demo administrator's next code: each is accepted once, so a later sign-in uses a later 30-second step
    (the next one is accepted early; past that, wait for the clock)."""
    import time

    from chalicelib.auth import totp
    from scripts.seed import DEMO_AUTHENTICATOR_KEY

    while True:
        now = totp.step_at(datetime.now(UTC))
        step = max(now - 1, (_last_step[-1] + 1) if _last_step else now)
        if step <= now + 1:
            _last_step[:] = [step]
            return totp.code_at(DEMO_AUTHENTICATOR_KEY, step)
        time.sleep(2)


def nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_administrator_runs_the_portal_and_a_new_therapist_signs_in(page: Any) -> None:
    email = f"sam.{uuid.uuid4().hex[:6]}@demo.test"

    # Given the demo administrator signs in at the practice's login link
    sign_in(page, ADMINISTRATOR.email)
    expect(page.get_by_text("Avery Admin").first).to_be_visible()

    # When they switch secure messaging off
    nav(page, "Portal settings")
    messaging = page.get_by_label("Secure messaging")
    expect(messaging).to_be_checked()
    messaging.uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved")).to_be_visible()
    # Then clients see it switched off on the public page of the practice
    assert page.request.get("/api/orgs/demo").json()["features"]["messaging"] is False

    # When they add a therapist to the portal subscription
    nav(page, "Subscription")
    expect(page.get_by_text("Seats: 1")).to_be_visible()
    page.get_by_role("button", name="Add seat for Riley Rivera").click()
    # Then the seat count and the button follow
    expect(page.get_by_text("Seats: 2")).to_be_visible()
    expect(page.get_by_role("button", name="Remove seat for Riley Rivera")).to_be_visible()

    # When they give themselves a seat, their own navigation follows at once, without a reload (self-scheduling
    # needs one); and again when they give it back
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Schedule")).to_have_count(0)
    page.get_by_role("button", name="Add seat for Avery Admin").click()
    expect(main_nav.get_by_role("link", name="Schedule")).to_be_visible()
    page.get_by_role("button", name="Remove seat for Avery Admin").click()
    expect(main_nav.get_by_role("link", name="Schedule")).to_have_count(0)

    # When they invite a new therapist
    nav(page, "Staff")
    page.get_by_label("Name", exact=True).fill("Sam Newton")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option("therapist")
    page.get_by_role("button", name="Send invitation", exact=True).click()
    expect(page.get_by_role("cell", name=email)).to_be_visible()

    # And sign out
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/o/demo\?reason=signed-out"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    # Then the invitation is in the local mailbox, and its link lets the therapist set a password
    page.goto("/dev/mailbox")
    invitation = page.get_by_role("article").filter(has_text=email).first
    expect(invitation).to_contain_text("invited")
    invitation.get_by_role("link", name=re.compile("set-password")).click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    # And they are signed in as a therapist, without the administrator's screens
    page.wait_for_url("**/o/demo/app")
    expect(page.get_by_text("Sam Newton").first).to_be_visible()
    expect(main_nav.get_by_role("link", name="Home")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Staff")).to_have_count(0)

    # And the link cannot be used twice
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"reason=signed-out"))
    page.goto("/dev/mailbox")
    page.get_by_role("article").filter(has_text=email).first.get_by_role("link", name=re.compile("set-password")).click()
    expect(page.get_by_role("heading", name="This link can't be used")).to_be_visible()

    # And the new therapist can sign in with the password they chose
    sign_in(page, email, NEW_PASSWORD)
    expect(page.get_by_text("Sam Newton").first).to_be_visible()


def test_wrong_password_is_refused_without_saying_whether_the_account_exists(page: Any) -> None:
    page.goto("/o/demo")
    page.get_by_label("Email").fill("nobody@demo.test")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("don't match an account")
    assert "/app" not in page.url


@pytest.fixture
def short_idle_timeout() -> Iterator[None]:
    original = get_settings()
    use_settings(replace(original, staff_idle_seconds=9))
    yield
    use_settings(original)


def test_idle_session_warns_then_signs_out(page: Any, short_idle_timeout: None) -> None:
    # Given a therapist signed in with a 9-second idle timeout
    sign_in(page, "therapist@demo.test")

    # When they do nothing, a warning appears before the server ends the session
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=12_000)
    expect(dialog.get_by_role("heading", name="Are you still there?")).to_be_visible()

    # Then, still idle, they land on the sign-in page with an explanation
    page.wait_for_url(re.compile(r"/o/demo\?reason=idle"), timeout=20_000)
    expect(page.get_by_text("You were signed out after a period of inactivity.")).to_be_visible()
    # And the server agrees: the old session no longer works
    assert page.request.get("/api/session").status == 401


def test_stay_signed_in_keeps_the_session(page: Any, short_idle_timeout: None) -> None:
    sign_in(page, "therapist@demo.test")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=12_000)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert page.request.get("/api/session").status == 200


def test_phone_sized_screen_has_a_menu_and_every_admin_screen(phone: Any) -> None:
    sign_in(phone, ADMINISTRATOR.email)
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    nav(phone, "Audit log")
    expect(phone.get_by_role("heading", name="Audit log")).to_be_visible()
    # The events read as sentences, each row a card with its label beside each value
    expect(phone.get_by_text("Avery Admin signed in").first).to_be_visible()
    # Nothing overflows sideways on a 375px screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_set_password_link_cut_short_says_it_cannot_be_used(page: Any) -> None:
    # When someone opens a link whose token was cut short (copied from a mail that wrapped it)
    page.goto("/o/demo/set-password#token=bogus")

    # Then they read what to do, not a validation message about string lengths
    expect(page.get_by_role("heading", name="This link can't be used")).to_be_visible()
    expect(page.get_by_text("at least 16 characters")).to_have_count(0)
