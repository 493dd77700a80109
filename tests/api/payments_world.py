"""Helpers for the payments tests and matrix examples: a practice connected to the embedded fake Stripe server
(localstripe, scripts/fake_stripe.py), invoices issued through the API, a card entered as Stripe.js would, and
Stripe's events delivered signed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters.payments import PracticeKeys, StripeGateway
from scripts import fake_stripe
from tests.conftest import Browser, Practice, add_client, open_portal_account

PUBLISHABLE_KEY = "pk_test_portal_tests"


def secret_key(practice: Practice) -> str:
    return f"sk_test_{practice.slug}_portal_tests"


def webhook_secret(practice: Practice) -> str:
    return f"whsec_{practice.slug}_portal_tests"


class QuietGateway(StripeGateway):
    """The real adapter against the fake server, minus webhook registration: the tests deliver Stripe's events
    themselves (the fake server would post them to the test stage's made-up host)."""

    def announce_webhook(self, org_id: str, url: str, secret: str) -> None:
        return None


def install_fake_stripe() -> str:
    from chalicelib.adapters.payments import use_payments

    url = fake_stripe.FakeStripe.shared().url

    def gateway(keys: PracticeKeys) -> StripeGateway:
        return QuietGateway(keys, url)

    use_payments(gateway)
    return url


def connect(practice: Practice, *, allow_partial: bool = False, admin: Browser | None = None) -> None:
    answer = (admin or practice.admin).put(
        "/api/payments/connection",
        {
            "secret_key": secret_key(practice),
            "publishable_key": PUBLISHABLE_KEY,
            "webhook_secret": webhook_secret(practice),
            "allow_partial": allow_partial,
        },
    )
    assert answer.status == 200, answer.json


@dataclass
class Billed:
    """A client with a portal account and an invoice issued to them."""

    practice: Practice
    client_id: str
    client: Browser
    invoice: dict[str, Any]

    @property
    def invoice_id(self) -> str:
        return str(self.invoice["id"])


def issue(staff: Browser, client_id: str, amounts: tuple[int, ...] = (15000,)) -> dict[str, Any]:
    lines = [{"description": f"Session {i + 1}", "service_date": "2026-11-20", "amount_cents": amount} for i, amount in enumerate(amounts)]
    created = staff.post(f"/api/clients/{client_id}/invoices", {"lines": lines})
    assert created.status == 201, created.json
    issued = staff.post(f"/api/clients/{client_id}/invoices/{created.json['id']}/issue")
    assert issued.status == 200, issued.json
    return dict(issued.json)


def billed_client(
    practice: Practice,
    staff: Browser | None = None,
    *,
    email: str = "jordan@example.test",
    amounts: tuple[int, ...] = (15000,),
    therapist_ids: list[str] | None = None,
) -> Billed:
    staff = staff or practice.admin
    fields: dict[str, Any] = {"email": email}
    if therapist_ids:
        fields["therapist_ids"] = therapist_ids
    client_id = add_client(staff, "Jordan Lee", **fields)["id"]
    person = open_portal_account(practice, staff, client_id, email)
    return Billed(practice, client_id, person, issue(staff, client_id, amounts))


def card(client: Browser, invoice_id: str, number: str = fake_stripe.TEST_CARD) -> str:
    """The payment page's card step: a SetupIntent from the portal, confirmed at "Stripe" as Stripe.js does."""
    setup = client.post(f"/api/portal/invoices/{invoice_id}/card-setup")
    assert setup.status == 200, setup.json
    return fake_stripe.confirm_card_setup(fake_stripe.FakeStripe.shared().url, setup.json["client_secret"], PUBLISHABLE_KEY, number)


def pay(billed: Billed, amount: int | None = None, method: str | None = None, **extra: Any) -> Any:
    method = method or card(billed.client, billed.invoice_id)
    body = {"amount_cents": billed.invoice["balance_cents"] if amount is None else amount, "payment_method": method, **extra}
    return billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/payments", body)


def stored_payment(practice: Practice, billed: Billed, payment_id: str) -> Any:
    from chalicelib.tables import keys
    from chalicelib.tables.payments import PaymentItem

    return PaymentItem.get(
        keys.org_pk(practice.org_id), keys.payment_sk(billed.client_id, billed.invoice_id, payment_id), consistent_read=True
    )


def stored_invoice(practice: Practice, client_id: str, invoice_id: str) -> Any:
    from chalicelib.tables import keys
    from chalicelib.tables.payments import InvoiceItem

    return InvoiceItem.get(keys.org_pk(practice.org_id), keys.invoice_sk(client_id, invoice_id), consistent_read=True)


def payments_of(practice: Practice, client_id: str) -> list[Any]:
    from chalicelib.services.payments.invoices import query_history
    from chalicelib.tables import keys
    from chalicelib.tables.payments import PaymentItem

    items, _ = query_history(keys.org_pk(practice.org_id), keys.client_invoices_prefix(client_id), None, limit=500)
    return [item for item in items if isinstance(item, PaymentItem)]


def succeeded_event(
    practice: Practice, billed: Billed, payment_id: str, *, event_id: str | None = None, at: int | None = None, secret: str | None = None
) -> tuple[dict[str, str], bytes]:
    """Stripe's ``payment_intent.succeeded`` for the payment: the PaymentIntent as the fake server has it, signed
    with the practice's endpoint secret."""
    intent_id = stored_payment(practice, billed, payment_id).intent_id
    data = fake_stripe.intent(fake_stripe.FakeStripe.shared().url, intent_id, secret_key(practice))
    return fake_stripe.signed_event(
        secret or webhook_secret(practice), "payment_intent.succeeded", data, event_id=event_id or f"evt_{payment_id}", at=at
    )


def deliver(practice: Practice, headers: dict[str, str], body: bytes) -> Any:
    from tests.conftest import Response

    result = practice.client.http.post("/api/webhooks/stripe", headers=headers, body=body)
    return Response(result.status_code, {k.lower(): v for k, v in result.headers.items()}, result.body)


def paid(billed: Billed) -> Any:
    """Pay the whole balance and deliver Stripe's event: the invoice is paid."""
    answer = pay(billed)
    assert answer.status == 201, answer.json
    delivered = deliver(billed.practice, *succeeded_event(billed.practice, billed, answer.json["payment"]["id"]))
    assert delivered.status == 200 and delivered.json["outcome"] == "applied", delivered.json
    return answer.json["payment"]


@contextmanager
def dynamodb_calls() -> Iterator[list[str]]:
    """The DynamoDB operations made inside the block (every model and transaction shares one botocore client)."""
    from chalicelib.tables.base import connection

    calls: list[str] = []
    events = connection().client.meta.events

    def count(**kwargs: Any) -> None:
        calls.append(str(kwargs["model"].name))

    events.register("before-call.dynamodb", count, unique_id="payments-test-counter")
    try:
        yield calls
    finally:
        events.unregister("before-call.dynamodb", unique_id="payments-test-counter")


def body_of(response: Any) -> Any:
    return json.loads(response.body)
