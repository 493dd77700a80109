"""Payments, practice-wide: the practice's Stripe connection, its open invoices, received payments, and Stripe's
webhook."""

from __future__ import annotations

from typing import Any

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Received, Router, VerifiedEvent, claim_event, endpoint, webhook
from chalicelib.handlers.payment_views import (
    ConnectionRequest,
    ConnectionView,
    InvoicePageView,
    InvoiceView,
    PageQuery,
    PaymentPageView,
    PaymentView,
)
from chalicelib.services.payments import connection, events, invoices

router = Router(__name__)


class StripeEventAnswer(Received):
    outcome: str = "applied"


@endpoint(router, "/payments/connection", "GET", access=Access.ADMINISTRATOR, feature=Feature.PAYMENTS,
          summary="The practice's Stripe connection (never its keys)", response=ConnectionView,
          note="Own practice only; keys are never returned, only the last four characters of the secret key.")  # fmt: skip
def get_connection(principal: StaffPrincipal) -> ConnectionView:
    return ConnectionView.of(connection.status(principal))


@endpoint(router, "/payments/connection", "PUT", access=Access.ADMINISTRATOR, feature=Feature.PAYMENTS,
          summary="Connect the practice's own Stripe account (its keys, encrypted with KMS)", body=ConnectionRequest,
          response=ConnectionView, note="Own practice only; keys are checked with Stripe (422/502) and never returned.")  # fmt: skip
def put_connection(principal: StaffPrincipal, body: ConnectionRequest) -> ConnectionView:
    change = connection.ConnectionChange(
        body.secret_key or None, body.publishable_key or None, body.webhook_secret or None, body.allow_partial, body.currency
    )
    return ConnectionView.of(connection.connect(principal, change))


@endpoint(router, "/payments/open-invoices", "GET", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="The practice's open invoices, oldest first", query=PageQuery, response=InvoicePageView,
          note="Own practice only; therapists see only their clients' invoices; audited.")  # fmt: skip
def open_invoices(principal: StaffPrincipal, query: PageQuery) -> InvoicePageView:
    page = invoices.open_invoices(principal, query.cursor)
    return InvoicePageView(items=[InvoiceView.of(i) for i in page.items], next_cursor=page.next_cursor, client_names=page.client_names)


@endpoint(router, "/payments/recent", "GET", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="Payments received, newest first (the in-app payment notices)", query=PageQuery, response=PaymentPageView,
          note="Own practice only; therapists see only payments of clients assigned to them; audited.")  # fmt: skip
def recent_payments(principal: StaffPrincipal, query: PageQuery) -> PaymentPageView:
    items, next_cursor = invoices.recent_payments(principal, query.cursor)
    return PaymentPageView(items=[PaymentView.of(p) for p in items], next_cursor=next_cursor)


def _verify(headers: dict[str, str], body: bytes, params: dict[str, str]) -> VerifiedEvent:
    delivery = events.read_and_verify(headers, body)
    return VerifiedEvent(
        event_id=delivery.event.id, event_type=delivery.event.type, payload={"delivery": delivery}, tenant=delivery.org_id or None
    )


@webhook(router, "/webhooks/stripe", verify=_verify, response=StripeEventAnswer,
         summary="Stripe's events, from each practice's own Stripe account",
         note="Verified with the signing secret of the practice the event names (Stripe-Signature over the raw body, "
              "five minutes' tolerance); each event applied once; nothing changes for an event that is not ours.")  # fmt: skip
def stripe_events(event: VerifiedEvent) -> StripeEventAnswer:
    def claim(tx: Any) -> None:
        claim_event(tx, events.SOURCE, event)

    return StripeEventAnswer(received=True, outcome=events.process(event.payload["delivery"], claim))
