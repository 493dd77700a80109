"""Reconciliation: what Stripe says about a practice's PaymentIntents against what the ledger recorded.

A maintenance command (``python -m scripts.reconcile_payments``), not a route: it reads the practice's whole payment
history for the period (Stripe's list and one paged Query of the ledger).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.adapters.payments import Intent
from chalicelib.services.payments.connection import gateway_for
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_none
from chalicelib.tables.payments import InvoiceItem, PaymentItem, PaymentsConnection

STUCK_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Difference:
    kind: str  # "missing_in_ledger" | "not_received_at_stripe" | "amount_differs" | "unconfirmed"
    intent_id: str | None
    payment_id: str | None
    detail: str


def reconcile(org_id: str, since: datetime) -> list[Difference]:
    connection = get_or_none(PaymentsConnection, keys.org_pk(org_id), keys.PAYMENTS_CONNECTION_SK)
    gateway = gateway_for(org_id, connection)
    at_stripe: dict[str, Intent] = {
        intent.id: intent for intent in gateway.intents_since(int(since.timestamp())) if intent.metadata.get("org") == org_id
    }
    ledger = [p for p in _ledger(org_id) if p.started_at >= since]
    by_intent = {p.intent_id: p for p in ledger if p.intent_id}
    by_payment = {p.id: p for p in ledger}
    differences: list[Difference] = []
    for intent in at_stripe.values():
        payment = by_intent.get(intent.id) or by_payment.get(intent.metadata.get("payment", ""))
        if intent.status == "succeeded" and (payment is None or payment.status != "succeeded"):
            state = payment.status if payment else "no record"
            differences.append(
                Difference("missing_in_ledger", intent.id, payment.id if payment else None, f"Stripe: succeeded; ledger: {state}")
            )
        elif payment is not None and int(payment.amount_cents) != intent.amount:
            differences.append(
                Difference("amount_differs", intent.id, payment.id, f"Stripe: {intent.amount}; ledger: {int(payment.amount_cents)}")
            )
    now = clock.now()
    for payment in ledger:
        found = at_stripe.get(payment.intent_id or "")
        if payment.status == "succeeded" and (found is None or found.status != "succeeded"):
            state = found.status if found else "no PaymentIntent"
            differences.append(Difference("not_received_at_stripe", payment.intent_id, payment.id, f"ledger: succeeded; Stripe: {state}"))
        elif payment.status in {"starting", "confirming", "requires_action"} and now - payment.started_at > STUCK_AFTER:
            differences.append(
                Difference("unconfirmed", payment.intent_id, payment.id, f"ledger: {payment.status} since {clock.iso(payment.started_at)}")
            )
    return differences


def _ledger(org_id: str) -> list[PaymentItem]:
    payments: list[PaymentItem] = []
    start = None
    while True:
        answer = InvoiceItem._get_connection().query(
            keys.org_pk(org_id), range_key_condition=InvoiceItem.sk.startswith("INV#"), exclusive_start_key=start
        )
        payments += [PaymentItem.from_raw_data(raw) for raw in answer.get("Items", []) if raw.get("kind", {}).get("S") == "payment"]
        start = answer.get("LastEvaluatedKey")
        if not start:
            return payments
