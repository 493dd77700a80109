"""Refunds, by an administrator, of a received payment — in full or in part, never more than was paid.

Like paying: the refund is claimed here first (its id derives from the payment, what was refunded before and the
amount — also Stripe's idempotency key), then Stripe is asked, then the ledger records it. A repeat of the same
request is refused here and, at Stripe, replayed rather than refunded twice. Calls: the session, one
TransactGetItems (client, connection, invoice, payment), the claim, the record — four.
"""

from __future__ import annotations

import hashlib
from typing import Any

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.payments import Refund
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services.payments.connection import gateway_for
from chalicelib.services.payments.invoices import NO_INVOICE
from chalicelib.services.visibility import checked
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.payments import InvoiceItem, PaymentItem, PaymentsConnection, RefundItem, refund_of


def refund(principal: StaffPrincipal, client_id: str, invoice_id: str, payment_id: str, amount_cents: int) -> Refund:
    pk = keys.org_pk(principal.org_id)
    client, connection, invoice, payment = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)),
        (PaymentsConnection, pk, keys.PAYMENTS_CONNECTION_SK),
        (InvoiceItem, pk, keys.invoice_sk(client_id, invoice_id)),
        (PaymentItem, pk, keys.payment_sk(client_id, invoice_id, payment_id)),
    )
    checked(principal, client, client_id)
    if invoice is None:
        raise NotFound(NO_INVOICE)
    if payment is None:
        raise NotFound("No such payment on this invoice.")
    if payment.status != "succeeded" or not payment.intent_id:
        raise Conflict("Only a received payment can be refunded.")
    refunded = int(payment.refunded_cents or 0)
    refundable = int(payment.amount_cents) - refunded
    if amount_cents <= 0:
        raise ValidationFailed("Enter an amount above zero.", [FieldError("amount_cents", "Enter an amount above zero.")])
    if amount_cents > refundable:
        message = "That is more than is left to refund of this payment." if refundable else "This payment was refunded in full."
        raise ValidationFailed(message, [FieldError("amount_cents", message)])
    gateway = gateway_for(principal.org_id, connection)
    refund_id = "ref_" + hashlib.sha256(f"{principal.org_id}|{payment.id}|{refunded}|{amount_cents}".encode()).hexdigest()[:24]
    item = RefundItem(
        pk,
        keys.refund_sk(client_id, invoice_id, refund_id),
        id=refund_id,
        invoice_id=invoice_id,
        payment_id=payment.id,
        amount_cents=amount_cents,
        status="starting",
        created_at=clock.now(),
        created_by=principal.id,
    )
    with transaction({"refund": Conflict("This refund is already being made.")}) as tx:
        tx.save(item, condition=RefundItem.sk.does_not_exist() | (RefundItem.status == "starting"), label="refund")
        tx.save(audit.event(principal, "payments.refund_start", f"refund/{refund_id}", subject_client_id=client_id))
    result = gateway.refund(intent_id=payment.intent_id, amount_cents=amount_cents, idempotency_key=refund_id)
    status = "succeeded" if result.status == "succeeded" else ("failed" if result.status in {"failed", "canceled"} else "pending")
    changed = Conflict("This payment changed in the meantime. Reload and check before refunding again.")
    with transaction({"payment": changed}) as tx:
        tx.update(
            item,
            actions=[RefundItem.status.set(status), RefundItem.stripe_refund_id.set(result.id)],
            condition=RefundItem.status == "starting",
        )
        if status != "failed":
            tx.update(
                payment,
                actions=[PaymentItem.refunded_cents.set(refunded + amount_cents)],
                condition=PaymentItem.refunded_cents == refunded
                if payment.refunded_cents is not None
                else PaymentItem.refunded_cents.does_not_exist(),
                label="payment",
            )
            total_refunded = int(invoice.refunded_cents or 0) + amount_cents
            actions: list[Any] = [InvoiceItem.refunded_cents.add(amount_cents)]
            if invoice.status == "paid" and total_refunded >= int(invoice.paid_cents or 0):
                actions.append(InvoiceItem.status.set("refunded"))
            tx.update(invoice, actions=actions, add_version_condition=False)
        tx.save(audit.event(principal, "payments.refund", f"refund/{refund_id}", subject_client_id=client_id))
    item.status, item.stripe_refund_id = status, result.id
    return refund_of(item)
