"""Steps of filling in and signing a form in the client's portal, shared by the end-to-end journeys."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def answer(page: Any, question: str, choice: str) -> None:
    page.get_by_role("radiogroup", name=question).get_by_label(choice, exact=True).check()


def draw_signature(page: Any) -> None:
    """A scribble across the signature pad with the mouse, as a person would draw their name."""
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    left, middle = box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.6
    page.mouse.move(left, middle)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(left + step * box["width"] * 0.05, middle - (step % 2) * box["height"] * 0.3, steps=2)
    page.mouse.up()
    expect(page.get_by_role("button", name="Clear the drawing")).to_be_visible()


def sign_step(page: Any, full_name: str, *, draw: bool = False, review: str | None = None) -> None:
    """Review (``review``: a text the answers must read), consent (once per form), type the name (and draw it), attest
    and sign."""
    page.get_by_role("button", name="Continue to review and sign").click()
    expect(page.get_by_role("heading", name="Review and sign")).to_be_visible()
    if review:
        expect(page.get_by_text(review, exact=True)).to_be_visible()
    consent = page.get_by_label("I agree to sign electronically")
    if consent.count():
        consent.check()
        page.get_by_role("button", name="Continue").click()
    page.get_by_label("Type your full name to sign").fill(full_name)
    if draw:
        draw_signature(page)
    page.get_by_label("I have read the attestation above and sign this form").check()
    page.get_by_role("button", name="Sign form").click()
