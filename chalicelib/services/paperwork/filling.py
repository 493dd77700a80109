"""A client filling in their paperwork: listing it, opening a form, saving answers as they go, consenting to sign
electronically (ESIGN/UETA) — with the disclosure version, time, IP and user agent recorded."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib import audit, clock, context
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.domain.intake import FormRequest as Request
from chalicelib.domain.intake import OpenedRequest
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services.form_definitions import FormDefinition, check_answers, prefilled
from chalicelib.services.paperwork.common import SIGNED, refuse_if_completed, request_item, requests_of
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.intake import Consent, FormRequest, request_of

DISCLOSURE_VERSION = "esign-2026-11"
ATTESTATION = (
    "By typing my full name and selecting Sign, I sign this document electronically. I agree that my electronic "
    "signature is the legal equivalent of my handwritten signature."
)
DISCLOSURE = (
    "You may sign documents from your practice electronically. Electronic signatures have the same legal effect as "
    "handwritten ones (ESIGN Act, UETA). You can ask your practice for paper copies at no charge, and you may withdraw "
    "this consent at any time by telling your practice; withdrawing does not affect documents already signed. You need "
    "a device that can open PDF files to keep copies of what you sign."
)
MAX_ANSWERS_BYTES = 48 * 1024


def my_requests(principal: ClientPrincipal) -> list[Request]:
    found = requests_of(principal.org_id, principal.id)
    audit.record(principal, "forms.list", f"client/{principal.id}", subject_client_id=principal.id)
    return [request_of(request) for request in found]


def client_request(principal: ClientPrincipal, request_id: str) -> FormRequest:
    """One of the signed-in client's own requests (the key holds their id: another client's request is not found)."""
    return request_item(principal.org_id, principal.id, request_id)


def open_request(principal: ClientPrincipal, request_id: str) -> OpenedRequest:
    """The form and the saved answers — or, before the client saved any, what the practice already knows (name, date
    of birth, email, phone) pre-filled for them to confirm. The request and the client's record in one read; the
    first opening is recorded for the signing certificate."""
    pk = keys.org_pk(principal.org_id)
    request, client = read_together(
        (FormRequest, pk, keys.request_sk(principal.id, request_id)), (ClientRecord, pk, keys.client_sk(principal.id))
    )
    if request is None:
        raise NotFound("No such form request.")
    if request.viewed_at is None and request.status != "completed":
        _record_first_view(request)
    audit.record(principal, "forms.open", f"form_request/{request_id}", subject_client_id=principal.id)
    answers = dict(request.answers or {})
    known: dict[str, Any] = {}
    if not answers and request.status != "completed" and client is not None:
        known = prefilled(FormDefinition.model_validate(request.definition), _known(client))
    return OpenedRequest(
        request=request_of(request),
        definition=dict(request.definition),
        answers={**known, **answers},
        consent_given=request.consent is not None,
        prefilled=tuple(known),
    )


def _known(client: ClientRecord) -> dict[str, str | None]:
    return {"name": client.name, "date_of_birth": client.date_of_birth, "email": client.email, "phone": client.phone}


def _record_first_view(request: FormRequest) -> None:
    """The first opening, for the certificate; a second tab opening at the same moment changes nothing."""
    now = clock.now()
    try:
        request.update(
            actions=[FormRequest.viewed_at.set(now)], condition=FormRequest.viewed_at.does_not_exist(), add_version_condition=False
        )
    except UpdateError:
        return


def save_answers(principal: ClientPrincipal, request_id: str, answers: dict[str, Any]) -> Request:
    """Save a draft: answers are checked for type and size, not completeness. Refused once completed."""
    check_size(answers)
    request = client_request(principal, request_id)
    refuse_if_completed(request)
    clean = check_answers(FormDefinition.model_validate(request.definition), answers)
    now = clock.now()
    with transaction({"request": Conflict(SIGNED)}) as tx:
        tx.update(
            request,
            actions=[FormRequest.answers.set(clean), FormRequest.status.set("in_progress"), FormRequest.updated_at.set(now)],
            condition=FormRequest.status != "completed",
            label="request",
            add_version_condition=False,
        )
        tx.save(audit.event(principal, "forms.save", f"form_request/{request_id}", subject_client_id=principal.id))
    request.answers, request.status, request.updated_at = clean, "in_progress", now
    return request_of(request)


def check_size(answers: dict[str, Any]) -> None:
    if len(json.dumps(answers)) > MAX_ANSWERS_BYTES:
        raise ValidationFailed("These answers are too long to save.", [FieldError("answers", "Too long.")])


def give_consent(principal: ClientPrincipal, request_id: str, disclosure_version: str) -> Request:
    """Consent to sign electronically, given before signing, for the disclosure version the client was shown."""
    if disclosure_version != DISCLOSURE_VERSION:
        message = "The disclosure changed. Reload the page and read it again."
        raise ValidationFailed(message, [FieldError("disclosure_version", message)])
    request = client_request(principal, request_id)
    refuse_if_completed(request)
    ctx = context.current()
    consent = Consent(disclosure_version=disclosure_version, at=clock.now(), ip=ctx.ip, user_agent=ctx.user_agent[:512])
    with transaction({"request": Conflict(SIGNED)}) as tx:
        tx.update(
            request,
            actions=[FormRequest.consent.set(consent)],
            condition=FormRequest.status != "completed",
            label="request",
            add_version_condition=False,
        )
        tx.save(audit.event(principal, "forms.esign_consent", f"form_request/{request_id}", subject_client_id=principal.id))
    request.consent = consent
    return request_of(request)
