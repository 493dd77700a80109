"""Issue 4's journey: a new client invited with the three standard forms completes and signs them on a phone, and
the assigned therapist gets the mail and opens the signed PDF."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from scripts.seed import ADMINISTRATOR
from tests.e2e.intake_steps import answer, sign_step
from tests.e2e.test_foundation import nav, sign_in

CLIENT_PASSWORD = "quiet-harbor-morning"
FORMS = ("Standard Intake Questionnaire", "Informed Consent for Psychotherapy", "Notice of Privacy Practices")


def fill_intake(page: Any, email: str) -> None:
    page.get_by_label("Full legal name").fill("Riley Quinn Morgan")
    page.get_by_label("Date of birth").fill("1991-07-03")
    page.get_by_label("Phone", exact=True).fill("+1 555 010 0142")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Home address").fill("12 Orchard Lane\nSpringfield")
    page.get_by_label("Emergency contact's name").fill("Sam Morgan")
    page.get_by_label("Relationship to you").fill("Partner")
    page.get_by_label("Emergency contact's phone").fill("+1 555 010 0143")
    page.get_by_label("What brings you to therapy now?").fill("Stress at work and poor sleep.")
    answer(page, "Have you been in therapy or counseling before?", "No")
    answer(page, "Have you ever been hospitalized for your mental health?", "No")
    answer(page, "Do you take any medications at the moment?", "No")
    answer(page, "How will you pay for sessions?", "Self-pay")


def fill_consent(page: Any) -> None:
    answer(page, "I have read and understood this agreement.", "Yes")
    answer(page, "I have had the chance to ask questions about it.", "Yes")
    answer(page, "I consent to receive psychotherapy services.", "Yes")


def fill_privacy(page: Any) -> None:
    answer(page, "I acknowledge that I received this Notice of Privacy Practices.", "Yes")


def test_a_new_client_signs_the_three_standard_forms_on_a_phone_and_the_therapist_opens_the_pdf(
    page: Any, phone: Any, tmp_path: Path
) -> None:
    email = f"riley.{uuid.uuid4().hex[:6]}@example.test"

    # Given the administrator invites a new client, assigned to Theo, with the three standard forms
    sign_in(page, ADMINISTRATOR.email)
    nav(page, "Clients")
    page.get_by_label("Full name").fill("Riley Morgan")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("checkbox", name="Theo Therapist").check()
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_role("heading", name="Riley Morgan")).to_be_visible()
    page.get_by_role("button", name="Send invitation").click()
    dialog = page.get_by_role("dialog", name="Invite Riley Morgan to the portal")
    for title in FORMS:
        dialog.get_by_role("checkbox", name=title).check()
    dialog.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Portal status: Invited")).to_be_visible()

    # When the client follows the mail link on a phone and creates an account
    phone.goto("/dev/mailbox")
    phone.get_by_role("article").filter(has_text=email).first.get_by_role("link", name=re.compile("set-password")).click()
    phone.get_by_label("New password", exact=True).fill(CLIENT_PASSWORD)
    phone.get_by_label("Confirm new password").fill(CLIENT_PASSWORD)
    phone.get_by_role("button", name="Set password").click()
    phone.wait_for_url("**/o/demo/app")

    # And completes and signs each form
    notices_before = therapist_notices(page).count()
    fillers: dict[str, Callable[[], None]] = {
        FORMS[0]: lambda: fill_intake(phone, email),
        FORMS[1]: lambda: fill_consent(phone),
        FORMS[2]: lambda: fill_privacy(phone),
    }
    # (one after another: signing a form opens the next, "Form 2 of 3"; the first comes with what the practice knows)
    phone.get_by_role("link", name=f"Complete {FORMS[0]}").click()
    expect(phone.get_by_label("Email", exact=True)).to_have_value(email)
    for number, (title, fill) in enumerate(fillers.items(), start=1):
        expect(phone.get_by_role("heading", name=title, exact=True)).to_be_visible()
        expect(phone.get_by_text(f"Form {number} of 3")).to_be_visible()
        fill()
        # (the review reads a date of birth as a day, not as "1991-07-03")
        sign_step(phone, "Riley Q. Morgan", review="July 3, 1991" if number == 1 else None)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    expect(phone.get_by_role("heading", name="Signed. That was your last form — thank you!")).to_be_visible()
    phone.get_by_role("link", name="Back to home").click()

    # Then nothing is pending and the signed copies are listed
    expect(phone.get_by_role("link", name=re.compile("^Complete "))).to_have_count(0)
    for title in FORMS:
        expect(phone.get_by_role("button", name=f"Download {title}")).to_be_visible()

    # And the assigned therapist got one mail for the packet of three forms (not one per form), naming no one
    notices = therapist_notices(page, at_least=notices_before + 1)
    assert notices.count() == notices_before + 1
    expect(notices.first).not_to_contain_text("Riley")

    # When the therapist opens the intake from the client's General Documents
    page.goto("/o/demo")
    sign_in(page, "therapist@demo.test")
    nav(page, "Clients")
    page.get_by_role("link", name="Riley Morgan").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Standard Intake Questionnaire").click()
    pdf_path = tmp_path / "intake.pdf"
    download.value.save_as(pdf_path)

    # Then it is a valid PDF with the typed signature and the signing certificate
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = "\n".join(page_.extract_text() for page_ in reader.pages)
    assert "Standard Intake Questionnaire" in text
    assert "/s/ Riley Q. Morgan" in text
    assert "Signing certificate" in text and email in text
    assert "Stress at work and poor sleep." in text


def therapist_notices(page: Any, at_least: int = 0) -> Any:
    """The local mailbox's "completed paperwork" mails to Theo; waits up to 10 s (the mail worker runs every second)
    for ``at_least`` of them."""
    for _ in range(20):
        page.goto("/dev/mailbox")
        notices = page.get_by_role("article").filter(has_text="therapist@demo.test").filter(has_text="completed paperwork")
        if notices.count() >= at_least:
            break
        page.wait_for_timeout(500)
    return notices
