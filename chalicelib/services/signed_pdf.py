"""The signed form as a PDF: the questions and answers, a signature block, and a signing certificate page.

Deterministic: the same signed record always gives the same bytes (no clock, no randomness in the writer).
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.pdf import PdfWriter

NOT_ANSWERED = "(not answered)"


def render_signed_form(record: dict[str, Any]) -> bytes:
    form = record["form"]
    pdf = PdfWriter(f"{form['title']} (version {form['version']})")
    pdf.write(record["practice"], size=10)
    pdf.write(form["title"], size=18, bold=True, gap_before=4)
    pdf.write(f"Form version {form['version']}", size=9)
    _questions(pdf, record["fields"], record["answers"])
    _signature_block(pdf, record)
    pdf.new_page()
    _certificate(pdf, record)
    return pdf.render()


def _questions(pdf: PdfWriter, fields: list[dict[str, Any]], answers: dict[str, Any]) -> None:
    for field in fields:
        kind = field["type"]
        if kind == "heading":
            pdf.write(field["label"], size=13, bold=True, gap_before=12)
        elif kind == "static_text":
            pdf.write(field["label"], size=9, gap_before=4)
        elif kind != "signature" and field["id"] in answers:
            pdf.write(field["label"], size=10, bold=True, gap_before=8)
            pdf.write(_answer_text(answers[field["id"]]), size=10, indent=12)


def _answer_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or NOT_ANSWERED
    return str(value) if value not in (None, "") else NOT_ANSWERED


def _signature_block(pdf: PdfWriter, record: dict[str, Any]) -> None:
    pdf.rule()
    pdf.write("Electronic signature", size=13, bold=True, gap_before=10)
    pdf.write(record["attestation"], size=9, gap_before=4)
    pdf.write(f"Signed: /s/ {record['signer']['typed_name']}", size=12, bold=True, gap_before=10)
    pdf.write(f"Date and time (UTC): {record['signed_at']}", size=10)


def _certificate(pdf: PdfWriter, record: dict[str, Any]) -> None:
    consent = record["consent"]
    rows = [
        ("Document", f"{record['form']['title']}, version {record['form']['version']}"),
        ("Practice", record["practice"]),
        ("Request", record["request_id"]),
        ("Signer (typed name)", record["signer"]["typed_name"]),
        ("Signer's account email", record["signer"]["account_email"]),
        ("First viewed (UTC)", record["viewed_at"] or "(not recorded)"),
        ("Consent to sign electronically (UTC)", consent["at"]),
        ("Disclosure version", consent["disclosure_version"]),
        ("Consent given from IP", consent["ip"]),
        ("Consent user agent", consent["user_agent"]),
        ("Signed (UTC)", record["signed_at"]),
        ("Signed from IP", record["signature"]["ip"]),
        ("Signing user agent", record["signature"]["user_agent"]),
        ("SHA-256 of the signed content", record["content_sha256"]),
    ]
    pdf.write("Signing certificate", size=18, bold=True)
    pdf.write(
        "This certificate records how the document was signed. The SHA-256 digest covers the form, the answers, the "
        "signer's typed name, the attestation and the signing time; any change to them changes the digest.",
        size=9,
        gap_before=6,
    )
    for label, value in rows:
        pdf.write(label, size=9, bold=True, gap_before=8)
        pdf.write(str(value), size=10, indent=12)
