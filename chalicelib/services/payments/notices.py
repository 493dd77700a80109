"""The mail a payment causes — never PHI: the practice's name and a sign-in link, no amounts, names or services.

Administrators and the client's assigned therapists each get one mail per payment; the client gets a receipt mail
whose link leads, after signing in, to the receipt. Addresses are read at delivery (a deactivated account gets
nothing). The in-app notice is the payment itself, in the staff's "Recent payments" feed.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import get_settings
from chalicelib.services import outbox
from chalicelib.services.password_links import sign_in_url
from chalicelib.tables.base import Transaction
from chalicelib.tables.payments import PaymentItem


def receipt_url(slug: str, invoice_id: str) -> str:
    return f"{get_settings().public_base_url}/o/{slug}?next=invoices/{invoice_id}"


def notify_payment(tx: Transaction, organization: Any, payment: PaymentItem, staff_ids: list[str]) -> None:
    name = str(organization.name) if organization else "your practice"
    slug = str(organization.slug) if organization else ""
    staff_params = {"practice": name, "sign_in_link": f"{sign_in_url(slug)}?next=payments"}
    for staff_id in staff_ids:
        outbox.enqueue(
            tx,
            str(payment.pk).removeprefix("ORG#"),
            outbox.Mail(to=outbox.account_address(staff_id), template="payment_received", params=staff_params),
            coalesce=f"payment_received:{payment.id}:{staff_id}",
            cooldown=outbox.ONCE,
        )
    outbox.enqueue(
        tx,
        str(payment.pk).removeprefix("ORG#"),
        outbox.Mail(
            to=outbox.account_address(payment.client_id),
            template="payment_receipt",
            params={"practice": name, "receipt_link": receipt_url(slug, payment.invoice_id)},
        ),
        coalesce=f"payment_receipt:{payment.id}",
        cooldown=outbox.ONCE,
    )
