from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from chalicelib.adapters.pdf import find_font_file, layer_font_files
from chalicelib.config import Settings, get_settings, use_settings
from chalicelib.services.signed_pdf import render_signed_form

# A client who writes in every script the portal supports (the names are the ones issue 12 asks for).
NAME = "Nguyễn Thị Minh 陈小明"
SAMPLES = {
    "greek": ("Greek", "Καλημέρα κόσμε"),
    "russian": ("Russian", "Здравствуйте мир"),
    "arabic": ("Arabic", "مرحبا بالعالم"),
    "hebrew": ("Hebrew", "שלום עולם"),
    "japanese": ("Japanese", "東京都に住んでいます"),
    "korean": ("Korean", "안녕하세요 세계"),
}


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
        "practice_time_zone": "America/Chicago",
        "client": {"name": "Jo Lee", "date_of_birth": "1990-04-12"},
    }
    base.update(changes)
    return base


def multilingual_record() -> dict[str, Any]:
    fields = [{"id": key, "type": "short_text", "label": label} for key, (label, _) in SAMPLES.items()]
    return record(
        fields=[*fields, {"id": "signature", "type": "signature", "label": "Signature", "required": True}],
        answers={key: text for key, (_, text) in SAMPLES.items()},
        signer={"typed_name": NAME, "account_email": "minh@example.test"},
        client={"name": NAME, "date_of_birth": None},
    )


def text_of(pdf: bytes) -> str:
    # pypdf does not apply the encoding CMap that CFF-based CJK fonts carry (py-pdf/pypdf#2295) and puts a NUL
    # before each of their characters; poppler's pdftotext reads the same file cleanly.
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\x00", "")


@pytest.fixture(scope="module")
def multilingual_pdf() -> bytes:
    missing = [name for name in layer_font_files() if find_font_file(name, get_settings().font_dir) is None]
    assert not missing, f"fonts missing under {get_settings().font_dir}: {missing} (`make fonts` installs them)"
    return render_signed_form(multilingual_record())


def test_the_same_signed_record_always_renders_the_same_bytes(multilingual_pdf: bytes) -> None:
    assert render_signed_form(record()) == render_signed_form(record())
    assert render_signed_form(record()) != render_signed_form(record(answers={"ack": False}))
    assert render_signed_form(multilingual_record()) == multilingual_pdf


def test_another_process_renders_the_same_bytes() -> None:
    # Another Lambda instance re-rendering a record (with another hash seed) must produce the same file.
    code = (
        "import sys, hashlib; from tests.unit.test_signed_pdf import record; "
        "from chalicelib.services.signed_pdf import render_signed_form; "
        "print(hashlib.sha256(render_signed_form(record())).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == hashlib.sha256(render_signed_form(record())).hexdigest()


def test_the_pdf_shows_answers_signature_and_certificate() -> None:
    # Given a signed record with characters PDF strings must escape
    pdf = render_signed_form(record())

    # Then it is a valid PDF whose text holds the answer, the typed signature and the certificate
    assert pdf.startswith(b"%PDF-1.7") and pdf.rstrip().endswith(b"%%EOF")
    text = text_of(pdf)
    assert "I received this notice." in text and "Yes" in text
    assert "/s/ Zoë (Jo) O'Neil \\ Lee" in text
    assert "Signing certificate" in text
    assert "ab" * 32 in text
    assert "203.0.113.9" in text and "esign-2026-11" in text


def test_a_form_signed_in_vietnamese_and_chinese_shows_both_names(multilingual_pdf: bytes) -> None:
    # Given a client whose name mixes Vietnamese diacritics and Chinese characters signs a form
    text = text_of(multilingual_pdf)

    # Then the client block, the signature and the certificate carry the name exactly
    assert text.count("Nguyễn Thị Minh") >= 3
    assert text.count("陈小明") >= 3
    assert f"/s/ {NAME}" in text


def test_answers_in_every_supported_script_are_in_the_text(multilingual_pdf: bytes) -> None:
    text = text_of(multilingual_pdf)
    for label, answer in SAMPLES.values():
        assert label in text
        # Right-to-left lines come out of pypdf in visual order, so words are checked one by one.
        for word in answer.split():
            assert word in text, (label, word)


def fonts_of(pdf: bytes) -> dict[str, Any]:
    """Each font's name (subset tag included) and its font descriptor."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            fonts[str(font["/BaseFont"]).lstrip("/")] = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return fonts


def test_every_font_is_embedded_as_a_subset(multilingual_pdf: bytes) -> None:
    fonts = fonts_of(multilingual_pdf)
    # Latin, Arabic, Hebrew, and the Japanese and Korean faces (Han characters take the Japanese face in a
    # document with kana)
    families = {re.sub(r"^[A-Z]{6}\+", "", name) for name in fonts}
    assert {"NotoSans", "NotoSansBold", "NotoSansArabic", "NotoSansHebrew", "NotoSansCJKJP", "NotoSansCJKKR"} <= families
    for name, descriptor in fonts.items():
        assert re.match(r"^[A-Z]{6}\+", name), f"{name} is not a subset"
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is not embedded"


def test_han_characters_alone_use_the_simplified_chinese_face() -> None:
    pdf = render_signed_form(record(signer={"typed_name": "陈小明", "account_email": "c@example.test"}))
    names = set(fonts_of(pdf))
    assert any(name.endswith("+NotoSansCJKSC") for name in names)
    assert not any("CJKJP" in name or "CJKKR" in name for name in names)


def test_every_question_appears_answered_or_not() -> None:
    # Given a form with a question left empty and one hidden by its condition
    fields = [
        {"id": "medication", "type": "yes_no", "label": "Do you take medication?"},
        {"id": "which", "type": "short_text", "label": "Which medication?", "show_if": {"field": "medication", "equals": True}},
        {"id": "allergies", "type": "long_text", "label": "Any allergies?"},
        {"id": "visit", "type": "date", "label": "Date of last visit"},
    ]

    # When the client answered only the first and the last
    text = text_of(render_signed_form(record(fields=fields, answers={"medication": False, "visit": "2026-10-01"})))

    # Then every question is printed, with what happened to it
    assert "Do you take medication?\nNo" in text
    assert "Which medication?\nNot asked (did not apply to the answers given)" in text
    assert "Any allergies?\nNot answered" in text
    assert "Date of last visit\n1 October 2026" in text


def test_line_breaks_and_control_characters_in_answers_are_tidied() -> None:
    fields = [{"id": "note", "type": "long_text", "label": "Notes"}]
    text = text_of(render_signed_form(record(fields=fields, answers={"note": "one\r\ntwo\rthree\tfour\x00\x07"})))
    assert "Notes\none\ntwo\nthree    four\n" in text


def test_the_letterhead_client_block_and_times_are_the_practices() -> None:
    text = text_of(render_signed_form(record()))
    assert text.startswith("Harbor Counseling")
    assert "Client\nJo Lee" in text and "Date of birth\n12 April 1990" in text
    assert "Date and time: 23 November 2026, 3:00 AM CST" in text
    assert "23 November 2026, 2:58 AM CST (2026-11-23 08:58:00 UTC)" in text  # consent, on the certificate
    assert "America/Chicago" in text


def test_a_record_without_the_newer_keys_still_renders_in_utc() -> None:
    # Given a record as paperwork wrote it before time zones and the client block
    old = record()
    del old["practice_time_zone"], old["client"]

    text = text_of(render_signed_form(old))

    assert "Date and time: 23 November 2026, 9:00 AM UTC" in text
    assert "Date of birth" not in text
    assert "Harbor Counseling" in text


def test_zones_without_a_letter_abbreviation_are_named_by_offset() -> None:
    text = text_of(render_signed_form(record(practice_time_zone="Asia/Ho_Chi_Minh")))
    assert "Date and time: 23 November 2026, 4:00 PM UTC+07" in text


def test_a_logo_goes_on_the_letterhead_and_a_broken_one_is_left_out() -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 90, 160)).save(png, format="PNG")

    resources: Any = PdfReader(io.BytesIO(render_signed_form(record(practice_logo=png.getvalue())))).pages[0]["/Resources"]
    assert any(image.get_object()["/Subtype"] == "/Image" for image in resources["/XObject"].values())

    broken = render_signed_form(record(practice_logo=b"not an image"))
    assert "Harbor Counseling" in text_of(broken)


def test_the_document_declares_pdf_a_2b() -> None:
    catalog: Any = PdfReader(io.BytesIO(render_signed_form(record()))).trailer["/Root"]
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in metadata and "<pdfaid:conformance>B</pdfaid:conformance>" in metadata
    assert 'xmp:CreateDate="2026-11-23T09:00:00+00:00"' in metadata
    [intent] = catalog["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"


def test_long_answers_flow_onto_more_pages() -> None:
    long_record = record(
        fields=[{"id": "story", "type": "long_text", "label": "Tell us more"}],
        answers={"story": "A long answer. " * 800},
    )
    reader = PdfReader(io.BytesIO(render_signed_form(long_record)))
    assert len(reader.pages) >= 4
    assert f"Page 2 of {len(reader.pages)}" in reader.pages[1].extract_text()


@pytest.fixture
def no_font_layer() -> Iterator[None]:
    use_settings(Settings(font_dir="/nonexistent"))
    yield
    use_settings(None)


@pytest.mark.usefixtures("no_font_layer")
def test_without_the_font_layer_a_form_still_renders_its_latin_text() -> None:
    text = text_of(render_signed_form(multilingual_record()))
    assert "Nguyễn Thị Minh" in text and "Καλημέρα" in text and "Здравствуйте" in text
    assert "陈小明" not in text
