"""Signing: completeness and consent checked on the server, the signed PDF rendered and stored in S3, the request
completed — once. The PDF carries the SHA-256 of the signed content; the stored file's own SHA-256 is recorded too
and checked before any download link is issued. Assigned staff hear of it by mail (no PHI, one per packet)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib import audit, clock, context
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain.intake import FormRequest as Request
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services import branding, worklist
from chalicelib.services.form_definitions import FormDefinition, check_answers, check_complete
from chalicelib.services.paperwork.common import refuse_if_completed
from chalicelib.services.paperwork.filling import ATTESTATION, check_size
from chalicelib.services.paperwork.notices import notify_staff_of_signing
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import Transaction, get_or_none, read_together, transaction
from chalicelib.tables.intake import FormRequest, OpenRequestClaim, request_of


@dataclass(frozen=True)
class Signature:
    full_name: str
    attested: bool
    answers: dict[str, Any] | None = None
    drawn: bytes | None = None  # an optional drawn signature (PNG), in addition to the typed name


MAX_DRAWN_BYTES = 24 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DRAWN_WIDTH = (40, 1600)
DRAWN_HEIGHT = (20, 800)


def submit(principal: ClientPrincipal, request_id: str, signature: Signature) -> Request:
    """Check completeness and consent, render and store the signed PDF, then complete the request — once."""
    request, client = _request_and_client(principal, request_id)
    refuse_if_completed(request)
    definition = FormDefinition.model_validate(request.definition)
    if signature.answers is not None:
        check_size(signature.answers)
    answers = check_answers(definition, signature.answers if signature.answers is not None else dict(request.answers or {}))
    answers = check_complete(definition, answers)
    _check_signature(request, signature)
    if signature.drawn is not None:
        check_drawn(signature.drawn)
    signed_at = clock.now()
    drawn_sha256 = hashlib.sha256(signature.drawn).hexdigest() if signature.drawn else None
    record = signed_record(principal, client, request, definition, answers, signature.full_name.strip(), signed_at, drawn_sha256)
    attempt = new_id("pdf")
    drawn = _store_drawn(principal, request, attempt, signature.drawn) if signature.drawn else None
    logo = branding.logo_bytes(principal.practice)
    stored = _store(principal, request, attempt, _render({**record, "practice_logo": logo, "drawn_signature": signature.drawn}))
    try:
        _commit(principal, request, client, answers, record, stored, drawn, signed_at)
    except Conflict:
        _discard(stored.key)  # this attempt's own objects: the winner's document is untouched
        if drawn is not None:
            _discard(drawn.key)
        raise
    request.status, request.answers, request.signed_name, request.signed_at = (
        "completed",
        answers,
        record["signer"]["typed_name"],
        signed_at,
    )
    request.content_sha256, request.document_key, request.document_sha256 = record["content_sha256"], stored.key, stored.sha256
    return request_of(request)


COMMIT_ATTEMPTS = 3


def _commit(
    principal: ClientPrincipal,
    request: FormRequest,
    client: ClientRecord | None,
    answers: dict[str, Any],
    record: dict[str, Any],
    stored: Any,
    drawn: Any,
    signed_at: datetime,
) -> None:
    """Complete the request once. The client's counters are conditioned on the record as read; a record changed
    meanwhile (a staff edit, the client's own time zone, forms sent) is read again and the signing tried again — a
    signed request is never retried (its own condition answers 409 "already signed")."""
    ctx = context.current()
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            with transaction({"request": Conflict("This form was already signed.")}) as tx:
                _complete(tx, request, answers, record, stored, ctx.ip, ctx.user_agent[:512], drawn)
                tx.save(audit.event(principal, "forms.sign", f"form_request/{request.id}", subject_client_id=principal.id))
                notify_staff_of_signing(tx, principal, sorted(request.notify_staff_ids or []), principal.id)
                if client is not None:
                    worklist.paperwork_signed(tx, client, request.id, request.title, signed_at)
            return
        except worklist.Changed:
            if attempt == COMMIT_ATTEMPTS:
                raise
            client = get_or_none(ClientRecord, keys.org_pk(principal.org_id), keys.client_sk(principal.id))


def _request_and_client(principal: ClientPrincipal, request_id: str) -> tuple[FormRequest, ClientRecord | None]:
    pk = keys.org_pk(principal.org_id)
    request, client = read_together(
        (FormRequest, pk, keys.request_sk(principal.id, request_id)),
        (ClientRecord, pk, keys.client_sk(principal.id)),
    )
    if request is None:
        raise NotFound("No such form request.")
    return request, client


def _check_signature(request: FormRequest, signature: Signature) -> None:
    if request.consent is None:
        raise ValidationFailed("Agree to sign electronically before signing.", [FieldError("consent", "Consent is needed first.")])
    if not signature.attested:
        raise ValidationFailed("Confirm the signing statement.", [FieldError("attested", "Confirm the statement to sign.")])
    name = signature.full_name.strip()
    if len(name) < 2 or len(name) > 120:
        raise ValidationFailed("Type your full name to sign.", [FieldError("full_name", "Type your full name.")])


def check_drawn(png: bytes) -> None:
    """A drawn signature is a small PNG of sensible size that decodes: the certificate names its hash, so the PDF must
    be able to show it (the dimensions are bounded first, so decoding it is cheap)."""
    problem = None
    if not png or len(png) > MAX_DRAWN_BYTES:
        problem = f"The drawn signature is too large (at most {MAX_DRAWN_BYTES // 1024} KB). Clear it and draw it again."
    elif not png.startswith(PNG_MAGIC) or png[12:16] != b"IHDR" or not png.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
        problem = "The drawn signature is not a PNG image. Clear it and draw it again."
    else:
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        if not (DRAWN_WIDTH[0] <= width <= DRAWN_WIDTH[1] and DRAWN_HEIGHT[0] <= height <= DRAWN_HEIGHT[1]):
            problem = "The drawn signature has an unusual size. Clear it and draw it again."
        elif not _decodes(png):
            problem = "The drawn signature could not be read. Clear it and draw it again."
    if problem:
        raise ValidationFailed(problem, [FieldError("drawn_signature", problem)])


def _decodes(png: bytes) -> bool:
    import io

    from PIL import Image  # with fpdf2 in the PDF layer; signing imports it anyway

    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
    except Exception:  # Pillow raises many kinds for a broken image; any of them means "refuse"
        return False
    return True


def signed_record(
    principal: ClientPrincipal,
    client: ClientRecord | None,
    request: FormRequest,
    definition: FormDefinition,
    answers: dict[str, Any],
    name: str,
    signed_at: datetime,
    drawn_sha256: str | None = None,
) -> dict[str, Any]:
    """The signed content: what the PDF shows and what the content hash covers (canonical JSON). A drawn signature
    is covered by its SHA-256."""
    consent = request.consent
    assert consent is not None
    signer: dict[str, Any] = {"typed_name": name, "account_email": principal.email}
    if drawn_sha256:
        signer["drawn_signature_sha256"] = drawn_sha256
    content = {
        "form": {"id": request.form_id, "version": int(request.form_version), "title": definition.title},
        "fields": [spec.model_dump(mode="json", exclude_none=True) for spec in definition.fields],
        "answers": answers,
        "signer": signer,
        "attestation": ATTESTATION,
        "signed_at": clock.iso(signed_at),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {
        **content,
        "practice": principal.org_name,
        "practice_time_zone": principal.practice.time_zone,
        "client": {
            "id": principal.id,
            "name": client.name if client else principal.name,
            "date_of_birth": client.date_of_birth if client else None,
        },
        "request_id": request.id,
        "viewed_at": clock.iso(request.viewed_at) if request.viewed_at else None,
        "consent": {
            "disclosure_version": consent.disclosure_version,
            "at": clock.iso(consent.at),
            "ip": consent.ip,
            "user_agent": consent.user_agent,
        },
        "signature": {"ip": context.current().ip, "user_agent": context.current().user_agent[:512]},
        "content_sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    }


def _render(record: dict[str, Any]) -> bytes:
    from chalicelib.services.signed_pdf import render_signed_form

    pdf: bytes = render_signed_form(record)
    return pdf


def _store(principal: ClientPrincipal, request: FormRequest, attempt: str, pdf: bytes) -> Any:
    from chalicelib.adapters.object_keys import signed_document
    from chalicelib.adapters.storage import get_storage

    return get_storage().put(signed_document(principal.org_id, principal.id, request.id, attempt), pdf, "application/pdf")


def _store_drawn(principal: ClientPrincipal, request: FormRequest, attempt: str, png: bytes) -> Any:
    from chalicelib.adapters.object_keys import drawn_signature
    from chalicelib.adapters.storage import get_storage

    return get_storage().put(drawn_signature(principal.org_id, principal.id, request.id, attempt), png, "image/png")


def _discard(key: str) -> None:
    from chalicelib.adapters.storage import get_storage

    get_storage().delete_quietly(key)


def _complete(
    tx: Transaction, request: FormRequest, answers: dict[str, Any], record: dict[str, Any], stored: Any, ip: str, ua: str, drawn: Any
) -> None:
    drawn_actions = [FormRequest.drawn_signature_key.set(drawn.key), FormRequest.drawn_signature_sha256.set(drawn.sha256)] if drawn else []
    tx.update(
        request,
        actions=[
            *drawn_actions,
            FormRequest.status.set("completed"),
            FormRequest.answers.set(answers),
            FormRequest.signed_name.set(record["signer"]["typed_name"]),
            FormRequest.signer_email.set(record["signer"]["account_email"]),
            FormRequest.signed_at.set(datetime.fromisoformat(record["signed_at"].replace("Z", "+00:00"))),
            FormRequest.signature_ip.set(ip),
            FormRequest.signature_user_agent.set(ua),
            FormRequest.content_sha256.set(record["content_sha256"]),
            FormRequest.document_key.set(stored.key),
            FormRequest.document_sha256.set(stored.sha256),
            FormRequest.document_bytes.set(stored.size),
            FormRequest.updated_at.set(clock.now()),
            FormRequest.reminder_shard.remove(),
            FormRequest.reminder_due_at.remove(),
        ],
        condition=FormRequest.status != "completed",
        label="request",
        add_version_condition=False,
    )
    # The form may be sent again once this one is signed (only this request's own claim is removed).
    claim = OpenRequestClaim(request.pk, keys.open_request_sk(request.client_id, request.form_id))
    tx.delete(claim, condition=OpenRequestClaim.request_id.does_not_exist() | (OpenRequestClaim.request_id == request.id))
