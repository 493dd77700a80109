"""Invoices, card payments, refunds and each practice's Stripe connection. Money is integer cents, never floats.

Layout (one partition per organization):
  ORG#{org} / PAYCONN                         the practice's Stripe connection (keys encrypted with KMS) and options
  ORG#{org} / INVCOUNTER                      the last invoice number issued (incremented in the issuing transaction)
  ORG#{org} / INV#{client}#{invoice}          an invoice: lines, totals, state (draft → open → paid → refunded; void)
  ORG#{org} / INV#{client}#{invoice}#PAY#{id} one card payment attempt (its id derives from its idempotency key)
  ORG#{org} / INV#{client}#{invoice}#REF#{id} one refund
  ORG#{org} / CARD#{client}                   the client's saved card (Stripe customer and payment method ids)
An invoice sorts with its payments and refunds, so one Query lists a client's invoices with their history. The sparse
``by_open`` index lists a practice's open invoices; the sparse ``by_paid`` index its received payments, newest first.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.domain.payments import Connection, Invoice, InvoiceLine, Payment, Refund, SavedCard
from chalicelib.tables.base import PortalModel

SHORT_NAME = "payments"


class PaymentsConnection(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    # KMS ciphertext of {"secret_key", "webhook_secret"} with the organization as encryption context.
    secrets = BinaryAttribute(legacy_encoding=False)
    publishable_key = UnicodeAttribute()
    key_hint = UnicodeAttribute()  # the secret key's last four characters, to recognise it
    live = BooleanAttribute(default=False)
    currency = UnicodeAttribute(default="usd")
    allow_partial = BooleanAttribute(default=False)
    connected_at = UTCDateTimeAttribute()
    connected_by = UnicodeAttribute()
    version = VersionAttribute()


class InvoiceCounter(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    last_number = NumberAttribute(default=0)


class ByOpenIndex(GlobalSecondaryIndex["InvoiceItem"]):
    class Meta:
        index_name = "by_open"
        projection = AllProjection()

    open_key = UnicodeAttribute(hash_key=True)
    open_since = UnicodeAttribute(range_key=True)


class _PaidIndexOfTable(GlobalSecondaryIndex["InvoiceItem"]):
    """``by_paid`` declared on the table's first model too: the table is created from that model's schema."""

    class Meta:
        index_name = "by_paid"
        projection = AllProjection()

    paid_key = UnicodeAttribute(hash_key=True)
    paid_sort = UnicodeAttribute(range_key=True)


class InvoiceItem(PortalModel):
    """``status``: "draft" | "open" | "paid" | "refunded" | "void" — only ever forward (void only from draft or open
    with nothing paid)."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="invoice")
    id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    number = NumberAttribute(null=True)
    status = UnicodeAttribute(default="draft")
    lines = JSONAttribute()
    notes = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(default="usd")
    total_cents = NumberAttribute()
    paid_cents = NumberAttribute(default=0)
    # Charged at Stripe but not yet confirmed by its webhook: not payable again, not yet paid.
    pending_cents = NumberAttribute(default=0)
    refunded_cents = NumberAttribute(default=0)
    # The payment attempt in flight (one at a time per invoice) and until when it holds the invoice.
    paying = UnicodeAttribute(null=True)
    paying_until = UnicodeAttribute(null=True)
    # A payment waiting for the cardholder to authenticate (3-D Secure) — pending until Stripe says how it ended, or
    # until the client starts paying again and it is cancelled (services/payments/paying.py, release_unfinished).
    action_payment = UnicodeAttribute(null=True)
    action_intent = UnicodeAttribute(null=True)
    action_cents = NumberAttribute(null=True)
    therapist_ids = UnicodeSetAttribute(null=True)  # who hears of its payments, besides the administrators
    appointment_ids = UnicodeSetAttribute(null=True)  # the appointments it bills (services/payments/billable.py)
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    voided_at = UTCDateTimeAttribute(null=True)
    open_key = UnicodeAttribute(null=True)
    open_since = UnicodeAttribute(null=True)
    paid_key = UnicodeAttribute(null=True)  # never set on an invoice: the index's key, for the table's schema
    paid_sort = UnicodeAttribute(null=True)
    version = VersionAttribute()

    by_open = ByOpenIndex()
    by_paid_of_table = _PaidIndexOfTable()


class ByPaidIndex(GlobalSecondaryIndex["PaymentItem"]):
    class Meta:
        index_name = "by_paid"
        projection = AllProjection()

    paid_key = UnicodeAttribute(hash_key=True)
    paid_sort = UnicodeAttribute(range_key=True)


class PaymentItem(PortalModel):
    """``status``: "starting" (claimed, Stripe being asked) → "confirming" (Stripe took it; waiting for its event) or
    "requires_action" (the card asks the client to authenticate) → "succeeded" (from a verified event only) or
    "failed"."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="payment")
    id = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    invoice_number = NumberAttribute(null=True)
    amount_cents = NumberAttribute()
    currency = UnicodeAttribute(default="usd")
    status = UnicodeAttribute(default="starting")
    claim_until = UnicodeAttribute(null=True)
    intent_id = UnicodeAttribute(null=True)
    card_brand = UnicodeAttribute(null=True)
    card_last4 = UnicodeAttribute(null=True)
    refunded_cents = NumberAttribute(default=0)
    failure = UnicodeAttribute(null=True)
    started_at = UTCDateTimeAttribute()
    succeeded_at = UTCDateTimeAttribute(null=True)
    event_id = UnicodeAttribute(null=True)
    therapist_ids = UnicodeSetAttribute(null=True)
    paid_key = UnicodeAttribute(null=True)
    paid_sort = UnicodeAttribute(null=True)

    by_paid = ByPaidIndex()


class RefundItem(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(default="refund")
    id = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    payment_id = UnicodeAttribute()
    amount_cents = NumberAttribute()
    status = UnicodeAttribute(default="starting")  # "starting" → "succeeded" | "pending" | "failed"
    stripe_refund_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()


class SavedCardItem(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    customer_id = UnicodeAttribute()
    payment_method_id = UnicodeAttribute()
    brand = UnicodeAttribute()
    last4 = UnicodeAttribute()
    saved_at = UTCDateTimeAttribute()


# ------------------------------------------------------------------------------------------------- mapping


def invoice_of(item: InvoiceItem, payments: list[PaymentItem] | None = None, refunds: list[RefundItem] | None = None) -> Invoice:
    return Invoice(
        id=item.id,
        client_id=item.client_id,
        number=int(item.number) if item.number is not None else None,
        status=item.status,
        lines=tuple(InvoiceLine(str(line["description"]), line.get("service_date"), int(line["amount_cents"])) for line in item.lines),
        notes=item.notes,
        currency=item.currency,
        total_cents=int(item.total_cents),
        paid_cents=int(item.paid_cents or 0),
        pending_cents=int(item.pending_cents or 0),
        refunded_cents=int(item.refunded_cents or 0),
        created_at=item.created_at,
        issued_at=item.issued_at,
        paid_at=item.paid_at,
        voided_at=item.voided_at,
        version=int(item.version or 0),
        payments=tuple(payment_of(p) for p in payments or []),
        refunds=tuple(refund_of(r) for r in refunds or []),
        appointment_ids=tuple(sorted(item.appointment_ids or [])),
        awaiting_action=item.action_payment is not None,
    )


def payment_of(item: PaymentItem) -> Payment:
    return Payment(
        id=item.id,
        invoice_id=item.invoice_id,
        client_id=item.client_id,
        invoice_number=int(item.invoice_number) if item.invoice_number is not None else None,
        amount_cents=int(item.amount_cents),
        currency=item.currency,
        status=item.status,
        card_brand=item.card_brand,
        card_last4=item.card_last4,
        refunded_cents=int(item.refunded_cents or 0),
        failure=item.failure,
        started_at=item.started_at,
        succeeded_at=item.succeeded_at,
    )


def refund_of(item: RefundItem) -> Refund:
    return Refund(
        id=item.id,
        payment_id=item.payment_id,
        amount_cents=int(item.amount_cents),
        status=item.status,
        created_at=item.created_at,
    )


def connection_of(item: PaymentsConnection | None) -> Connection:
    if item is None:
        return Connection(connected=False)
    return Connection(
        connected=True,
        publishable_key=item.publishable_key,
        key_hint=item.key_hint,
        live=bool(item.live),
        currency=item.currency,
        allow_partial=bool(item.allow_partial),
        connected_at=item.connected_at,
        version=int(item.version or 0),
    )


def saved_card_of(item: SavedCardItem | None) -> SavedCard | None:
    return SavedCard(brand=item.brand, last4=item.last4) if item else None


def invoices_with_history(items: list[Any]) -> list[Invoice]:
    """Items of one client's Query (invoices, each followed by its payments and refunds) as invoices."""
    invoices: list[Invoice] = []
    current: InvoiceItem | None = None
    payments: list[PaymentItem] = []
    refunds: list[RefundItem] = []
    for item in items:
        if isinstance(item, InvoiceItem):
            if current is not None:
                invoices.append(invoice_of(current, payments, refunds))
            current, payments, refunds = item, [], []
        elif isinstance(item, PaymentItem) and current is not None and item.invoice_id == current.id:
            payments.append(item)
        elif isinstance(item, RefundItem) and current is not None and item.invoice_id == current.id:
            refunds.append(item)
    if current is not None:
        invoices.append(invoice_of(current, payments, refunds))
    return invoices
