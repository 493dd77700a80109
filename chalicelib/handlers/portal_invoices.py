"""Invoices, client side: their own invoices and payment history, the printable PDF, paying by card."""

from __future__ import annotations

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.handlers.api import Access, Router, endpoint
from chalicelib.handlers.payment_views import (
    CardSetupView,
    InvoicePageView,
    InvoiceView,
    PageQuery,
    PaymentOutcomeView,
    PayRequest,
)
from chalicelib.handlers.views import DownloadView
from chalicelib.services.payments import documents, invoices, paying

router = Router(__name__)

OWN = "The client's own invoices only (the key includes the client's id: another client's invoice is 404)"


@endpoint(router, "/portal/invoices", "GET", access=Access.CLIENT, feature=Feature.PAYMENTS,
          summary="The client's invoices and payment history", query=PageQuery, response=InvoicePageView,
          note="The signed-in client's own invoices only (drafts are not shown); audited.")  # fmt: skip
def list_own_invoices(principal: ClientPrincipal, query: PageQuery) -> InvoicePageView:
    page = invoices.list_own(principal, query.cursor)
    return InvoicePageView(items=[InvoiceView.of(i) for i in page.items], next_cursor=page.next_cursor)


@endpoint(router, "/portal/invoices/{invoice_id}", "GET", access=Access.CLIENT, feature=Feature.PAYMENTS,
          summary="One of the client's invoices (the receipt once paid)", response=InvoiceView, note=f"{OWN}; audited.")  # fmt: skip
def get_own_invoice(principal: ClientPrincipal, invoice_id: str) -> InvoiceView:
    return InvoiceView.of(invoices.own_invoice(principal, invoice_id))


@endpoint(router, "/portal/invoices/{invoice_id}/pdf", "GET", access=Access.CLIENT, feature=Feature.PAYMENTS,
          summary="A five-minute link to the invoice (or receipt) as a PDF", response=DownloadView,
          note=f"{OWN}; every download audited.")  # fmt: skip
def own_invoice_pdf(principal: ClientPrincipal, invoice_id: str) -> DownloadView:
    return DownloadView.of(documents.client_pdf(principal, invoice_id))


@endpoint(router, "/portal/invoices/{invoice_id}/card-setup", "POST", access=Access.CLIENT, feature=Feature.PAYMENTS,
          summary="Start collecting a card for an open invoice (a Stripe SetupIntent for Stripe.js)", response=CardSetupView,
          note=f"{OWN}; a paid or void invoice is 409; a practice without Stripe is 409.")  # fmt: skip
def card_setup(principal: ClientPrincipal, invoice_id: str) -> CardSetupView:
    return CardSetupView.of(paying.card_setup(principal, invoice_id))


@endpoint(router, "/portal/invoices/{invoice_id}/payments", "POST", access=Access.CLIENT, feature=Feature.PAYMENTS,
          summary="Pay an open invoice by card", body=PayRequest, response=PaymentOutcomeView, status=201,
          note=f"{OWN}; at most the balance (422), the full balance unless the practice allows partial payments; "
               "a paid or void invoice, or a payment already in progress, is 409; a declined card is 402.")  # fmt: skip
def pay_invoice(principal: ClientPrincipal, invoice_id: str, body: PayRequest) -> PaymentOutcomeView:
    request = paying.PayRequest(body.amount_cents, body.payment_method, body.use_saved_card, body.save_card)
    return PaymentOutcomeView.of(paying.pay(principal, invoice_id, request))


@endpoint(router, "/portal/saved-card", "DELETE", access=Access.CLIENT, feature=Feature.PAYMENTS,
          summary="Forget the client's saved card", status=204, note="The signed-in client's own saved card only.")  # fmt: skip
def forget_card(principal: ClientPrincipal) -> None:
    paying.forget_saved_card(principal)
