"""Matrix examples: invoices (staff), paying them (clients), the practice's Stripe connection, Stripe's webhook.

The practice is connected to the embedded fake Stripe server on first use; every example makes its own invoice."""

from __future__ import annotations

from typing import Any

from scripts import fake_stripe
from tests.api.matrix.world import Call, Example, World
from tests.api.payments_world import (
    PUBLISHABLE_KEY,
    connect,
    deliver,
    install_fake_stripe,
    issue,
    secret_key,
    webhook_secret,
)

LINES = {"lines": [{"description": "Session", "service_date": "2026-11-20", "amount_cents": 15000}]}


def _connected(world: World) -> None:
    install_fake_stripe()
    if not world.admin().get("/api/payments/connection").json["connected"]:
        connect(world.practice, admin=world.admin())


def _invoice(world: World) -> str:
    _connected(world)
    return str(issue(world.admin(), world.client_id)["id"])


def _draft(world: World) -> str:
    created = world.admin().post(f"/api/clients/{world.client_id}/invoices", LINES)
    assert created.status == 201, created.json
    return str(created.json["id"])


def _card(world: World, invoice_id: str) -> str:
    setup = world.browser("client").post(f"/api/portal/invoices/{invoice_id}/card-setup")
    assert setup.status == 200, setup.json
    return fake_stripe.confirm_card_setup(fake_stripe.FakeStripe.shared().url, setup.json["client_secret"], PUBLISHABLE_KEY)


def _payment(world: World) -> tuple[str, str, dict[str, Any]]:
    """A payment the client made and Stripe took (not yet confirmed): the invoice, the payment, the intent."""
    invoice_id = _invoice(world)
    paid = world.browser("client").post(
        f"/api/portal/invoices/{invoice_id}/payments", {"amount_cents": 15000, "payment_method": _card(world, invoice_id)}
    )
    assert paid.status == 201, paid.json
    from chalicelib.tables import keys
    from chalicelib.tables.payments import PaymentItem

    payment_id = str(paid.json["payment"]["id"])
    stored = PaymentItem.get(keys.org_pk(world.practice.org_id), keys.payment_sk(world.client_id, invoice_id, payment_id))
    intent = fake_stripe.intent(fake_stripe.FakeStripe.shared().url, stored.intent_id, secret_key(world.practice))
    return invoice_id, payment_id, intent


def _received(world: World) -> tuple[str, str]:
    invoice_id, payment_id, intent = _payment(world)
    headers, body = fake_stripe.signed_event(
        webhook_secret(world.practice), "payment_intent.succeeded", intent, event_id=f"evt_{payment_id}"
    )
    assert deliver(world.practice, headers, body).json["outcome"] == "applied"
    return invoice_id, payment_id


def _refund(world: World, caller: str) -> Call:
    invoice_id, payment_id = _received(world)
    return Call({"client_id": world.client_id, "invoice_id": invoice_id}, {"payment_id": payment_id, "amount_cents": 1000})


def _pay(world: World, caller: str) -> Call:
    invoice_id = _invoice(world)
    return Call({"invoice_id": invoice_id}, {"amount_cents": 15000, "payment_method": _card(world, invoice_id)})


def _connection(world: World, caller: str) -> Call:
    install_fake_stripe()
    practice = world.other if caller == "other practice's administrator" else world.practice
    return Call(body={"secret_key": secret_key(practice), "publishable_key": PUBLISHABLE_KEY, "webhook_secret": webhook_secret(practice)})


def _event(world: World, caller: str) -> Call:
    """Stripe's event, signed over exactly the bytes the matrix's browser sends (``json.dumps`` of the body)."""
    import json

    _, payment_id, intent = _payment(world)
    headers, body = fake_stripe.signed_event(
        webhook_secret(world.practice), "payment_intent.succeeded", intent, event_id=f"evt_{payment_id}"
    )
    payload = json.loads(body)
    assert json.dumps(payload).encode() == body
    return Call(body=payload, headers={"stripe-signature": headers["stripe-signature"]})


def _client_invoice(world: World, caller: str) -> Call:
    return Call({"client_id": world.client_id, "invoice_id": _invoice(world)})


EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/clients/{client_id}/invoices"): lambda w, c: Call({"client_id": w.client_id}),
    ("POST", "/api/clients/{client_id}/invoices"): lambda w, c: Call({"client_id": w.client_id}, LINES),
    ("GET", "/api/clients/{client_id}/billable-appointments"): lambda w, c: Call({"client_id": w.client_id}),
    ("GET", "/api/clients/{client_id}/invoices/{invoice_id}"): _client_invoice,
    ("POST", "/api/clients/{client_id}/invoices/{invoice_id}/issue"): lambda w, c: Call(
        {"client_id": w.client_id, "invoice_id": _draft(w)}
    ),
    ("POST", "/api/clients/{client_id}/invoices/{invoice_id}/void"): _client_invoice,
    ("GET", "/api/clients/{client_id}/invoices/{invoice_id}/pdf"): _client_invoice,
    ("POST", "/api/clients/{client_id}/invoices/{invoice_id}/refunds"): _refund,
    ("GET", "/api/payments/connection"): lambda w, c: Call(),
    ("PUT", "/api/payments/connection"): _connection,
    ("GET", "/api/payments/open-invoices"): lambda w, c: Call(),
    ("GET", "/api/payments/recent"): lambda w, c: Call(),
    ("GET", "/api/portal/invoices"): lambda w, c: Call(),
    ("GET", "/api/portal/invoices/{invoice_id}"): lambda w, c: Call({"invoice_id": _invoice(w)}),
    ("GET", "/api/portal/invoices/{invoice_id}/pdf"): lambda w, c: Call({"invoice_id": _invoice(w)}),
    ("POST", "/api/portal/invoices/{invoice_id}/card-setup"): lambda w, c: Call({"invoice_id": _invoice(w)}),
    ("POST", "/api/portal/invoices/{invoice_id}/payments"): _pay,
    ("DELETE", "/api/portal/saved-card"): lambda w, c: Call(),
    ("POST", "/api/webhooks/stripe"): _event,
}
