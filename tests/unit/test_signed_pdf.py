from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from chalicelib.services.signed_pdf import render_signed_form


def record(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "form": {"id": "std-privacy-notice", "version": 1, "title": "Notice of Privacy Practices"},
        "fields": [
            {"id": "h", "type": "heading", "label": "Your rights"},
            {"id": "ack", "type": "yes_no", "label": "I received this notice.", "required": True},
            {"id": "signature", "type": "signature", "label": "Signature", "required": True},
        ],
        "answers": {"ack": True},
        "signer": {"typed_name": "Zoë (Jo) O'Neil \\ Lee", "account_email": "jo@example.test"},
        "attestation": "I sign electronically.",
        "signed_at": "2026-11-23T09:00:00.000000Z",
        "practice": "Harbor Counseling",
        "request_id": "req_1",
        "viewed_at": "2026-11-23T08:55:00.000000Z",
        "consent": {"disclosure_version": "esign-2026-11", "at": "2026-11-23T08:58:00.000000Z", "ip": "203.0.113.9", "user_agent": "UA/1"},
        "signature": {"ip": "203.0.113.9", "user_agent": "UA/1"},
        "content_sha256": "ab" * 32,
    }
    base.update(changes)
    return base


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_same_signed_record_always_renders_the_same_bytes() -> None:
    assert render_signed_form(record()) == render_signed_form(record())
    assert render_signed_form(record()) != render_signed_form(record(answers={"ack": False}))


def test_the_pdf_shows_answers_signature_and_certificate() -> None:
    # Given a signed record with characters PDF strings must escape
    pdf = render_signed_form(record())

    # Then it is a valid PDF whose text holds the answer, the typed signature and the certificate
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    text = text_of(pdf)
    assert "I received this notice." in text and "Yes" in text
    assert "/s/ Zoë (Jo) O'Neil \\ Lee" in text
    assert "Signing certificate" in text
    assert "ab" * 32 in text
    assert "203.0.113.9" in text and "esign-2026-11" in text


def test_long_answers_flow_onto_more_pages() -> None:
    long_record = record(
        fields=[{"id": "story", "type": "long_text", "label": "Tell us more"}],
        answers={"story": "A long answer. " * 800},
    )
    assert len(PdfReader(io.BytesIO(render_signed_form(long_record))).pages) >= 4
