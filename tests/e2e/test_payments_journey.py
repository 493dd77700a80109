"""Issue 11's journey: staff issue an invoice, the client pays it by card on a phone (Stripe.js from the embedded fake
Stripe server, on a page whose CSP allows it), Stripe's signed webhook marks it paid, the administrator and the
therapist are mailed, and the receipt prints."""

from __future__ import annotations

import io
import re
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from scripts.seed import ADMINISTRATOR, DEMO_PASSWORD
from tests.e2e.test_foundation import nav, sign_in

AMOUNT = "$95.00"


def payment_mails(page: Any, to: str, at_least: int) -> Any:
    """The local mailbox's payment notices to one address; waits up to 15 s (the mail worker runs every second)."""
    for _ in range(30):
        page.goto("/dev/mailbox")
        found = page.get_by_role("article").filter(has_text=to).filter(has_text="made a payment")
        if found.count() >= at_least:
            break
        page.wait_for_timeout(500)
    return found


def test_staff_issue_an_invoice_and_the_client_pays_it_by_card_on_a_phone(page: Any, phone: Any) -> None:
    # Given the administrator issues an invoice to Jordan Lee
    sign_in(page, ADMINISTRATOR.email)
    admin_before = payment_mails(page, ADMINISTRATOR.email, 0).count()
    therapist_before = payment_mails(page, "therapist@demo.test", 0).count()
    page.goto("/o/demo/app")
    nav(page, "Clients")
    page.get_by_role("link", name="Jordan Lee").click()
    page.get_by_role("button", name="New invoice").click()
    dialog = page.get_by_role("dialog", name="New invoice for Jordan Lee")
    dialog.get_by_label("Service", exact=True).fill("Couples session (80 min)")
    dialog.get_by_label("Amount").fill("95.00")
    dialog.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name=f"Issue the draft of {AMOUNT}").click()
    issued = page.get_by_role("status").filter(has_text=re.compile(r"Invoice \d+ issued"))
    expect(issued).to_be_visible()
    title = re.search(r"Invoice \d+", issued.inner_text()).group(0)  # type: ignore[union-attr]

    # When Jordan signs in on a phone and opens their invoices
    sign_in(phone, "jordan@demo.test", DEMO_PASSWORD)
    phone.get_by_role("button", name="Menu").click()
    nav(phone, "Invoices")
    expect(phone.get_by_role("heading", name="Invoices and payments")).to_be_visible()
    # Stripe.js is nowhere but on the payment page
    assert phone.evaluate("typeof window.Stripe") == "undefined"

    # And pays it by card
    with phone.expect_response(re.compile(r"/app/pay/")) as document:
        phone.get_by_role("link", name=f"Pay {title}").click()
    csp = document.value.headers["content-security-policy"]
    assert "127.0.0.1" in csp and "script-src 'self' http://127.0.0.1" in csp
    expect(phone.get_by_role("heading", name=f"Pay {title.lower()}")).to_be_visible()
    card = phone.get_by_role("group", name="Card")
    card.get_by_placeholder("number").fill("4242424242424242")
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("10001")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name=f"Pay {AMOUNT}").click()

    # Then, once Stripe's webhook is in, the invoice shows paid
    expect(phone.get_by_role("status")).to_contain_text("Payment received", timeout=25_000)
    phone.get_by_role("link", name="See your receipt").click()
    expect(phone.get_by_role("heading", name=f"Receipt for {title.lower()}")).to_be_visible()
    details = phone.get_by_role("article", name="Invoice details")
    expect(details).to_contain_text("Paid")
    expect(details).to_contain_text(f"{AMOUNT} by card ending 4242")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # And the receipt prints: the document only, without the app's navigation
    phone.emulate_media(media="print")
    expect(phone.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(phone.get_by_role("button", name="Print")).to_be_hidden()
    expect(details).to_be_visible()
    printed = PdfReader(io.BytesIO(phone.pdf())).pages
    text = "\n".join(p.extract_text() for p in printed)
    assert "Receipt for" in text and AMOUNT in text and "Couples session (80 min)" in text
    assert "Sign out" not in text and "Download PDF" not in text
    phone.emulate_media(media="screen")

    # And the administrator and the therapist were mailed, naming no one and no amount
    for address, before in ((ADMINISTRATOR.email, admin_before), ("therapist@demo.test", therapist_before)):
        notices = payment_mails(page, address, before + 1)
        assert notices.count() == before + 1, address
        expect(notices.first).not_to_contain_text("Jordan")
        expect(notices.first).not_to_contain_text(AMOUNT)

    # And staff see it paid
    page.goto("/o/demo/app/payments")
    expect(page.get_by_role("heading", name="Payments received")).to_be_visible()
    expect(page.get_by_text(f"{AMOUNT} for {title}")).to_be_visible()


def test_a_therapist_bills_last_weeks_attended_session_from_the_appointments(page: Any) -> None:
    # Given Theo, with Jordan's session of last week attended and not invoiced (the demo data)
    sign_in(page, "therapist@demo.test")
    nav(page, "Clients")
    page.get_by_role("link", name="Jordan Lee").click()
    page.get_by_role("button", name="New invoice").click()
    dialog = page.get_by_role("dialog", name="New invoice for Jordan Lee")
    billable = dialog.get_by_role("group", name="Bill appointments")

    # When he ticks the session
    billable.get_by_role("checkbox").first.check()

    # Then its line carries the service, the day it took place and the price when booked, and the draft bills it
    line = dialog.get_by_role("group", name="Line 1 (an appointment)")
    expect(line.get_by_label("Service", exact=True)).to_have_value("Individual session")
    expect(line.get_by_label("Amount")).to_have_value("150.00")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line.get_by_label("Date of service").input_value())
    dialog.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("button", name="Issue the draft of $150.00")).to_be_visible()
    # And the next invoice no longer offers it
    page.get_by_role("button", name="New invoice").click()
    expect(page.get_by_role("dialog", name="New invoice for Jordan Lee")).to_be_visible()
    expect(page.get_by_role("group", name="Bill appointments")).to_have_count(0)
