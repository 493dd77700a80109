"""Request and response models of invoices and payments, shared by the staff, portal and practice-wide routes.
Money is integer cents (strict: a float or a string is refused, never rounded)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from chalicelib.domain.payments import BillableAppointment, CardSetup, Connection, Invoice, InvoiceLine, Payment, PaymentOutcome, Refund
from chalicelib.handlers.api import Strict, View
from chalicelib.text import Line


class PageQuery(Strict):
    cursor: str | None = Field(default=None, max_length=2048)


class LineInput(Strict):
    description: Line = Field(min_length=1, max_length=200)
    service_date: date | None = None
    amount_cents: int = Field(strict=True, description="Integer cents, above zero.")

    def line(self) -> InvoiceLine:
        return InvoiceLine(self.description.strip(), self.service_date.isoformat() if self.service_date else None, self.amount_cents)


class InvoiceRequest(Strict):
    lines: list[LineInput] = Field(min_length=1, max_length=50)
    appointment_ids: list[str] = Field(
        default_factory=list, max_length=50, description="The client's attended, no-show or late-cancelled appointments it bills."
    )
    notes: str | None = Field(default=None, max_length=2000)


class LineView(View):
    description: str
    service_date: str | None
    amount_cents: int


class PaymentView(View):
    id: str
    invoice_id: str
    client_id: str
    invoice_number: int | None
    amount_cents: int
    currency: str
    status: Literal["starting", "confirming", "requires_action", "succeeded", "failed"]
    card_brand: str | None
    card_last4: str | None
    refunded_cents: int
    started_at: datetime
    succeeded_at: datetime | None

    @classmethod
    def of(cls, payment: Payment) -> PaymentView:
        return cls.model_validate(payment, from_attributes=True)


class RefundView(View):
    id: str
    payment_id: str
    amount_cents: int
    status: str
    created_at: datetime

    @classmethod
    def of(cls, refund: Refund) -> RefundView:
        return cls.model_validate(refund, from_attributes=True)


class InvoiceView(View):
    id: str
    client_id: str
    number: int | None
    status: Literal["draft", "open", "paid", "refunded", "void"]
    lines: list[LineView]
    notes: str | None
    currency: str
    total_cents: int
    paid_cents: int
    pending_cents: int
    refunded_cents: int
    balance_cents: int
    created_at: datetime
    issued_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    payments: list[PaymentView]
    refunds: list[RefundView]
    appointment_ids: list[str]
    awaiting_action: bool = Field(description="A payment waits for the cardholder's bank to confirm it (3-D Secure).")

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceView:
        return cls(
            id=invoice.id,
            client_id=invoice.client_id,
            number=invoice.number,
            status=invoice.status,  # type: ignore[arg-type]
            lines=[LineView(description=x.description, service_date=x.service_date, amount_cents=x.amount_cents) for x in invoice.lines],
            notes=invoice.notes,
            currency=invoice.currency,
            total_cents=invoice.total_cents,
            paid_cents=invoice.paid_cents,
            pending_cents=invoice.pending_cents,
            refunded_cents=invoice.refunded_cents,
            balance_cents=invoice.balance_cents,
            created_at=invoice.created_at,
            issued_at=invoice.issued_at,
            paid_at=invoice.paid_at,
            voided_at=invoice.voided_at,
            payments=[PaymentView.of(p) for p in invoice.payments],
            refunds=[RefundView.of(r) for r in invoice.refunds],
            appointment_ids=list(invoice.appointment_ids),
            awaiting_action=invoice.awaiting_action,
        )


class InvoicePageView(View):
    items: list[InvoiceView]
    next_cursor: str | None
    client_names: dict[str, str] = Field(default_factory=dict, description="The clients' names (the open-invoices list)")


class PaymentPageView(View):
    items: list[PaymentView]
    next_cursor: str | None


class ConnectionRequest(Strict):
    """The practice's own Stripe keys. Left out on a later save, a key stays as it was; keys are never returned."""

    secret_key: str | None = Field(default=None, max_length=255, description="A restricted key (rk_…) or secret key (sk_…).")
    publishable_key: str | None = Field(default=None, max_length=255)
    webhook_secret: str | None = Field(default=None, max_length=255, description="The webhook endpoint's signing secret.")
    allow_partial: bool = False
    currency: Literal["usd", "cad", "eur", "gbp", "aud", "nzd"] = "usd"


class ConnectionView(View):
    connected: bool
    publishable_key: str | None
    key_hint: str | None
    live: bool
    currency: str
    allow_partial: bool
    connected_at: datetime | None
    webhook_url: str | None

    @classmethod
    def of(cls, connection: Connection) -> ConnectionView:
        return cls.model_validate(connection, from_attributes=True)


class SavedCardView(View):
    brand: str
    last4: str


class CardSetupView(View):
    client_secret: str
    publishable_key: str
    stripe_js_url: str
    balance_cents: int
    currency: str
    allow_partial: bool
    saved_card: SavedCardView | None

    @classmethod
    def of(cls, setup: CardSetup) -> CardSetupView:
        return cls.model_validate(setup, from_attributes=True)


class PayRequest(Strict):
    amount_cents: int = Field(strict=True, description="Integer cents: the balance, or less where the practice allows it.")
    payment_method: str | None = Field(default=None, max_length=80, description="The PaymentMethod Stripe.js returned.")
    use_saved_card: bool = False
    save_card: bool = False


class PaymentOutcomeView(View):
    payment: PaymentView
    client_secret: str | None = Field(description="Only when the card asks the client to authenticate (Stripe.js completes it).")

    @classmethod
    def of(cls, outcome: PaymentOutcome) -> PaymentOutcomeView:
        return cls(payment=PaymentView.of(outcome.payment), client_secret=outcome.client_secret)


class RefundRequest(Strict):
    payment_id: Line = Field(min_length=1, max_length=64)
    amount_cents: int = Field(strict=True)


class BillableAppointmentView(View):
    id: str
    start: datetime
    time_zone: str
    service_name: str
    therapist_name: str
    status: Literal["attended", "no_show", "late_cancelled"]
    price_cents: int | None

    @classmethod
    def of(cls, item: BillableAppointment) -> BillableAppointmentView:
        return cls(
            id=item.id,
            start=item.start,
            time_zone=item.time_zone,
            service_name=item.service_name,
            therapist_name=item.therapist_name,
            status=item.status,  # type: ignore[arg-type]
            price_cents=item.price_cents,
        )


class BillableAppointmentsView(View):
    items: list[BillableAppointmentView]
