"""The invoice — with its payments, a receipt once paid — as a PDF (fpdf2, imported only when rendering), stored in
S3 under a content-named key and handed out as a five-minute link after the authorization check and an audit event.
Amounts are formatted from integer cents; times are shown in the practice's time zone."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.domain.intake import DownloadLink
from chalicelib.domain.payments import Invoice
from chalicelib.errors import NotFound
from chalicelib.services import branding
from chalicelib.services.payments.invoices import NO_INVOICE, invoice_history
from chalicelib.services.visibility import checked
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import get_or_none

SYMBOLS = {"usd": "$", "cad": "CA$", "aud": "A$", "nzd": "NZ$", "eur": "€", "gbp": "£"}
STATUS = {"open": "Balance due", "paid": "Paid", "refunded": "Refunded", "void": "Void"}


def money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{SYMBOLS.get(currency, currency.upper() + ' ')}{cents // 100:,}.{cents % 100:02d}"


def staff_pdf(principal: StaffPrincipal, client_id: str, invoice_id: str) -> DownloadLink:
    client = checked(principal, get_or_none(ClientRecord, keys.org_pk(principal.org_id), keys.client_sk(client_id)), client_id)
    invoice = invoice_history(principal, client_id, invoice_id)
    return _link(principal, invoice, client.name)


def client_pdf(principal: ClientPrincipal, invoice_id: str) -> DownloadLink:
    invoice = invoice_history(principal, principal.id, invoice_id)
    if invoice.status == "draft":
        raise NotFound(NO_INVOICE)
    return _link(principal, invoice, principal.name)


def _link(principal: Principal, invoice: Invoice, client_name: str) -> DownloadLink:
    from chalicelib.adapters.object_keys import invoice_document
    from chalicelib.adapters.storage import MAX_PRESIGN_SECONDS, get_storage

    logo = branding.logo_bytes(principal.practice)
    pdf = render_invoice(invoice, practice=principal.org_name, time_zone=principal.practice.time_zone, client_name=client_name, logo=logo)
    digest = hashlib.sha256(pdf).hexdigest()
    storage = get_storage()
    stored = storage.put(invoice_document(principal.org_id, invoice.client_id, invoice.id, digest[:32]), pdf, "application/pdf")
    kind = "Receipt" if invoice.status in {"paid", "refunded"} else "Invoice"
    filename = f"{kind} {invoice.number or 'draft'}.pdf"
    url = storage.presigned_get(stored.key, filename, "application/pdf", "attachment")
    audit.record(principal, "invoices.download", f"invoice/{invoice.id}", subject_client_id=invoice.client_id)
    return DownloadLink(url=url, expires_at=clock.now() + timedelta(seconds=MAX_PRESIGN_SECONDS), sha256=stored.sha256, filename=filename)


def render_invoice(invoice: Invoice, *, practice: str, time_zone: str, client_name: str, logo: bytes | None = None) -> bytes:
    from chalicelib.adapters.pdf import PdfDocument

    zone = _zone(time_zone)
    kind = "Receipt" if invoice.status in {"paid", "refunded"} else "Invoice"
    title = f"{kind} {invoice.number}" if invoice.number else "Draft invoice"
    pdf = PdfDocument(f"{practice} — {title}", created=invoice.issued_at or invoice.created_at)
    if logo:
        pdf.image(logo, height=40)
    pdf.text(practice, size=12, bold=True)
    pdf.text(title, size=18, bold=True, gap_before=8)
    pdf.columns(
        [
            ("Bill to", client_name),
            ("Issued", _day(invoice.issued_at, zone) if invoice.issued_at else "Not issued"),
            ("Status", STATUS.get(invoice.status, invoice.status.title())),
        ],
        gap_before=8,
    )
    pdf.rule()
    for line in invoice.lines:
        label = f"{line.service_date} · {line.description}" if line.service_date else line.description
        pdf.columns([(label, money(line.amount_cents, invoice.currency))], gap_before=4)
    pdf.rule()
    totals = [("Total", money(invoice.total_cents, invoice.currency)), ("Paid", money(invoice.paid_cents, invoice.currency))]
    if invoice.refunded_cents:
        totals.append(("Refunded", money(invoice.refunded_cents, invoice.currency)))
    totals.append(("Balance due", money(invoice.balance_cents, invoice.currency)))
    pdf.columns(totals, gap_before=4)
    received = [p for p in invoice.payments if p.status == "succeeded"]
    if received:
        pdf.text("Payments received", size=12, bold=True, gap_before=12)
        for payment in received:
            card = f"{(payment.card_brand or 'card').title()} ending {payment.card_last4}" if payment.card_last4 else "Card"
            when = _day(payment.succeeded_at, zone) if payment.succeeded_at else ""
            pdf.columns([(f"{when} · {card}", money(payment.amount_cents, invoice.currency))], gap_before=4)
    if invoice.notes:
        pdf.text("Notes", size=12, bold=True, gap_before=12)
        pdf.text(invoice.notes)
    pdf.text(f"Dates in the practice's time zone, {time_zone.replace('_', ' ')}.", size=8, muted=True, gap_before=12)
    return pdf.render()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%B %-d, %Y")
