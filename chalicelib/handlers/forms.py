"""Intake forms: the practice's forms (builder), paperwork sent to clients, filling in and signing, documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from chalice.app import Request, Response
from pydantic import Field

from chalicelib.auth import guards
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint, json_response, parse, parse_query
from chalicelib.services import forms, paperwork
from chalicelib.tables.intake import FormRequest

router = Router(__name__)


class FormSummaryView(View):
    id: str
    title: str
    current_version: int
    status: Literal["active", "retired"]
    position: int
    standard: bool
    head_version: int

    @classmethod
    def of(cls, summary: forms.FormSummary) -> FormSummaryView:
        return cls(**summary.__dict__)


class FormListView(View):
    items: list[FormSummaryView]


class FormView(View):
    form: FormSummaryView
    number: int
    definition: dict[str, Any]


class NewFormRequest(Strict):
    definition: dict[str, Any] | None = None
    copy_of: str | None = Field(default=None, max_length=64)


class FormChangeRequest(Strict):
    head_version: int = Field(ge=0)
    definition: dict[str, Any]


class FormOrderRequest(Strict):
    form_ids: list[str] = Field(max_length=200)


class VersionQuery(Strict):
    version: int | None = Field(default=None, ge=1)


class SendFormsRequest(Strict):
    form_ids: list[str] = Field(min_length=1, max_length=20)


class RequestView(View):
    id: str
    client_id: str
    form_id: str
    form_version: int
    title: str
    status: Literal["pending", "in_progress", "completed"]
    sent_at: datetime
    viewed_at: datetime | None
    updated_at: datetime | None
    signed_at: datetime | None
    signed_name: str | None
    document_sha256: str | None
    reminders_sent: int

    @classmethod
    def of(cls, request: FormRequest) -> RequestView:
        return cls(
            id=request.id,
            client_id=request.client_id,
            form_id=request.form_id,
            form_version=int(request.form_version),
            title=request.title,
            status=request.status,  # type: ignore[arg-type]
            sent_at=request.sent_at,
            viewed_at=request.viewed_at,
            updated_at=request.updated_at,
            signed_at=request.signed_at,
            signed_name=request.signed_name,
            document_sha256=request.document_sha256,
            reminders_sent=int(request.reminders_sent or 0),
        )


class RequestListView(View):
    items: list[RequestView]


class Disclosure(View):
    version: str
    text: str
    attestation: str


class OpenRequestView(View):
    request: RequestView
    definition: dict[str, Any]
    answers: dict[str, Any]
    consent_given: bool
    disclosure: Disclosure


class AnswersRequest(Strict):
    answers: dict[str, Any]


class ConsentRequest(Strict):
    disclosure_version: str = Field(max_length=40)
    agree: Literal[True]


class SignatureRequest(Strict):
    full_name: str = Field(max_length=120)
    attested: bool
    answers: dict[str, Any] | None = None


class DownloadView(View):
    url: str
    expires_at: datetime
    sha256: str
    filename: str


def _download(link: paperwork.DownloadLink) -> Response:
    return json_response(DownloadView(url=link.url, expires_at=link.expires_at, sha256=link.sha256, filename=link.filename))


# ----------------------------------------------------------------------------------------- the forms


@endpoint(router, "/forms", "GET", access=Access.STAFF, summary="The practice's intake forms", response=FormListView)
def list_forms(request: Request) -> Response:
    principal = guards.require_staff(request)
    return json_response(FormListView(items=[FormSummaryView.of(f) for f in forms.list_forms(principal)]))


@endpoint(router, "/forms", "POST", access=Access.ADMINISTRATOR, summary="Create a form, or copy one",
          body=NewFormRequest, response=FormSummaryView, status=201)  # fmt: skip
def create_form(request: Request) -> Response:
    principal = guards.require_administrator(request)
    body = parse(request, NewFormRequest)
    return json_response(FormSummaryView.of(forms.create_form(principal, body.definition, body.copy_of)), status=201)


@endpoint(router, "/forms/{form_id}", "GET", access=Access.STAFF, summary="A form's definition", query=VersionQuery, response=FormView)
def get_form(request: Request, form_id: str) -> Response:
    principal = guards.require_staff(request)
    query = parse_query(request, VersionQuery)
    found = forms.get_form(principal, form_id, query.version)
    definition = found.definition.model_dump(mode="json", exclude_none=True)
    return json_response(FormView(form=FormSummaryView.of(found.summary), number=found.number, definition=definition))


@endpoint(router, "/forms/{form_id}", "PUT", access=Access.ADMINISTRATOR, summary="Edit a form (writes a new version)",
          body=FormChangeRequest, response=FormSummaryView)  # fmt: skip
def update_form(request: Request, form_id: str) -> Response:
    principal = guards.require_administrator(request)
    body = parse(request, FormChangeRequest)
    return json_response(FormSummaryView.of(forms.update_form(principal, form_id, body.head_version, body.definition)))


@endpoint(router, "/forms/{form_id}/retire", "POST", access=Access.ADMINISTRATOR, summary="Retire a form", response=FormSummaryView)
def retire_form(request: Request, form_id: str) -> Response:
    principal = guards.require_administrator(request)
    return json_response(FormSummaryView.of(forms.set_status(principal, form_id, "retired")))


@endpoint(router, "/forms/{form_id}/restore", "POST", access=Access.ADMINISTRATOR, summary="Restore a retired form",
          response=FormSummaryView)  # fmt: skip
def restore_form(request: Request, form_id: str) -> Response:
    principal = guards.require_administrator(request)
    return json_response(FormSummaryView.of(forms.set_status(principal, form_id, "active")))


@endpoint(router, "/form-order", "PUT", access=Access.ADMINISTRATOR, summary="Reorder the forms", body=FormOrderRequest,
          response=FormListView)  # fmt: skip
def reorder_forms(request: Request) -> Response:
    principal = guards.require_administrator(request)
    body = parse(request, FormOrderRequest)
    return json_response(FormListView(items=[FormSummaryView.of(f) for f in forms.reorder(principal, body.form_ids)]))


# --------------------------------------------------------------------------------- paperwork, staff side


@endpoint(router, "/clients/{client_id}/form-requests", "POST", access=Access.INVITER, summary="Send forms to a client",
          body=SendFormsRequest, response=RequestListView, status=201)  # fmt: skip
def send_forms(request: Request, client_id: str) -> Response:
    principal = guards.require_inviter(request)
    body = parse(request, SendFormsRequest)
    sent = paperwork.send_forms(principal, client_id, body.form_ids)
    return json_response(RequestListView(items=[RequestView.of(r) for r in sent]), status=201)


@endpoint(router, "/clients/{client_id}/form-requests", "GET", access=Access.STAFF, summary="Forms sent to a client",
          response=RequestListView)  # fmt: skip
def list_requests(request: Request, client_id: str) -> Response:
    principal = guards.require_staff(request)
    return json_response(RequestListView(items=[RequestView.of(r) for r in paperwork.list_requests(principal, client_id)]))


@endpoint(router, "/clients/{client_id}/form-requests/{request_id}/reminder", "POST", access=Access.INVITER,
          summary="Resend a pending form", response=RequestView)  # fmt: skip
def resend_request(request: Request, client_id: str, request_id: str) -> Response:
    principal = guards.require_inviter(request)
    return json_response(RequestView.of(paperwork.resend(principal, client_id, request_id)))


@endpoint(router, "/clients/{client_id}/documents", "GET", access=Access.STAFF, summary="General Documents: signed forms",
          response=RequestListView)  # fmt: skip
def list_documents(request: Request, client_id: str) -> Response:
    principal = guards.require_staff(request)
    return json_response(RequestListView(items=[RequestView.of(r) for r in paperwork.documents_of(principal, client_id)]))


@endpoint(router, "/clients/{client_id}/documents/{request_id}/download", "GET", access=Access.STAFF,
          summary="A five-minute download link for a signed PDF", response=DownloadView)  # fmt: skip
def staff_download(request: Request, client_id: str, request_id: str) -> Response:
    principal = guards.require_staff(request)
    return _download(paperwork.staff_download(principal, client_id, request_id))


# ------------------------------------------------------------------------------- paperwork, client side


@endpoint(router, "/portal/form-requests", "GET", access=Access.CLIENT, summary="My forms", response=RequestListView)
def my_requests(request: Request) -> Response:
    principal = guards.require_client(request)
    return json_response(RequestListView(items=[RequestView.of(r) for r in paperwork.my_requests(principal)]))


@endpoint(router, "/portal/form-requests/{request_id}", "GET", access=Access.CLIENT, summary="Open a form to fill in",
          response=OpenRequestView)  # fmt: skip
def open_request(request: Request, request_id: str) -> Response:
    principal = guards.require_client(request)
    opened = paperwork.open_request(principal, request_id)
    return json_response(
        OpenRequestView(
            request=RequestView.of(opened.request),
            definition=opened.definition.model_dump(mode="json", exclude_none=True),
            answers=dict(opened.request.answers or {}),
            consent_given=opened.request.consent is not None,
            disclosure=Disclosure(version=paperwork.DISCLOSURE_VERSION, text=paperwork.DISCLOSURE, attestation=paperwork.ATTESTATION),
        )
    )


@endpoint(router, "/portal/form-requests/{request_id}/answers", "PUT", access=Access.CLIENT, summary="Save answers (draft)",
          body=AnswersRequest, response=RequestView)  # fmt: skip
def save_answers(request: Request, request_id: str) -> Response:
    principal = guards.require_client(request)
    body = parse(request, AnswersRequest)
    return json_response(RequestView.of(paperwork.save_answers(principal, request_id, body.answers)))


@endpoint(router, "/portal/form-requests/{request_id}/consent", "POST", access=Access.CLIENT,
          summary="Consent to sign electronically", body=ConsentRequest, response=RequestView)  # fmt: skip
def give_consent(request: Request, request_id: str) -> Response:
    principal = guards.require_client(request)
    body = parse(request, ConsentRequest)
    return json_response(RequestView.of(paperwork.give_consent(principal, request_id, body.disclosure_version)))


@endpoint(router, "/portal/form-requests/{request_id}/signature", "POST", access=Access.CLIENT,
          summary="Sign and submit a form", body=SignatureRequest, response=RequestView)  # fmt: skip
def sign(request: Request, request_id: str) -> Response:
    principal = guards.require_client(request)
    body = parse(request, SignatureRequest)
    signature = paperwork.Signature(full_name=body.full_name, attested=body.attested, answers=body.answers)
    return json_response(RequestView.of(paperwork.submit(principal, request_id, signature)))


@endpoint(router, "/portal/documents/{request_id}/download", "GET", access=Access.CLIENT,
          summary="A download link for my signed copy", response=DownloadView)  # fmt: skip
def client_download(request: Request, request_id: str) -> Response:
    principal = guards.require_client(request)
    return _download(paperwork.client_download(principal, request_id))
