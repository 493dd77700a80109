"""Invoices, payments and refunds as staff and clients see them. Money is integer cents in the practice's currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    service_date: str | None  # ISO date
    amount_cents: int


@dataclass(frozen=True)
class Payment:
    id: str
    invoice_id: str
    client_id: str
    invoice_number: int | None
    amount_cents: int
    currency: str
    status: str  # "starting" | "confirming" | "requires_action" | "succeeded" | "failed"
    card_brand: str | None
    card_last4: str | None
    refunded_cents: int
    failure: str | None
    started_at: datetime
    succeeded_at: datetime | None


@dataclass(frozen=True)
class Refund:
    id: str
    payment_id: str
    amount_cents: int
    status: str
    created_at: datetime


@dataclass(frozen=True)
class BillableAppointment:
    """An appointment an invoice may bill: attended, a no-show or late-cancelled, and on no invoice yet."""

    id: str
    start: datetime
    time_zone: str  # the therapist's, when booked
    service_name: str
    therapist_name: str
    status: str
    price_cents: int | None


@dataclass(frozen=True)
class Invoice:
    id: str
    client_id: str
    number: int | None
    status: str  # "draft" | "open" | "paid" | "refunded" | "void"
    lines: tuple[InvoiceLine, ...]
    notes: str | None
    currency: str
    total_cents: int
    paid_cents: int
    pending_cents: int
    refunded_cents: int
    created_at: datetime
    issued_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    version: int
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    appointment_ids: tuple[str, ...] = ()  # the appointments it bills
    awaiting_action: bool = False  # a payment waits for the cardholder's bank authentication (3-D Secure)

    @property
    def balance_cents(self) -> int:
        """What the client still owes: payable now unless a payment is being confirmed."""
        if self.status != "open":
            return 0
        return max(0, self.total_cents - self.paid_cents - self.pending_cents)


@dataclass(frozen=True)
class InvoicePage:
    items: list[Invoice]
    next_cursor: str | None
    client_names: dict[str, str] = field(default_factory=dict)  # the practice-wide lists name their clients


@dataclass(frozen=True)
class Connection:
    connected: bool
    publishable_key: str | None = None
    key_hint: str | None = None
    live: bool = False
    currency: str = "usd"
    allow_partial: bool = False
    connected_at: datetime | None = None
    version: int = 0
    webhook_url: str | None = None


@dataclass(frozen=True)
class SavedCard:
    brand: str
    last4: str


@dataclass(frozen=True)
class CardSetup:
    """What the payment page needs to collect a card with Stripe.js."""

    client_secret: str
    publishable_key: str
    stripe_js_url: str
    balance_cents: int
    currency: str
    allow_partial: bool
    saved_card: SavedCard | None


@dataclass(frozen=True)
class PaymentOutcome:
    payment: Payment
    # Set when the card asks the client to authenticate: Stripe.js completes it with this secret.
    client_secret: str | None = None
