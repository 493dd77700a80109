"""Issue 10's journey: a client writes on a phone, the therapist gets the mail after the delay, answers with an
attachment; the client sees the answer within seconds and opens the attachment; the therapist sees the receipt."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from chalicelib.config import get_settings, use_settings
from scripts.seed import ADMINISTRATOR, DEMO_PASSWORD
from tests.e2e.test_foundation import demo_code, nav, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "Hello Theo, is it all right if I bring my sleep diary on Thursday?"
ANSWER = "Yes, please do. Here is the worksheet we talked about."


@pytest.fixture
def quick_notices() -> Iterator[None]:
    """The practice's 15-minute "still unread?" delay, lowered to three seconds for the journey."""
    original = get_settings()
    use_settings(replace(original, message_notice_seconds=3))
    yield
    use_settings(original)


@pytest.fixture
def messaging_on(chromium: Any, base_url: str) -> None:
    """Secure messaging switched on (the foundation journey switches it off in the shared stack)."""
    context = chromium.new_context(base_url=base_url)
    api = context.request
    session = api.post("/api/orgs/demo/sign-in", data={"email": ADMINISTRATOR.email, "password": DEMO_PASSWORD}).json()
    # The demo administrator proves their authenticator app next (tests/e2e/test_foundation.py, demo_code).
    proof = api.post("/api/session/second-factor/code", data={"code": demo_code()}, headers={"X-CSRF-Token": session["csrf_token"]})
    assert proof.ok, proof.text()
    session = proof.json()
    settings = api.get("/api/organization/settings").json()
    if not settings["features"]["messaging"]:
        change = {"version": settings["version"], "features": {"messaging": True}}
        assert api.patch("/api/organization/settings", data=change, headers={"X-CSRF-Token": session["csrf_token"]}).ok
    context.close()


def therapist_notices(page: Any, at_least: int = 0) -> int:
    """How many "new secure message" mails Theo has in the local mailbox; waits up to 20 s for ``at_least``."""
    count = 0
    for _ in range(40):
        page.goto("/dev/mailbox")
        count = page.get_by_role("article").filter(has_text="therapist@demo.test").filter(has_text="new secure message").count()
        if count >= at_least:
            break
        page.wait_for_timeout(500)
    return count


def test_a_client_writes_on_a_phone_and_the_therapist_answers_with_an_attachment(
    page: Any, phone: Any, tmp_path: Path, quick_notices: None, messaging_on: None
) -> None:
    # Given Jordan signed in on a phone and opened Messages
    sign_in(phone, "jordan@demo.test")
    phone.get_by_role("button", name="Menu").click()
    nav(phone, "Messages")
    expect(phone.get_by_role("heading", name="Messages", exact=True)).to_be_visible()
    before = therapist_notices(page)

    # When he writes to his care team
    phone.get_by_label("Your message").fill(QUESTION)
    phone.get_by_role("button", name="Send").click()

    # Then the message is in his conversation, and nothing overflows the phone's screen
    expect(phone.get_by_text("Message sent.")).to_be_visible()
    expect(phone.get_by_text(QUESTION)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # And Theo gets one mail after the delay, saying nothing of what was written or by whom
    assert therapist_notices(page, at_least=before + 1) == before + 1
    mail = page.get_by_role("article").filter(has_text="therapist@demo.test").filter(has_text="new secure message").first
    expect(mail).not_to_contain_text("Jordan")
    expect(mail).not_to_contain_text("sleep diary")

    # When Theo signs in, he sees the unread count, opens the conversation and answers with a PDF
    sign_in(page, "therapist@demo.test")
    messages_link = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Messages"))
    expect(messages_link).to_contain_text("unread")
    messages_link.click()
    page.get_by_role("link", name="Jordan Lee").click()
    expect(page.get_by_role("heading", name="Messages with Jordan Lee")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    # (first a program renamed notes.pdf: the server refuses it by its bytes, and the composer marks that file)
    fake = tmp_path / "notes.pdf"
    fake.write_bytes(b"MZ\x90\x00" + bytes(300))
    page.get_by_label("Attach files").set_input_files(str(fake))
    expect(page.get_by_text("— ready")).to_be_visible()
    page.get_by_label("Your message").fill(ANSWER)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("notes.pdf: The file's contents do not match its type.")).to_be_visible()
    worksheet = tmp_path / "worksheet.pdf"
    worksheet.write_bytes(PDF)
    page.get_by_label("Attach files").set_input_files(str(worksheet))
    expect(page.get_by_text("— ready")).to_be_visible()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text(ANSWER)).to_be_visible()

    # Then Jordan's open conversation shows the answer within seconds, and he opens the attachment
    expect(phone.get_by_text(ANSWER)).to_be_visible(timeout=15_000)
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Open worksheet.pdf").click()
    saved = tmp_path / "opened.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    expect(phone.get_by_role("button", name="Open notes.pdf")).to_have_count(0)

    # And Theo sees that Jordan read it
    expect(page.get_by_text(re.compile(r"^Seen "))).to_be_visible(timeout=15_000)
