"""The signed form as a PDF: letterhead, client block, every question with its answer (or that it has none), the
signature block, and a signing certificate page. Times are shown in the practice's time zone.

The record (built by ``paperwork._signed_record``) is read as follows; only the first group is required:

- ``form`` {id, version, title}, ``fields``, ``answers``, ``signer`` {typed_name, account_email}, ``attestation``,
  ``signed_at``, ``practice`` (the practice's name), ``request_id``, ``viewed_at``, ``consent`` {disclosure_version,
  at, ip, user_agent}, ``signature`` {ip, user_agent}, ``content_sha256``;
- ``practice_time_zone``: IANA name, "UTC" when absent or unknown;
- ``client``: {name, date_of_birth (ISO date or None)}; without it the client block is left out;
- ``practice_logo``: PNG or JPEG bytes for the letterhead, optional;
- ``drawn_signature``: PNG bytes of a signature the client drew, optional (``signer.drawn_signature_sha256`` names it).

Deterministic: the same record always gives the same bytes (the document is dated with the signing time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib import clock
from chalicelib.adapters.pdf import PdfDocument

NOT_ANSWERED = "Not answered"
NOT_ASKED = "Not asked (did not apply to the answers given)"
NOT_RECORDED = "Not recorded"
NO_ANSWER = {"heading", "static_text", "signature"}


def render_signed_form(record: dict[str, Any]) -> bytes:
    form = record["form"]
    zone = _zone(record.get("practice_time_zone"))
    pdf = PdfDocument(f"{form['title']} (version {form['version']})", created=_parse_time(record["signed_at"]))
    _letterhead(pdf, record)
    pdf.text(form["title"], size=18, bold=True, gap_before=10)
    pdf.text(f"Form version {form['version']}", size=9, muted=True)
    _client_block(pdf, record.get("client"))
    _questions(pdf, record["fields"], record["answers"])
    _signature_block(pdf, record, zone)
    pdf.page_break()
    _certificate(pdf, record, zone)
    return pdf.render()


def _letterhead(pdf: PdfDocument, record: dict[str, Any]) -> None:
    logo = record.get("practice_logo")
    if logo:
        pdf.image(logo, height=40)
    pdf.text(record["practice"], size=14, bold=True)
    pdf.rule(gap_before=4)


def _client_block(pdf: PdfDocument, client: dict[str, Any] | None) -> None:
    if not client:
        return
    birth = client.get("date_of_birth")
    pdf.columns(
        [("Client", client.get("name") or NOT_RECORDED), ("Date of birth", readable_date(birth) if birth else NOT_RECORDED)], gap_before=10
    )
    pdf.rule(gap_before=6)


def _questions(pdf: PdfDocument, fields: list[dict[str, Any]], answers: dict[str, Any]) -> None:
    shown = _shown(fields, answers)
    for field in fields:
        kind = field["type"]
        if kind == "heading":
            pdf.text(field["label"], size=13, bold=True, gap_before=14, keep_with_next=True)
        elif kind == "static_text":
            pdf.text(field["label"], size=9, gap_before=4, muted=True)
        elif kind not in NO_ANSWER:
            pdf.text(field["label"], size=10, bold=True, gap_before=9, keep_with_next=True)
            answer = _answer_text(field, answers.get(field["id"]))
            if field["id"] not in shown:
                pdf.text(NOT_ASKED, size=10, indent=12, muted=True)
            elif answer is None:
                pdf.text(NOT_ANSWERED, size=10, indent=12, muted=True)
            else:
                pdf.text(answer, size=10, indent=12)


def _shown(fields: list[dict[str, Any]], answers: dict[str, Any]) -> set[str]:
    """The questions the client was shown: those whose show-if condition held (the form's own rule)."""
    from pydantic import ValidationError

    from chalicelib.services.form_definitions import FieldSpec, FormDefinition, visible_fields

    try:
        definition = FormDefinition.model_construct(fields=[FieldSpec.model_validate(field) for field in fields])
    except ValidationError:  # a definition saved under older rules: show every question as asked
        return {field["id"] for field in fields}
    return {spec.id for spec in visible_fields(definition, answers)}


def _answer_text(field: dict[str, Any], value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if field["type"] == "date" and isinstance(value, str):
        return readable_date(value)
    return str(value)


def _signature_block(pdf: PdfDocument, record: dict[str, Any], zone: ZoneInfo) -> None:
    pdf.rule(gap_before=14)
    pdf.text("Electronic signature", size=13, bold=True, gap_before=8, keep_with_next=True)
    pdf.text(record["attestation"], size=9, gap_before=4)
    pdf.text(f"Signed: /s/ {record['signer']['typed_name']}", size=12, bold=True, gap_before=10)
    drawn = record.get("drawn_signature")
    if drawn:
        pdf.text("Drawn signature:", size=9, muted=True, gap_before=6, keep_with_next=True)
        pdf.image(drawn, height=48)
    pdf.text(f"Date and time: {readable_time(record['signed_at'], zone)}", size=10)


def _certificate(pdf: PdfDocument, record: dict[str, Any], zone: ZoneInfo) -> None:
    consent = record["consent"]
    client = record.get("client") or {}
    rows = [
        ("Document", f"{record['form']['title']}, version {record['form']['version']}"),
        ("Practice", record["practice"]),
        *([("Client", client.get("name") or NOT_RECORDED)] if client else []),
        ("Request", record["request_id"]),
        ("Signer (typed name)", record["signer"]["typed_name"]),
        *([("Drawn signature (SHA-256)", drawn)] if (drawn := record["signer"].get("drawn_signature_sha256")) else []),
        ("Signer's account email", record["signer"]["account_email"]),
        ("First viewed", _certificate_time(record["viewed_at"], zone)),
        ("Consent to sign electronically", _certificate_time(consent["at"], zone)),
        ("Disclosure version", consent["disclosure_version"]),
        ("Consent given from IP", consent["ip"]),
        ("Consent user agent", consent["user_agent"]),
        ("Signed", _certificate_time(record["signed_at"], zone)),
        ("Signed from IP", record["signature"]["ip"]),
        ("Signing user agent", record["signature"]["user_agent"]),
        ("SHA-256 of the signed content", record["content_sha256"]),
    ]
    pdf.text("Signing certificate", size=18, bold=True)
    pdf.text(
        "This certificate records how the document was signed. The SHA-256 digest covers the form, the answers, the "
        "signer's typed name, the attestation and the signing time; any change to them changes the digest. "
        f"Times are in the practice's time zone, {zone.key}, with the exact UTC time in brackets.",
        size=9,
        gap_before=6,
    )
    for label, value in rows:
        pdf.text(label, size=9, bold=True, gap_before=8, keep_with_next=True)
        pdf.text(str(value), size=10, indent=12)


# ------------------------------------------------------------------------------------------------ dates and times


def _zone(name: Any) -> ZoneInfo:
    return clock.zone_or_utc(name)


def _parse_time(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def readable_time(iso: str, zone: ZoneInfo) -> str:
    """ "2026-11-23T09:00:00.000000Z" in America/Chicago -> "23 November 2026, 3:00 AM CST" (``clock.readable_time``)."""
    return clock.readable_time(_parse_time(iso), zone)


def _certificate_time(iso: str | None, zone: ZoneInfo) -> str:
    if not iso:
        return NOT_RECORDED
    exact = _parse_time(iso).astimezone(UTC)
    return f"{readable_time(iso, zone)} ({exact:%Y-%m-%d %H:%M:%S} UTC)"


def readable_date(value: str | date) -> str:
    """ "1990-04-12" -> "12 April 1990"; text that is not an ISO date is shown as it is."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except ValueError:
        return str(value)
    return clock.readable_date(day)
