"""Paperwork, staff side: sending forms to a client, their status, reminders, General Documents."""

from __future__ import annotations

from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Router, Strict, endpoint
from chalicelib.handlers.views import DownloadQuery, DownloadView, RequestListView, RequestView
from chalicelib.services.paperwork import documents, sending
from chalicelib.text import Line

router = Router(__name__)

ASSIGNED = "therapists only for clients assigned to them; another practice's id is 404"
INVITERS = "Therapists only if allowed to invite, and only for clients assigned to them"


class SendFormsRequest(Strict):
    form_ids: list[Line] = Field(min_length=1, max_length=20)


@endpoint(router, "/clients/{client_id}/form-requests", "POST", access=Access.INVITER, feature=Feature.INTAKE_FORMS,
          summary="Send forms to a client", body=SendFormsRequest, response=RequestListView, status=201,
          note=f"{INVITERS}; another practice's id is 404; a form already waiting is skipped (409 if all are).")  # fmt: skip
def send_forms(principal: StaffPrincipal, client_id: str, body: SendFormsRequest) -> RequestListView:
    return RequestListView(items=[RequestView.of(r) for r in sending.send_forms(principal, client_id, body.form_ids)])


@endpoint(router, "/clients/{client_id}/form-requests", "GET", access=Access.STAFF, feature=Feature.INTAKE_FORMS,
          summary="Forms sent to a client", response=RequestListView, note=f"Audited read; {ASSIGNED}.")  # fmt: skip
def list_requests(principal: StaffPrincipal, client_id: str) -> RequestListView:
    return RequestListView(items=[RequestView.of(r) for r in sending.list_requests(principal, client_id)])


@endpoint(router, "/clients/{client_id}/form-requests/{request_id}/reminder", "POST", access=Access.INVITER,
          feature=Feature.INTAKE_FORMS, summary="Resend a pending form", response=RequestView,
          note=f"{INVITERS}; another practice's id is 404; a signed form is 409.")  # fmt: skip
def resend_request(principal: StaffPrincipal, client_id: str, request_id: str) -> RequestView:
    return RequestView.of(sending.resend(principal, client_id, request_id))


@endpoint(router, "/clients/{client_id}/documents", "GET", access=Access.STAFF, feature=Feature.INTAKE_FORMS,
          summary="General Documents: signed forms", response=RequestListView, note=f"Audited read; {ASSIGNED}.")  # fmt: skip
def list_documents(principal: StaffPrincipal, client_id: str) -> RequestListView:
    return RequestListView(items=[RequestView.of(r) for r in documents.documents_of(principal, client_id)])


@endpoint(router, "/clients/{client_id}/documents/{request_id}/download", "GET", access=Access.STAFF, feature=Feature.INTAKE_FORMS,
          summary="A five-minute link to a signed PDF", query=DownloadQuery, response=DownloadView,
          note="As documents; issued only after the stored file's hash is verified; every download audited.")  # fmt: skip
def staff_download(principal: StaffPrincipal, client_id: str, request_id: str, query: DownloadQuery) -> DownloadView:
    return DownloadView.of(documents.staff_download(principal, client_id, request_id, inline=query.inline))
