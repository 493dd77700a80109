"""A client pays an open invoice by card.

1. ``card_setup``: Stripe.js on the payment page confirms a SetupIntent with the card details (they go to Stripe,
   never to us) and hands back a PaymentMethod id.
2. ``pay``: the PaymentIntent is created server-side for at most the balance and confirmed at once, with an
   idempotency key derived from the invoice's state, the amount and the card — so a double submit asks Stripe the
   same question twice and is charged once. Before Stripe is asked, the attempt is *claimed* here (a conditional
   write: one attempt in flight per invoice), because the fake server used offline does not replay idempotency
   keys and because two different cards must not pay the same balance at once.
3. The invoice is marked paid only from Stripe's verified ``payment_intent.succeeded`` event (``events``); until
   then the amount is *pending*: not payable again, not yet paid.

Four DynamoDB calls: the session, one TransactGetItems (connection, invoice, saved card), the claim, the record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from chalicelib import audit, clock
from chalicelib.adapters.payments import Intent, PaymentGateway
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.config import get_settings
from chalicelib.domain.payments import CardSetup, PaymentOutcome
from chalicelib.errors import Conflict, DomainError, FieldError, NotFound, PaymentDeclined, PaymentProviderFailed, ValidationFailed
from chalicelib.services.payments.connection import gateway_for
from chalicelib.services.payments.invoices import NO_INVOICE, claim_until
from chalicelib.tables import keys
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.payments import (
    InvoiceItem,
    PaymentItem,
    PaymentsConnection,
    SavedCardItem,
    payment_of,
    saved_card_of,
)

PAYMENT_METHOD = re.compile(r"^(pm|card)_[A-Za-z0-9]{6,64}$")
IN_FLIGHT = {"requires_action": "requires_action", "processing": "confirming", "succeeded": "confirming"}


@dataclass(frozen=True)
class PayRequest:
    amount_cents: int
    payment_method: str | None
    use_saved_card: bool = False
    save_card: bool = False


@dataclass(frozen=True)
class _State:
    connection: PaymentsConnection | None
    invoice: InvoiceItem
    card: SavedCardItem | None


def _read(principal: ClientPrincipal, invoice_id: str) -> _State:
    pk = keys.org_pk(principal.org_id)
    connection, invoice, card = read_together(
        (PaymentsConnection, pk, keys.PAYMENTS_CONNECTION_SK),
        (InvoiceItem, pk, keys.invoice_sk(principal.id, invoice_id)),
        (SavedCardItem, pk, keys.saved_card_sk(principal.id)),
    )
    if invoice is None or invoice.status == "draft":
        raise NotFound(NO_INVOICE)
    return _State(connection, invoice, card)


def balance_of(invoice: InvoiceItem) -> int:
    return int(invoice.total_cents) - int(invoice.paid_cents or 0) - int(invoice.pending_cents or 0)


def refuse_unpayable(invoice: InvoiceItem) -> int:
    """The balance payable now, or a clear refusal."""
    if invoice.status == "void":
        raise Conflict("This invoice was voided: there is nothing to pay.")
    if invoice.status in {"paid", "refunded"}:
        raise Conflict("This invoice is already paid.")
    balance = balance_of(invoice)
    if balance <= 0:
        raise Conflict("A payment for this invoice is being confirmed. Reload in a moment.")
    return balance


def card_setup(principal: ClientPrincipal, invoice_id: str) -> CardSetup:
    state = _read(principal, invoice_id)
    gateway = gateway_for(principal.org_id, state.connection)
    if state.invoice.action_payment:
        release_unfinished(principal, state.invoice, gateway)
    balance = refuse_unpayable(state.invoice)
    secret = gateway.setup_card()
    audit.record(principal, "payments.card_setup", f"invoice/{invoice_id}", subject_client_id=principal.id)
    assert state.connection is not None
    return CardSetup(
        client_secret=secret,
        publishable_key=state.connection.publishable_key,
        stripe_js_url=get_settings().stripe_js_url,
        balance_cents=balance,
        currency=state.invoice.currency,
        allow_partial=bool(state.connection.allow_partial),
        saved_card=saved_card_of(state.card),
    )


def release_unfinished(principal: ClientPrincipal, invoice: InvoiceItem, gateway: PaymentGateway) -> None:
    """The client starts paying again while an earlier payment still waits for their bank's authentication (they
    closed the 3-D Secure window, or it timed out): cancel it at Stripe, and only once Stripe has cancelled it, fail
    it and free its amount — in one transaction conditioned on it still waiting. One that Stripe charged meanwhile is
    left for its event, and the client is told it is being confirmed."""
    payment_id, intent_id, amount = str(invoice.action_payment), str(invoice.action_intent), int(invoice.action_cents or 0)
    try:
        ended = gateway.cancel(intent_id)
    except (PaymentProviderFailed, ValidationFailed):
        ended = gateway.retrieve(intent_id)
    if ended.status != "canceled":
        raise Conflict("Your last payment for this invoice is being confirmed. Reload in a moment.")
    pk = invoice.pk
    payment = PaymentItem(pk, keys.payment_sk(invoice.client_id, invoice.id, payment_id))
    try:
        with transaction() as tx:
            tx.update(
                payment,
                actions=[PaymentItem.status.set("failed"), PaymentItem.failure.set("authentication_abandoned")],
                condition=PaymentItem.status == "requires_action",
                add_version_condition=False,
            )
            tx.update(
                invoice,
                actions=[
                    InvoiceItem.pending_cents.add(-amount),
                    InvoiceItem.action_payment.remove(),
                    InvoiceItem.action_intent.remove(),
                    InvoiceItem.action_cents.remove(),
                ],
                condition=InvoiceItem.action_payment == payment_id,
                add_version_condition=False,
            )
            tx.save(audit.event(principal, "payments.abandoned", f"payment/{payment_id}", subject_client_id=principal.id))
    except Conflict:
        raise Conflict("Your last payment for this invoice changed meanwhile. Reload and try again.") from None
    invoice.pending_cents = max(0, int(invoice.pending_cents or 0) - amount)
    invoice.action_payment = invoice.action_intent = invoice.action_cents = None


def pay(principal: ClientPrincipal, invoice_id: str, request: PayRequest) -> PaymentOutcome:
    state = _read(principal, invoice_id)
    invoice = state.invoice
    balance = refuse_unpayable(invoice)
    _check_amount(request.amount_cents, balance, bool(state.connection and state.connection.allow_partial))
    gateway = gateway_for(principal.org_id, state.connection)
    method, customer = _card(request, state.card)
    payment_id = _payment_id(principal, invoice, request.amount_cents, method)
    payment = _claim(principal, invoice, payment_id, request.amount_cents)
    try:
        if request.save_card and not request.use_saved_card:
            customer = state.card.customer_id if state.card else gateway.ensure_customer(f"{principal.org_id}:{principal.id}")
            gateway.attach(method, customer)
        card = gateway.card_of(method)
        intent = gateway.charge(
            amount_cents=request.amount_cents,
            currency=invoice.currency,
            payment_method=method,
            customer=customer,
            metadata={"org": principal.org_id, "client": principal.id, "invoice": invoice.id, "payment": payment_id},
            idempotency_key=payment_id,
        )
    except (PaymentDeclined, ValidationFailed) as refusal:
        _record_failure(principal, invoice, payment, refusal)
        raise
    if intent.status not in IN_FLIGHT:
        # Stripe answered without charging (the card needs another payment method): as a decline.
        declined = PaymentDeclined("The card was declined. Nothing was charged.")
        _record_failure(principal, invoice, payment, declined)
        raise declined
    saved = (customer, method, card.brand, card.last4) if request.save_card and not request.use_saved_card and customer else None
    return _record(principal, invoice, payment, intent, card.brand, card.last4, saved)


def _check_amount(amount: int, balance: int, allow_partial: bool) -> None:
    if amount <= 0:
        raise ValidationFailed("Enter an amount above zero.", [FieldError("amount_cents", "Enter an amount above zero.")])
    if amount > balance:
        message = "That is more than the balance due."
        raise ValidationFailed(message, [FieldError("amount_cents", message)])
    if amount != balance and not allow_partial:
        message = "This practice takes the full balance only."
        raise ValidationFailed(message, [FieldError("amount_cents", message)])


def _card(request: PayRequest, saved: SavedCardItem | None) -> tuple[str, str | None]:
    if request.use_saved_card:
        if saved is None:
            raise ValidationFailed("No card is saved. Enter a card.", [FieldError("use_saved_card", "No card is saved.")])
        return saved.payment_method_id, saved.customer_id
    if not request.payment_method or not PAYMENT_METHOD.match(request.payment_method):
        raise ValidationFailed("Enter the card again.", [FieldError("payment_method", "Enter the card again.")])
    return request.payment_method, None


def _payment_id(principal: ClientPrincipal, invoice: InvoiceItem, amount: int, method: str) -> str:
    """The attempt's id is also its idempotency key at Stripe: the same invoice state, amount and card ask the same
    question, so a repeat cannot charge twice; a new card, or a later balance, is a new attempt."""
    basis = f"{principal.org_id}|{invoice.id}|{int(invoice.paid_cents or 0)}|{int(invoice.pending_cents or 0)}|{amount}|{method}"
    return "pay_" + hashlib.sha256(basis.encode()).hexdigest()[:24]


def _claim(principal: ClientPrincipal, invoice: InvoiceItem, payment_id: str, amount: int) -> PaymentItem:
    now = clock.now()
    now_iso = clock.iso(now)
    until = claim_until(get_settings().payment_claim_seconds)
    payment = PaymentItem(
        invoice.pk,
        keys.payment_sk(invoice.client_id, invoice.id, payment_id),
        id=payment_id,
        invoice_id=invoice.id,
        client_id=invoice.client_id,
        invoice_number=invoice.number,
        amount_cents=amount,
        currency=invoice.currency,
        status="starting",
        claim_until=until,
        started_at=now,
        therapist_ids=invoice.therapist_ids or None,
    )
    conflicts = {
        "payment": Conflict("This payment is already being processed. Reload the invoice in a moment."),
        "invoice": Conflict("Another payment for this invoice is in progress. Reload the invoice in a moment."),
    }
    with transaction(conflicts) as tx:
        tx.save(
            payment,
            # A new attempt, or one that died before Stripe answered, or a declined one (Stripe replays its answer).
            condition=PaymentItem.sk.does_not_exist()
            | ((PaymentItem.status == "starting") & (PaymentItem.claim_until < now_iso))
            | (PaymentItem.status == "failed"),
            label="payment",
        )
        tx.update(
            invoice,
            actions=[InvoiceItem.paying.set(payment_id), InvoiceItem.paying_until.set(until)],
            condition=(InvoiceItem.status == "open")
            & (InvoiceItem.paid_cents == int(invoice.paid_cents or 0))
            & (InvoiceItem.pending_cents == int(invoice.pending_cents or 0))
            & (InvoiceItem.paying.does_not_exist() | (InvoiceItem.paying_until < now_iso) | (InvoiceItem.paying == payment_id)),
            label="invoice",
            add_version_condition=False,
        )
        tx.save(audit.event(principal, "payments.start", f"payment/{payment_id}", subject_client_id=principal.id))
    return payment


def _record(
    principal: ClientPrincipal,
    invoice: InvoiceItem,
    payment: PaymentItem,
    intent: Intent,
    brand: str,
    last4: str,
    saved: tuple[str, str, str, str] | None,
) -> PaymentOutcome:
    status = IN_FLIGHT[intent.status]
    actions: list[Any] = [
        InvoiceItem.paying.remove(),
        InvoiceItem.paying_until.remove(),
        InvoiceItem.pending_cents.add(int(payment.amount_cents)),
    ]
    if status == "requires_action":  # the client's bank asks them to authenticate: remember it, to cancel if abandoned
        actions += [
            InvoiceItem.action_payment.set(payment.id),
            InvoiceItem.action_intent.set(intent.id),
            InvoiceItem.action_cents.set(int(payment.amount_cents)),
        ]
    try:
        with transaction() as tx:
            tx.update(
                payment,
                actions=[
                    PaymentItem.status.set(status),
                    PaymentItem.intent_id.set(intent.id),
                    PaymentItem.card_brand.set(brand),
                    PaymentItem.card_last4.set(last4),
                    PaymentItem.claim_until.remove(),
                ],
                condition=PaymentItem.status == "starting",
                label="payment",
            )
            tx.update(invoice, actions=actions, condition=InvoiceItem.paying == payment.id, label="invoice", add_version_condition=False)
            if saved is not None:
                customer, method, saved_brand, saved_last4 = saved
                tx.save(
                    SavedCardItem(
                        invoice.pk,
                        keys.saved_card_sk(principal.id),
                        customer_id=customer,
                        payment_method_id=method,
                        brand=saved_brand,
                        last4=saved_last4,
                        saved_at=clock.now(),
                    )
                )
    except Conflict:
        # Stripe's event got here first (the payment is already succeeded or failed): nothing left to record.
        pass
    payment.status, payment.intent_id, payment.card_brand, payment.card_last4 = status, intent.id, brand, last4
    return PaymentOutcome(payment=payment_of(payment), client_secret=intent.client_secret if status == "requires_action" else None)


def _record_failure(principal: ClientPrincipal, invoice: InvoiceItem, payment: PaymentItem, refusal: DomainError) -> None:
    """A declined card: the attempt is failed and the invoice free for another card; nothing was charged."""
    try:
        with transaction() as tx:
            tx.update(
                payment,
                actions=[PaymentItem.status.set("failed"), PaymentItem.failure.set(refusal.type), PaymentItem.claim_until.remove()],
                condition=PaymentItem.status == "starting",
            )
            tx.update(
                invoice,
                actions=[InvoiceItem.paying.remove(), InvoiceItem.paying_until.remove()],
                condition=InvoiceItem.paying == payment.id,
                add_version_condition=False,
            )
    except Conflict:
        pass


def forget_saved_card(principal: ClientPrincipal) -> None:
    """The client removes their saved card; the next payment asks for a card again."""
    with transaction() as tx:
        tx.delete(SavedCardItem(keys.org_pk(principal.org_id), keys.saved_card_sk(principal.id)))
        tx.save(audit.event(principal, "payments.forget_card", "portal/saved-card", subject_client_id=principal.id))
