"""Cards whose bank asks the cardholder to authenticate (3-D Secure): the payment is pending while it waits; a client
who abandons the bank's window and pays again gets the unfinished payment cancelled at Stripe and its amount freed —
only if Stripe did cancel it — and Stripe's cancellation event does the same."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.config import Settings
from scripts import fake_stripe
from tests.api.payments_world import (
    PUBLISHABLE_KEY,
    Billed,
    billed_client,
    card,
    connect,
    deliver,
    install_fake_stripe,
    pay,
    secret_key,
    stored_invoice,
    stored_payment,
    webhook_secret,
)
from tests.conftest import Practice, audit_trail


@pytest.fixture
def billed(practice: Practice, settings: Settings) -> Iterator[Billed]:
    from chalicelib.adapters.payments import use_payments

    install_fake_stripe()
    connect(practice)
    yield billed_client(practice)
    use_payments(None)


def waiting_payment(billed: Billed) -> Any:
    """The client pays with a card whose bank wants authentication, and closes the bank's window."""
    answer = pay(billed, method=card(billed.client, billed.invoice_id, fake_stripe.THREE_D_SECURE_CARD))
    assert answer.status == 201, answer.json
    assert answer.json["payment"]["status"] == "requires_action" and answer.json["client_secret"]
    return answer.json


def stripe_status(billed: Billed, payment_id: str) -> str:
    intent_id = stored_payment(billed.practice, billed, payment_id).intent_id
    return str(fake_stripe.intent(fake_stripe.FakeStripe.shared().url, intent_id, secret_key(billed.practice))["status"])


def test_a_payment_waiting_for_the_bank_is_pending_and_the_invoice_says_so(billed: Billed) -> None:
    waiting_payment(billed)

    invoice = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}").json

    assert invoice["awaiting_action"] is True and invoice["pending_cents"] == 15000 and invoice["balance_cents"] == 0


def test_paying_again_cancels_the_unfinished_payment_and_frees_its_amount(billed: Billed) -> None:
    # Given a payment abandoned at the bank's window
    waiting = waiting_payment(billed)
    payment_id = waiting["payment"]["id"]

    # When the client opens the payment page again
    setup = billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/card-setup")

    # Then Stripe cancelled it, it is failed, the whole balance is payable again, and it is audited
    assert setup.status == 200, setup.json
    assert setup.json["balance_cents"] == 15000
    assert stripe_status(billed, payment_id) == "canceled"
    assert stored_payment(billed.practice, billed, payment_id).status == "failed"
    invoice = stored_invoice(billed.practice, billed.client_id, billed.invoice_id)
    assert int(invoice.pending_cents) == 0 and invoice.action_payment is None
    assert ("payments.abandoned", "success") in [(e.action, e.outcome) for e in audit_trail(billed.practice.org_id)]
    # And a card that needs no authentication then pays it
    again = pay(billed)
    assert again.status == 201 and again.json["payment"]["status"] == "confirming", again.json


def test_a_payment_the_bank_confirmed_meanwhile_is_not_released(billed: Billed) -> None:
    # Given the cardholder did authenticate, and Stripe charged the card, before its event arrived
    waiting = waiting_payment(billed)
    url = fake_stripe.FakeStripe.shared().url
    fake_stripe.authenticate(url, waiting["client_secret"], PUBLISHABLE_KEY, success=True)

    # When the client opens the payment page again
    setup = billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/card-setup")

    # Then they are told it is being confirmed, and nothing was freed: no second charge can start
    assert setup.status == 409, setup.json
    assert stripe_status(billed, waiting["payment"]["id"]) == "succeeded"
    invoice = stored_invoice(billed.practice, billed.client_id, billed.invoice_id)
    assert int(invoice.pending_cents) == 15000 and invoice.action_payment == waiting["payment"]["id"]


def test_stripes_cancellation_event_frees_the_amount(billed: Billed) -> None:
    # Given a waiting payment that is cancelled at Stripe (from its dashboard, say)
    waiting = waiting_payment(billed)
    payment = stored_payment(billed.practice, billed, waiting["payment"]["id"])
    url = fake_stripe.FakeStripe.shared().url
    from chalicelib.adapters.payments import PracticeKeys, StripeGateway

    StripeGateway(PracticeKeys(billed.practice.org_id, 0, secret_key(billed.practice), webhook_secret(billed.practice)), url).cancel(
        payment.intent_id
    )

    # When Stripe's payment_intent.canceled event arrives
    data = fake_stripe.intent(url, payment.intent_id, secret_key(billed.practice))
    delivered = deliver(
        billed.practice,
        *fake_stripe.signed_event(webhook_secret(billed.practice), "payment_intent.canceled", data, event_id="evt_canceled_1"),
    )

    # Then the payment is failed, and the invoice is payable again
    assert delivered.status == 200 and delivered.json["outcome"] == "applied", delivered.json
    assert stored_payment(billed.practice, billed, payment.id).status == "failed"
    invoice = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}").json
    assert invoice["awaiting_action"] is False and invoice["balance_cents"] == 15000
