"""Issue 12, part B, in a real browser: the practice's branding on its pages (and no way off to the product's own
page), the searchable time-zone picker, and a client signing two forms in a row ("Form 2 of 2") with a drawn
signature that ends up on the signed PDF, times shown in the client's own zone."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from scripts.seed import ADMINISTRATOR, DEMO_ACCENT
from tests.e2e.intake_steps import answer, sign_step
from tests.e2e.test_foundation import nav, sign_in

CLIENT_PASSWORD = "lantern-over-the-bay"
CONSENT = "Informed Consent for Psychotherapy"
PRIVACY = "Notice of Privacy Practices"


@pytest.fixture
def client_tab(chromium: Any, base_url: str) -> Iterator[Any]:
    """A second desktop browser for the client, beside the administrator's."""
    context = chromium.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_the_sign_in_page_wears_the_practices_branding_and_never_links_to_the_product(page: Any) -> None:
    # When a visitor opens the demo practice's sign-in page
    page.goto("/o/demo")
    expect(page.get_by_role("heading", name="Demo Practice")).to_be_visible()

    # Then its header shows the practice's logo and name, linking to the practice's own page
    brand = page.get_by_role("banner").get_by_role("link", name="Demo Practice")
    expect(brand).to_have_attribute("href", "/o/demo")
    logo = brand.locator("img")
    expect(logo).to_have_attribute("src", re.compile(r"^/api/orgs/demo/logo\?v=[0-9a-f]+$"))
    expect(logo).to_have_js_property("complete", True)
    assert logo.evaluate("image => image.naturalWidth") > 0

    # And its accent colour, the logo as the page's icon, and no link to the product's "Create your practice" page
    accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()")
    assert accent == DEMO_ACCENT
    assert page.evaluate("document.querySelector(\"link[rel='icon']\").getAttribute('href')").startswith("/api/orgs/demo/logo")
    assert page.locator("a[href='/']").count() == 0
    # (a mistyped address under the practice too: "Page not found", leading back to its sign-in page)
    for path in ("/o/demo/forgot", "/o/demo/set-password", "/o/demo/signup"):
        page.goto(path)
        expect(page.get_by_role("banner").get_by_role("link", name="Demo Practice")).to_have_attribute("href", "/o/demo")
        assert page.locator("a[href='/']").count() == 0

    # And the product has a real favicon
    icon = page.request.get("/favicon.ico")
    assert icon.ok and icon.headers["content-type"] in {"image/vnd.microsoft.icon", "image/x-icon"}


def test_an_accent_colour_too_light_to_read_is_refused_with_the_reason(page: Any) -> None:
    # Given the administrator in Portal settings
    sign_in(page, ADMINISTRATOR.email)
    expect(page.get_by_role("banner").get_by_role("link", name="Demo Practice")).to_have_attribute("href", "/o/demo/app")
    nav(page, "Portal settings")

    # When they choose a light yellow and save
    hex_value = page.get_by_label("Hex value")
    hex_value.fill("#fde047")
    expect(page.get_by_text(re.compile(r"too light, choose a darker shade"))).to_be_visible()
    page.get_by_role("button", name="Save settings").click()

    # Then the server refuses it, saying why, and the teal stays
    expect(page.get_by_text(re.compile(r"reach only 1\.\d:1, and WCAG AA needs at least 4\.5:1")).first).to_be_visible()
    assert page.request.get("/api/orgs/demo").json()["accent_color"] == DEMO_ACCENT
    hex_value.fill(DEMO_ACCENT)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved")).to_be_visible()


def test_a_client_picks_their_time_zone_and_signs_two_forms_in_a_row_with_a_drawn_signature(
    page: Any, client_tab: Any, tmp_path: Path
) -> None:
    email = f"casey.{uuid.uuid4().hex[:6]}@example.test"

    # Given the administrator adds a client (assigned to Theo) and invites them with two forms
    sign_in(page, ADMINISTRATOR.email)
    nav(page, "Clients")
    page.get_by_label("Full name").fill("Casey Nguyễn Morgan")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("checkbox", name="Theo Therapist").check()
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_role("heading", name="Casey Nguyễn Morgan")).to_be_visible()
    page.get_by_role("button", name="Send invitation").click()
    dialog = page.get_by_role("dialog", name="Invite Casey Nguyễn Morgan to the portal")
    for title in (CONSENT, PRIVACY):
        dialog.get_by_role("checkbox", name=title).check()
    dialog.get_by_role("button", name="Send invitation").click()
    # And the paperwork card shows the two forms at once, without a reload
    paperwork = page.get_by_role("region", name="Paperwork")
    expect(paperwork.get_by_text(CONSENT)).to_be_visible()
    expect(paperwork.get_by_text(PRIVACY)).to_be_visible()

    # When the client creates their account from the mail
    client = client_tab
    client.goto("/dev/mailbox")
    client.get_by_role("article").filter(has_text=email).first.get_by_role("link", name=re.compile("set-password")).click()
    expect(client.get_by_role("banner").get_by_role("link", name="Demo Practice")).to_be_visible()
    client.get_by_label("New password", exact=True).fill(CLIENT_PASSWORD)
    client.get_by_label("Confirm new password").fill(CLIENT_PASSWORD)
    client.get_by_role("button", name="Set password").click()
    client.wait_for_url("**/o/demo/app")

    # And picks their time zone by typing part of a city
    nav(client, "Account")
    picker = client.get_by_role("combobox", name="Time zone")
    picker.click()
    picker.fill("chic")
    option = client.get_by_role("option", name="Central Time (Chicago) · America/Chicago")
    expect(option).to_be_visible()
    picker.press("ArrowDown")
    picker.press("ArrowUp")
    picker.press("Enter")
    expect(picker).to_have_value("Central Time (Chicago) · America/Chicago")
    client.get_by_role("button", name="Save time zone").click()
    expect(client.get_by_text("Times are now shown in America/Chicago.")).to_be_visible()

    # And signs the first form with a drawn signature beside the typed name
    nav(client, "Home")
    client.get_by_role("link", name=f"Complete {CONSENT}").click()
    expect(client.get_by_text("Form 1 of 2")).to_be_visible()
    for question in ("I have read and understood this agreement.", "I have had the chance to ask questions about it.",
                     "I consent to receive psychotherapy services."):  # fmt: skip
        answer(client, question, "Yes")
    sign_step(client, "Casey Nguyễn Morgan", draw=True)

    # Then they go straight to the second form, "Form 2 of 2"
    expect(client.get_by_role("heading", name=PRIVACY, exact=True)).to_be_visible()
    expect(client.get_by_text("Form 2 of 2")).to_be_visible()
    expect(client.get_by_role("status").filter(has_text=f"“{CONSENT}” is signed. Next: {PRIVACY}.")).to_be_visible()

    # When they sign it with the typed name alone
    answer(client, "I acknowledge that I received this Notice of Privacy Practices.", "Yes")
    sign_step(client, "Casey Nguyễn Morgan")

    # Then that was the last form, and its signing time reads in their zone, labelled
    expect(client.get_by_role("heading", name="Signed. That was your last form — thank you!")).to_be_visible()
    expect(client.get_by_text(re.compile(r"on \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M C[SD]T\."))).to_be_visible()

    # When the administrator opens the first form from the client's documents
    page.reload()
    documents = page.get_by_role("region", name="General Documents")
    with page.context.expect_page() as opened:
        documents.get_by_role("button", name=f"Open {CONSENT}").click()
    # Then "Open" shows it in the browser (a new tab, inline)…
    opened.value.wait_for_url(re.compile(r"response-content-disposition=inline"))
    opened.value.close()
    # …and "Download" saves the signed PDF: the practice's logo on its letterhead and the drawn signature on it
    with page.expect_download() as download:
        documents.get_by_role("button", name=f"Download {CONSENT}").click()
    pdf_path = tmp_path / "consent.pdf"
    download.value.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    assert sum(len(pdf_page.images) for pdf_page in reader.pages) == 2
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "/s/ Casey Nguyễn Morgan" in text and "Drawn signature" in text
