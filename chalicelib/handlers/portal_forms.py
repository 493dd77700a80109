"""Paperwork, client side: the signed-in client's forms — opening, saving answers, consenting, signing, downloading."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.errors import FieldError, ValidationFailed
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.views import DownloadQuery, DownloadView, RequestListView, RequestView
from chalicelib.services.paperwork import documents, filling, signing

router = Router(__name__)

OWN = "The client's own requests only (the key includes the client's id: another client's request is 404)"


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
    # Questions answered from what the practice already has (name, date of birth, email, phone): to be confirmed.
    prefilled: list[str]


class AnswersRequest(Strict):
    answers: dict[str, Any]


class ConsentRequest(Strict):
    disclosure_version: str = Field(max_length=40)
    agree: Literal[True]


class SignatureRequest(Strict):
    full_name: str = Field(max_length=120)
    attested: bool
    answers: dict[str, Any] | None = None
    # Optional, in addition to the typed name: a PNG the client drew, as a data URL ("data:image/png;base64,…").
    drawn_signature: str | None = Field(default=None, max_length=40_000)

    def drawn_png(self) -> bytes | None:
        if not self.drawn_signature:
            return None
        encoded = self.drawn_signature.removeprefix("data:image/png;base64,")
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            message = "The drawn signature could not be read. Clear it and draw it again."
            raise ValidationFailed(message, [FieldError("drawn_signature", message)]) from None


@endpoint(router, "/portal/form-requests", "GET", access=Access.CLIENT, feature=Feature.INTAKE_FORMS, summary="My forms",
          response=RequestListView, note="The signed-in client's own paperwork only, in the practice's order.")  # fmt: skip
def my_requests(principal: ClientPrincipal) -> RequestListView:
    return RequestListView(items=[RequestView.of(r) for r in filling.my_requests(principal)])


@endpoint(router, "/portal/form-requests/{request_id}", "GET", access=Access.CLIENT, feature=Feature.INTAKE_FORMS,
          summary="Open a form to fill in", response=OpenRequestView, note=f"{OWN}.")  # fmt: skip
def open_request(principal: ClientPrincipal, request_id: str) -> OpenRequestView:
    opened = filling.open_request(principal, request_id)
    return OpenRequestView(
        request=RequestView.of(opened.request),
        definition=opened.definition,
        answers=opened.answers,
        consent_given=opened.consent_given,
        disclosure=Disclosure(version=filling.DISCLOSURE_VERSION, text=filling.DISCLOSURE, attestation=filling.ATTESTATION),
        prefilled=list(opened.prefilled),
    )


@endpoint(router, "/portal/form-requests/{request_id}/answers", "PUT", access=Access.CLIENT, feature=Feature.INTAKE_FORMS,
          summary="Save answers (draft)", body=AnswersRequest, response=RequestView, note=f"{OWN}; 409 once signed.")  # fmt: skip
def save_answers(principal: ClientPrincipal, request_id: str, body: AnswersRequest) -> RequestView:
    return RequestView.of(filling.save_answers(principal, request_id, body.answers))


@endpoint(router, "/portal/form-requests/{request_id}/consent", "POST", access=Access.CLIENT, feature=Feature.INTAKE_FORMS,
          summary="Consent to sign electronically", body=ConsentRequest, response=RequestView,
          note=f"{OWN}; records disclosure version, time, IP and user agent.")  # fmt: skip
def give_consent(principal: ClientPrincipal, request_id: str, body: ConsentRequest) -> RequestView:
    return RequestView.of(filling.give_consent(principal, request_id, body.disclosure_version))


@endpoint(router, "/portal/form-requests/{request_id}/signature", "POST", access=Access.CLIENT, feature=Feature.INTAKE_FORMS,
          summary="Sign and submit a form", body=SignatureRequest, response=RequestView,
          note=f"{OWN}; 422 if incomplete, unconsented, unattested, or drawn but not a small PNG; 409 once signed.")  # fmt: skip
def sign(principal: ClientPrincipal, request_id: str, body: SignatureRequest) -> RequestView:
    signature = signing.Signature(full_name=body.full_name, attested=body.attested, answers=body.answers, drawn=body.drawn_png())
    return RequestView.of(signing.submit(principal, request_id, signature))


@endpoint(router, "/portal/documents/{request_id}/download", "GET", access=Access.CLIENT, feature=Feature.INTAKE_FORMS,
          summary="A download link for my signed copy", query=DownloadQuery, response=DownloadView,
          note="The client's own signed copies only; five-minute link after the file's hash is verified; audited.")  # fmt: skip
def client_download(principal: ClientPrincipal, request_id: str, query: DownloadQuery) -> DownloadView:
    return DownloadView.of(documents.client_download(principal, request_id, inline=query.inline))
