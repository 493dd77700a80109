"""Stripe's webhooks for one practice: verified with the practice's own signing secret over the raw body, each event
applied once (its id claimed in the transaction of the change), payments and invoices moved only forward.

An event names its payment in the metadata we gave the PaymentIntent. Before verifying, that (unverified) metadata
only chooses what to read, together with the practice's connection, in one TransactGetItems; nothing changes unless
the signature holds, the event belongs to this practice, and it matches the payment we recorded. Calls: that read
(which brings the practice's administrators too) and the change (one TransactWriteItems) — two, whatever the size of
the practice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib import audit, clock
from chalicelib.adapters.payments import StripeEvent, unverified_route, verify_event
from chalicelib.auth.principals import Anonymous
from chalicelib.errors import DuplicateEvent, SignatureInvalid
from chalicelib.services.payments.connection import practice_keys
from chalicelib.services.payments.notices import notify_payment
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord, StaffMember
from chalicelib.tables.base import Transaction, read_together, transaction
from chalicelib.tables.organizations import Organization
from chalicelib.tables.payments import InvoiceItem, PaymentItem, PaymentsConnection

SOURCE = "stripe"
SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
CANCELED = "payment_intent.canceled"  # e.g. cancelled in Stripe's dashboard: as a failure, nothing was charged
HANDLED = frozenset({SUCCEEDED, FAILED, CANCELED})
TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Delivery:
    """What a verified event is about, as read before verifying (one call)."""

    org_id: str  # the practice the event names (empty: none of ours); verified with its secret when set
    event: StripeEvent
    ours: bool  # the metadata names a payment
    organization: Organization | None
    client: ClientRecord | None
    invoice: InvoiceItem | None
    payment: PaymentItem | None


Claim = Callable[[Transaction], None]


def read_and_verify(headers: dict[str, str], body: bytes) -> Delivery:
    """The practice an event names (its metadata), that practice's connection and the records the event is about —
    one read — then the signature, with that practice's own secret. An event that names no practice of ours cannot
    be verified and changes nothing."""
    claimed = unverified_route(body)
    org_id = claimed.get("org", "")
    if not TOKEN.match(org_id):
        return Delivery("", StripeEvent(_event_id(body), "unknown", 0, {}), False, None, None, None, None)
    pk = keys.org_pk(org_id)
    ids = [claimed.get(name, "") for name in ("client", "invoice", "payment")]
    ours = all(TOKEN.match(value) for value in ids)
    wanted: list[tuple[Any, str, str | None]] = [(PaymentsConnection, pk, keys.PAYMENTS_CONNECTION_SK)]
    if ours:
        client_id, invoice_id, payment_id = ids
        wanted += [
            (Organization, pk, keys.ORGANIZATION_SK),
            (ClientRecord, pk, keys.client_sk(client_id)),
            (InvoiceItem, pk, keys.invoice_sk(client_id, invoice_id)),
            (PaymentItem, pk, keys.payment_sk(client_id, invoice_id, payment_id)),
        ]
    found = read_together(*wanted) + [None] * 4
    if found[0] is None:
        raise SignatureInvalid("The event names a practice that has no Stripe connection here.")
    event = verify_event(practice_keys(org_id, found[0]).webhook_secret, headers.get("stripe-signature"), body)
    return Delivery(org_id, event, ours, found[1], found[2], found[3], found[4])


def _event_id(body: bytes) -> str:
    import json

    try:
        return str(json.loads(body).get("id") or "unknown")[:64]
    except (ValueError, AttributeError):
        return "unknown"


def process(delivery: Delivery, claim: Claim) -> str:
    """Apply the event (``claim`` records its id in the same transaction); say what became of it: "applied", or
    "ignored: <why>" (nothing changed). A repeat of an applied event raises ``DuplicateEvent``."""
    event = delivery.event
    if not delivery.org_id:
        return "ignored: the event names no practice of this portal"
    if event.type not in HANDLED:
        return "ignored: not an event this portal acts on"
    if not delivery.ours:
        return "ignored: not a payment of this portal"
    payment, invoice = delivery.payment, delivery.invoice
    if payment is None or invoice is None:
        return "ignored: no such invoice or payment"
    if (payment.intent_id and payment.intent_id != event.object.get("id")) or int(event.object.get("amount") or 0) != int(
        payment.amount_cents
    ):
        return "ignored: the payment does not match"
    if event.type == SUCCEEDED:
        return _succeeded(claim, delivery, payment, invoice)
    return _failed(claim, delivery, payment, invoice)


def _succeeded(claim: Claim, delivery: Delivery, payment: PaymentItem, invoice: InvoiceItem) -> str:
    if payment.status == "succeeded":
        raise DuplicateEvent()
    amount = int(payment.amount_cents)
    now = clock.now()
    paid = int(invoice.paid_cents or 0) + amount
    actions: list[Any] = [InvoiceItem.paid_cents.set(paid)]
    if payment.status in {"confirming", "requires_action"}:
        actions.append(InvoiceItem.pending_cents.set(max(0, int(invoice.pending_cents or 0) - amount)))
    if invoice.paying == payment.id:
        actions += [InvoiceItem.paying.remove(), InvoiceItem.paying_until.remove()]
    actions += _no_longer_awaiting(invoice, payment)
    fully_paid = invoice.status == "open" and paid >= int(invoice.total_cents)
    if fully_paid:
        actions += [
            InvoiceItem.status.set("paid"),
            InvoiceItem.paid_at.set(now),
            InvoiceItem.open_key.remove(),
            InvoiceItem.open_since.remove(),
        ]
    client = delivery.client
    therapist_ids = set(client.therapist_ids or []) if client else set(invoice.therapist_ids or [])
    administrators = _administrators(delivery.organization, delivery.org_id)
    payment_actions: list[Any] = [PaymentItem.therapist_ids.set(therapist_ids)] if therapist_ids else [PaymentItem.therapist_ids.remove()]
    with transaction() as tx:
        claim(tx)
        tx.update(
            payment,
            actions=[
                *payment_actions,
                PaymentItem.status.set("succeeded"),
                PaymentItem.succeeded_at.set(now),
                PaymentItem.event_id.set(delivery.event.id),
                PaymentItem.intent_id.set(str(delivery.event.object.get("id"))),
                PaymentItem.claim_until.remove(),
                PaymentItem.paid_key.set(keys.paid_feed_key(delivery.org_id)),
                PaymentItem.paid_sort.set(f"{clock.iso(now)}#{payment.id}"),
            ],
            condition=PaymentItem.status == payment.status,
            label="payment",
        )
        # The invoice as read: a concurrent change (another payment's event) cancels this one and Stripe retries.
        tx.update(invoice, actions=actions, label="invoice")
        tx.save(audit.event(_stripe(delivery.org_id), "payments.succeeded", f"payment/{payment.id}", subject_client_id=payment.client_id))
        notify_payment(tx, delivery.organization, payment, sorted(administrators | therapist_ids))
    return "applied"


def _failed(claim: Claim, delivery: Delivery, payment: PaymentItem, invoice: InvoiceItem) -> str:
    if payment.status in {"succeeded", "failed"}:
        return "ignored: the payment was already settled"
    error = delivery.event.object.get("last_payment_error") or {}
    actions: list[Any] = []
    if payment.status in {"confirming", "requires_action"}:
        actions.append(InvoiceItem.pending_cents.set(max(0, int(invoice.pending_cents or 0) - int(payment.amount_cents))))
    if invoice.paying == payment.id:
        actions += [InvoiceItem.paying.remove(), InvoiceItem.paying_until.remove()]
    actions += _no_longer_awaiting(invoice, payment)
    with transaction() as tx:
        claim(tx)
        tx.update(
            payment,
            actions=[
                PaymentItem.status.set("failed"),
                PaymentItem.failure.set(str(error.get("code") or "payment_failed")[:64]),
                PaymentItem.claim_until.remove(),
            ],
            condition=PaymentItem.status == payment.status,
            label="payment",
        )
        if actions:
            tx.update(invoice, actions=actions, label="invoice")
        tx.save(audit.event(_stripe(delivery.org_id), "payments.failed", f"payment/{payment.id}", subject_client_id=payment.client_id))
    return "applied"


def _no_longer_awaiting(invoice: InvoiceItem, payment: PaymentItem) -> list[Any]:
    if invoice.action_payment != payment.id:
        return []
    return [InvoiceItem.action_payment.remove(), InvoiceItem.action_intent.remove(), InvoiceItem.action_cents.remove()]


def _administrators(organization: Organization | None, org_id: str) -> set[str]:
    """The practice's administrators, from the practice's record the delivery already read (kept in the transactions
    that change roles; the outbox mails only those who may still sign in). A record written before it was kept
    (until scripts/backfill_dashboards.py has run: the set is missing, or holds only administrators added since, so it
    disagrees with the count) costs a Query of the staff items, which pages in a large practice."""
    recorded = set(organization.administrator_ids or ()) if organization is not None else set()
    if organization is not None and recorded and len(recorded) == int(organization.administrator_count or 0):
        return recorded  # kept beside the count: a set that disagrees with it predates the backfill
    found = StaffMember.query(
        keys.org_pk(org_id),
        StaffMember.sk.startswith(keys.STAFF_PREFIX),
        filter_condition=(StaffMember.role == "administrator") & (StaffMember.status == "active"),
    )
    return {member.id for member in found}


def _stripe(org_id: str) -> Anonymous:
    return Anonymous(org_id=org_id, id="stripe", role="system")
