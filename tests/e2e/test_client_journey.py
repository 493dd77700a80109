"""Issue 3's journey in a real browser: a client record, an invitation, an account, the portal home, sign in again."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from scripts.seed import ADMINISTRATOR
from tests.e2e.test_foundation import nav, sign_in

CLIENT_PASSWORD = "quiet-harbor-morning"


def test_administrator_invites_a_client_who_creates_an_account_and_signs_in(page: Any) -> None:
    email = f"morgan.{uuid.uuid4().hex[:6]}@example.test"

    # Given the administrator adds a client with an email, assigned to Theo
    sign_in(page, ADMINISTRATOR.email)
    nav(page, "Clients")
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
    page.get_by_label("Full name").fill("Morgan Reyes")
    page.get_by_label("Preferred name").fill("Mo")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("checkbox", name="Theo Therapist").check()
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_role("heading", name="Morgan Reyes")).to_be_visible()
    expect(page.get_by_text("Portal status: Not invited")).to_be_visible()

    # When they send the portal invitation with a note
    page.get_by_role("button", name="Send invitation").click()
    dialog = page.get_by_role("dialog", name="Invite Morgan Reyes to the portal")
    dialog.get_by_label("Message", exact=True).fill("Welcome! Please set up your account before our first session.")
    dialog.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Portal status: Invited")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"reason=signed-out"))

    # Then the invitation is in the local mailbox, naming the practice but not the client
    page.goto("/dev/mailbox")
    invitation = page.get_by_role("article").filter(has_text=email).first
    expect(invitation).to_contain_text("Demo Practice invites you to its client portal")
    expect(invitation).not_to_contain_text("Morgan")

    # When the client follows the link and sets a password
    invitation.get_by_role("link", name=re.compile("set-password")).click()
    expect(page.get_by_role("heading", name="Create your portal account")).to_be_visible()
    expect(page.get_by_text("Demo Practice").first).to_be_visible()
    page.get_by_label("New password", exact=True).fill(CLIENT_PASSWORD)
    page.get_by_label("Confirm new password").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    # Then they land on their portal home, with the practice's contact line and no staff screens
    page.wait_for_url("**/o/demo/app")
    expect(page.get_by_role("heading", name="Welcome, Mo")).to_be_visible()
    expect(page.get_by_text("Call (555) 010-0199 to reschedule.")).to_be_visible()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Clients")).to_have_count(0)
    page.goto("/o/demo/app/clients")
    expect(page.get_by_role("heading", name="This page is for practice staff")).to_be_visible()

    # When they sign out and back in through the practice's login link
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"reason=signed-out"))
    sign_in(page, email, CLIENT_PASSWORD)

    # Then they are home again
    expect(page.get_by_role("heading", name="Welcome, Mo")).to_be_visible()


def test_the_therapist_sees_the_activation_of_an_assigned_client(page: Any) -> None:
    # Given Theo, whose demo client Jordan Lee has an active portal account
    sign_in(page, "therapist@demo.test")
    nav(page, "Clients")
    expect(page.get_by_text("You see the clients assigned to you.")).to_be_visible()

    # When Theo searches and opens Jordan's record
    page.get_by_label("Search clients").fill("jord")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Jordan Lee").click()

    # Then the portal section shows the activation
    expect(page.get_by_role("heading", name="Jordan Lee")).to_be_visible()
    expect(page.get_by_text("Portal status: Active")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Activated"))).to_be_visible()
