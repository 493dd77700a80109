"""Invoices, staff side: a client's invoices, creating, issuing and voiding them, the PDF, refunds."""

from __future__ import annotations

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Router, endpoint
from chalicelib.handlers.payment_views import (
    BillableAppointmentsView,
    BillableAppointmentView,
    InvoicePageView,
    InvoiceRequest,
    InvoiceView,
    PageQuery,
    RefundRequest,
    RefundView,
)
from chalicelib.handlers.views import DownloadView
from chalicelib.services.payments import billable, documents, invoices, refunds

router = Router(__name__)

ASSIGNED = "therapists only for clients assigned to them; another practice's id is 404"


@endpoint(router, "/clients/{client_id}/invoices", "GET", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="A client's invoices with their payments and refunds", query=PageQuery, response=InvoicePageView,
          note=f"Audited read; {ASSIGNED}.")  # fmt: skip
def list_invoices(principal: StaffPrincipal, client_id: str, query: PageQuery) -> InvoicePageView:
    page = invoices.list_for_client(principal, client_id, query.cursor)
    return InvoicePageView(items=[InvoiceView.of(i) for i in page.items], next_cursor=page.next_cursor)


@endpoint(router, "/clients/{client_id}/invoices", "POST", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="Create a draft invoice", body=InvoiceRequest, response=InvoiceView, status=201,
          note=f"{ASSIGNED[0].upper()}{ASSIGNED[1:]}; amounts are integer cents above zero (422 otherwise).")  # fmt: skip
def create_invoice(principal: StaffPrincipal, client_id: str, body: InvoiceRequest) -> InvoiceView:
    draft = invoices.Draft([line.line() for line in body.lines], (body.notes or "").strip() or None, tuple(body.appointment_ids))
    return InvoiceView.of(invoices.create(principal, client_id, draft))


@endpoint(router, "/clients/{client_id}/billable-appointments", "GET", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="A client's appointments that can be invoiced (attended, no-show, late-cancelled; on no invoice yet)",
          response=BillableAppointmentsView, note=f"Audited read; {ASSIGNED}; no scheduling seat needed.")  # fmt: skip
def billable_appointments(principal: StaffPrincipal, client_id: str) -> BillableAppointmentsView:
    return BillableAppointmentsView(items=[BillableAppointmentView.of(a) for a in billable.billable_for(principal, client_id)])


@endpoint(router, "/clients/{client_id}/invoices/{invoice_id}", "GET", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="One invoice with its payments and refunds", response=InvoiceView, note=f"Audited read; {ASSIGNED}.")  # fmt: skip
def get_invoice(principal: StaffPrincipal, client_id: str, invoice_id: str) -> InvoiceView:
    return InvoiceView.of(invoices.invoice_for_staff(principal, client_id, invoice_id))


@endpoint(router, "/clients/{client_id}/invoices/{invoice_id}/issue", "POST", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="Issue a draft invoice (it gets the practice's next number)", response=InvoiceView,
          note=f"{ASSIGNED[0].upper()}{ASSIGNED[1:]}; numbers have no gaps; an issued invoice is 409.")  # fmt: skip
def issue_invoice(principal: StaffPrincipal, client_id: str, invoice_id: str) -> InvoiceView:
    return InvoiceView.of(invoices.issue(principal, client_id, invoice_id))


@endpoint(router, "/clients/{client_id}/invoices/{invoice_id}/void", "POST", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="Void an invoice with nothing paid", response=InvoiceView,
          note=f"{ASSIGNED[0].upper()}{ASSIGNED[1:]}; an invoice with payments (or one being paid) is 409.")  # fmt: skip
def void_invoice(principal: StaffPrincipal, client_id: str, invoice_id: str) -> InvoiceView:
    return InvoiceView.of(invoices.void(principal, client_id, invoice_id))


@endpoint(router, "/clients/{client_id}/invoices/{invoice_id}/pdf", "GET", access=Access.STAFF, feature=Feature.PAYMENTS,
          summary="A five-minute link to the invoice (or receipt) as a PDF", response=DownloadView,
          note=f"As the invoice; every download audited; {ASSIGNED}.")  # fmt: skip
def invoice_pdf(principal: StaffPrincipal, client_id: str, invoice_id: str) -> DownloadView:
    return DownloadView.of(documents.staff_pdf(principal, client_id, invoice_id))


@endpoint(router, "/clients/{client_id}/invoices/{invoice_id}/refunds", "POST", access=Access.ADMINISTRATOR,
          feature=Feature.PAYMENTS, summary="Refund a payment in full or in part", body=RefundRequest, response=RefundView,
          status=201, note="Administrators only; never more than is left of the payment (422); another practice's id is 404.")  # fmt: skip
def refund_payment(principal: StaffPrincipal, client_id: str, invoice_id: str, body: RefundRequest) -> RefundView:
    return RefundView.of(refunds.refund(principal, client_id, invoice_id, body.payment_id, body.amount_cents))
