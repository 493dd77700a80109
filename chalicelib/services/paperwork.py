"""Paperwork: forms sent to clients, filled in with answers saved as they go, consented to, signed, rendered to a
signed PDF in S3, and opened by staff from the client's General Documents.

A completed request is immutable: every write to a request is conditioned on it not being completed. Signing
requires the client's consent to sign electronically first (ESIGN/UETA), recorded with the disclosure version,
time, IP and user agent. The PDF carries the SHA-256 of the signed content; the stored file's own SHA-256 is
recorded too and checked before any download link is issued.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from chalicelib import clock, context
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.errors import Conflict, DependencyFailed, FieldError, NotFound, ValidationFailed
from chalicelib.services import audit, forms
from chalicelib.services.entitlements import Feature, OrganizationFacts, require_switch
from chalicelib.services.form_definitions import FormDefinition, check_answers, check_complete
from chalicelib.tables import accounts, intake
from chalicelib.tables.accounts import ClientRecord, InvitationTemplate, StaffMember
from chalicelib.tables.base import Transaction, read_together, transaction
from chalicelib.tables.intake import Consent, FormRequest

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
MAX_REQUESTS_PER_SEND = 20
M = TypeVar("M", bound=Model)
MAX_REMINDERS = 3
MAX_LISTED = 500


@dataclass(frozen=True)
class OpenRequest:
    request: FormRequest
    definition: FormDefinition


# ------------------------------------------------------------------------------------------- reading


def _organization_key(org_id: str) -> tuple[type[Model], str, str]:
    from chalicelib.tables.organizations import Organization, org_pk

    return Organization, org_pk(org_id), "ORG"


def _require_intake(org: Any) -> None:
    if org is None:
        raise NotFound("That practice no longer exists.")
    require_switch(OrganizationFacts.of(org), Feature.INTAKE_FORMS)


def _with_intake_on(org_id: str, model: type[M], hash_key: str, range_key: str) -> M:
    """The item and the organization read in one TransactGetItems; refused if the practice switched intake off."""
    org, item = read_together(_organization_key(org_id), (model, hash_key, range_key))
    _require_intake(org)
    if item is None:
        raise NotFound("No such record.")
    found: M = item
    return found


@dataclass(frozen=True)
class SendingContext:
    client: ClientRecord
    forms: dict[str, forms.SendableForm]
    template_message: str | None = None


def read_for_sending(principal: StaffPrincipal, client_id: str, form_ids: list[str], template_id: str | None = None) -> SendingContext:
    """The client, the organization, the named forms' heads (and an invitation template) in one TransactGetItems.
    The client must be visible to the principal (else NotFound, audited); forms need the intake switch on."""
    from chalicelib.services.clients import may_see
    from chalicelib.tables.intake import FormHead

    if len(form_ids) > MAX_REQUESTS_PER_SEND:
        raise ValidationFailed(f"Send at most {MAX_REQUESTS_PER_SEND} forms at once.", [FieldError("form_ids", "Too many.")])
    unique = list(dict.fromkeys(form_ids))
    pk = accounts.org_pk(principal.org_id)
    keys: list[tuple[type[Model], str, str]] = [_organization_key(principal.org_id), (ClientRecord, pk, accounts.client_sk(client_id))]
    keys += [(FormHead, intake.org_pk(principal.org_id), intake.form_sk(form_id)) for form_id in unique]
    if template_id:
        keys.append((InvitationTemplate, pk, accounts.template_sk(template_id)))
    org, client, *rest = read_together(*keys)
    heads, template = (rest[:-1], rest[-1]) if template_id else (rest, None)
    if client is None or not may_see(principal, client):
        if client is not None:
            audit.record(principal, "client.read", f"client/{client_id}", outcome="denied", subject_client_id=client_id)
        raise NotFound("No client with that id among your clients.")
    if unique:
        _require_intake(org)
    if template_id and template is None:
        message = "Choose one of the practice's saved messages."
        raise ValidationFailed(message, [FieldError("template_id", message)])
    return SendingContext(
        client=client,
        forms=forms.sendable_from([head for head in heads if head is not None], unique),
        template_message=str(template.message) if template is not None else None,
    )


def _client_request(principal: ClientPrincipal, request_id: str) -> FormRequest:
    return _with_intake_on(principal.org_id, FormRequest, intake.org_pk(principal.org_id), intake.request_sk(principal.id, request_id))


# ------------------------------------------------------------------------------------------- sending


def build_requests(principal: StaffPrincipal, sending: SendingContext, form_ids: list[str], *, now: datetime) -> list[FormRequest]:
    """Requests for the named active forms, at their current versions, with their definitions."""
    client, available = sending.client, sending.forms
    if not form_ids:
        return []
    unknown = [form_id for form_id in form_ids if form_id not in available or available[form_id].summary.status != "active"]
    if unknown:
        message = "Choose active forms of this practice."
        raise ValidationFailed(message, [FieldError("form_ids", f"{message} Not available: {', '.join(unknown)}")])
    due = clock.iso(now + timedelta(days=get_settings().intake_reminder_days))
    requests = []
    for form_id in dict.fromkeys(form_ids):
        form = available[form_id]
        request_id = new_id("req")
        requests.append(
            FormRequest(
                intake.org_pk(principal.org_id),
                intake.request_sk(client.id, request_id),
                id=request_id,
                org_id=principal.org_id,
                client_id=client.id,
                form_id=form_id,
                form_version=form.summary.current_version,
                title=form.summary.title,
                definition=form.definition.model_dump(mode="json", exclude_none=True),
                status="pending",
                sent_at=now,
                sent_by=principal.id,
                notify_staff_ids=set(client.therapist_ids or []) or None,
                reminder_shard=intake.REMINDER_SHARD,
                reminder_due_at=due,
            )
        )
    return requests


def send_forms(principal: StaffPrincipal, client_id: str, form_ids: list[str]) -> list[FormRequest]:
    """Send forms to an existing client at any time. The client is told by mail when their account is usable."""
    if not form_ids:
        raise ValidationFailed("Choose at least one form.", [FieldError("form_ids", "Choose at least one form.")])
    sending = read_for_sending(principal, client_id, form_ids)
    client = sending.client
    # A form already waiting for this client is not sent twice: staff send a reminder for it instead.
    waiting = {request.form_id for request in requests_of(principal.org_id, client_id) if request.status != "completed"}
    new_ids = [form_id for form_id in dict.fromkeys(form_ids) if form_id not in waiting]
    if not new_ids:
        raise Conflict("These forms are already waiting for this client. Send a reminder instead.")
    requests = build_requests(principal, sending, new_ids, now=clock.now())
    with transaction() as tx:
        for request in requests:
            tx.save(request, condition=FormRequest.pk.does_not_exist())
        tx.save(audit.event(principal, "forms.send", f"client/{client_id}", subject_client_id=client_id))
    if client.status == "active" and client.email:
        _mail_client(client.email, principal.org_name, principal.org_slug, "paperwork_waiting")
    return requests


def _mail_client(to: str, practice: str, slug: str, template: str) -> bool:
    from chalicelib.adapters.mail import get_mailer
    from chalicelib.errors import DeliveryFailed
    from chalicelib.services.password_links import sign_in_url
    from chalicelib.templates import render_mail

    try:
        get_mailer().send(to, render_mail(template, practice=practice, sign_in_link=sign_in_url(slug)))
    except DeliveryFailed:
        return False
    return True


def list_requests(principal: StaffPrincipal, client_id: str) -> list[FormRequest]:
    from chalicelib.services.clients import load_client

    load_client(principal, client_id)
    found = requests_of(principal.org_id, client_id)
    audit.record(principal, "forms.list", f"client/{client_id}", subject_client_id=client_id)
    return found


SUMMARY_ATTRIBUTES = [
    "pk", "sk", "id", "org_id", "client_id", "form_id", "form_version", "title", "status", "sent_at", "sent_by",
    "viewed_at", "updated_at", "signed_at", "signed_name", "document_sha256", "reminders_sent",
]  # fmt: skip


def requests_of(org_id: str, client_id: str) -> list[FormRequest]:
    """A client's paperwork, oldest first: one Query reading only the summary attributes (not the definitions and
    answers), so the page stays within one read whatever the forms' size."""
    pk = intake.org_pk(org_id)
    found = FormRequest.query(
        pk,
        FormRequest.sk.startswith(intake.client_requests_prefix(client_id)),
        limit=MAX_LISTED,
        attributes_to_get=SUMMARY_ATTRIBUTES,
    )
    return sorted(found, key=lambda request: (request.sent_at, request.title))


def resend(principal: StaffPrincipal, client_id: str, request_id: str) -> FormRequest:
    """Remind the client of a pending request now, and start its reminder schedule again."""
    from chalicelib.services.clients import load_client

    client = load_client(principal, client_id)
    request = _request(principal.org_id, client_id, request_id)
    if request.status == "completed":
        raise Conflict("This form is already completed.")
    due = clock.iso(clock.now() + timedelta(days=get_settings().intake_reminder_days))
    try:
        with transaction() as tx:
            tx.update(
                request,
                actions=[FormRequest.reminder_due_at.set(due), FormRequest.reminder_shard.set(intake.REMINDER_SHARD)],
                condition=FormRequest.status != "completed",
                add_version_condition=False,
            )
            tx.save(audit.event(principal, "forms.resend", f"form_request/{request_id}", subject_client_id=client_id))
    except TransactWriteError as error:
        if tx.failed(error):
            raise Conflict("This form was signed in the meantime.") from None
        raise
    if client.status in {"active", "invited"} and client.email:
        _mail_client(client.email, principal.org_name, principal.org_slug, "paperwork_waiting")
    return request


def _request(org_id: str, client_id: str, request_id: str) -> FormRequest:
    try:
        return FormRequest.get(intake.org_pk(org_id), intake.request_sk(client_id, request_id), consistent_read=True)
    except DoesNotExist:
        raise NotFound("No such form request.") from None


# ------------------------------------------------------------------------------------ client filling in


def my_requests(principal: ClientPrincipal) -> list[FormRequest]:
    found = requests_of(principal.org_id, principal.id)
    audit.record(principal, "forms.list", f"client/{principal.id}", subject_client_id=principal.id)
    return found


def open_request(principal: ClientPrincipal, request_id: str) -> OpenRequest:
    """The form and the saved answers; the first opening is recorded for the signing certificate."""
    request = _client_request(principal, request_id)
    definition = FormDefinition.model_validate(request.definition)
    if request.viewed_at is None and request.status != "completed":
        _record_first_view(request)
    audit.record(principal, "forms.open", f"form_request/{request_id}", subject_client_id=principal.id)
    return OpenRequest(request=request, definition=definition)


def _record_first_view(request: FormRequest) -> None:
    """The first opening, for the certificate; a second tab opening at the same moment changes nothing."""
    try:
        request.update(
            actions=[FormRequest.viewed_at.set(clock.now())], condition=FormRequest.viewed_at.does_not_exist(), add_version_condition=False
        )
    except UpdateError:
        return


def save_answers(principal: ClientPrincipal, request_id: str, answers: dict[str, Any]) -> FormRequest:
    """Save a draft: answers are checked for type and size, not completeness. Refused once completed."""
    _check_size(answers)
    request = _client_request(principal, request_id)
    _refuse_if_completed(request)
    definition = FormDefinition.model_validate(request.definition)
    clean = check_answers(definition, answers)
    now = clock.now()
    try:
        with transaction() as tx:
            tx.update(
                request,
                actions=[FormRequest.answers.set(clean), FormRequest.status.set("in_progress"), FormRequest.updated_at.set(now)],
                condition=FormRequest.status != "completed",
                label="request",
                add_version_condition=False,
            )
            tx.save(audit.event(principal, "forms.save", f"form_request/{request_id}", subject_client_id=principal.id))
    except TransactWriteError as error:
        if tx.failed(error):
            raise Conflict("This form is already signed and can no longer change.") from None
        raise
    request.answers, request.status, request.updated_at = clean, "in_progress", now
    return request


def _check_size(answers: dict[str, Any]) -> None:
    if len(json.dumps(answers)) > 48 * 1024:
        raise ValidationFailed("These answers are too long to save.", [FieldError("answers", "Too long.")])


def _refuse_if_completed(request: FormRequest) -> None:
    if request.status == "completed":
        raise Conflict("This form is already signed and can no longer change.")


def give_consent(principal: ClientPrincipal, request_id: str, disclosure_version: str) -> FormRequest:
    """Consent to sign electronically, given before signing, for the disclosure version the client was shown."""
    if disclosure_version != DISCLOSURE_VERSION:
        message = "The disclosure changed. Reload the page and read it again."
        raise ValidationFailed(message, [FieldError("disclosure_version", message)])
    request = _client_request(principal, request_id)
    _refuse_if_completed(request)
    ctx = context.current()
    consent = Consent(disclosure_version=disclosure_version, at=clock.now(), ip=ctx.ip, user_agent=ctx.user_agent[:512])
    try:
        with transaction() as tx:
            tx.update(
                request,
                actions=[FormRequest.consent.set(consent)],
                condition=FormRequest.status != "completed",
                add_version_condition=False,
            )
            tx.save(audit.event(principal, "forms.esign_consent", f"form_request/{request_id}", subject_client_id=principal.id))
    except TransactWriteError as error:
        if tx.failed(error):
            raise Conflict("This form is already signed and can no longer change.") from None
        raise
    request.consent = consent
    return request


# ------------------------------------------------------------------------------------------------ signing


@dataclass(frozen=True)
class Signature:
    full_name: str
    attested: bool
    answers: dict[str, Any] | None = None


def submit(principal: ClientPrincipal, request_id: str, signature: Signature) -> FormRequest:
    """Check completeness and consent, render and store the signed PDF, then complete the request — once."""
    request = _client_request(principal, request_id)
    _refuse_if_completed(request)
    definition = FormDefinition.model_validate(request.definition)
    if signature.answers is not None:
        _check_size(signature.answers)
    answers = check_answers(definition, signature.answers if signature.answers is not None else dict(request.answers or {}))
    answers = check_complete(definition, answers)
    _check_signature(request, signature)
    signed_at = clock.now()
    ctx = context.current()
    record = _signed_record(principal, request, definition, answers, signature.full_name.strip(), signed_at)
    pdf = _render(record)
    stored = _store(principal, request, pdf)
    try:
        with transaction() as tx:
            _complete(tx, request, answers, record, stored, ctx.ip, ctx.user_agent[:512])
            tx.save(audit.event(principal, "forms.sign", f"form_request/{request_id}", subject_client_id=principal.id))
    except TransactWriteError as error:
        _discard(stored.key)  # this attempt's own object: the winner's document is untouched
        if tx.failed(error):
            raise Conflict("This form was already signed.") from None
        raise
    _notify_staff(principal, request)
    request.status, request.answers, request.signed_name, request.signed_at = (
        "completed",
        answers,
        record["signer"]["typed_name"],
        signed_at,
    )
    request.content_sha256, request.document_key, request.document_sha256 = record["content_sha256"], stored.key, stored.sha256
    return request


def _check_signature(request: FormRequest, signature: Signature) -> None:
    if request.consent is None:
        raise ValidationFailed("Agree to sign electronically before signing.", [FieldError("consent", "Consent is needed first.")])
    if not signature.attested:
        raise ValidationFailed("Confirm the signing statement.", [FieldError("attested", "Confirm the statement to sign.")])
    name = signature.full_name.strip()
    if len(name) < 2 or len(name) > 120:
        raise ValidationFailed("Type your full name to sign.", [FieldError("full_name", "Type your full name.")])


def _signed_record(
    principal: ClientPrincipal, request: FormRequest, definition: FormDefinition, answers: dict[str, Any], name: str, signed_at: datetime
) -> dict[str, Any]:
    """The signed content: what the PDF shows and what the content hash covers (canonical JSON)."""
    consent = request.consent
    assert consent is not None
    content = {
        "form": {"id": request.form_id, "version": int(request.form_version), "title": definition.title},
        "fields": [spec.model_dump(mode="json", exclude_none=True) for spec in definition.fields],
        "answers": answers,
        "signer": {"typed_name": name, "account_email": principal.email},
        "attestation": ATTESTATION,
        "signed_at": clock.iso(signed_at),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {
        **content,
        "practice": principal.org_name,
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


def _store(principal: ClientPrincipal, request: FormRequest, pdf: bytes) -> Any:
    """Each signing attempt writes its own object, so a losing concurrent attempt can never replace the document
    the winning one recorded."""
    from chalicelib.adapters.storage import get_storage

    key = f"orgs/{principal.org_id}/clients/{principal.id}/documents/{request.id}/{new_id('pdf')}.pdf"
    return get_storage().put(key, pdf, "application/pdf")


def _discard(key: str) -> None:
    from chalicelib.adapters.storage import get_storage

    get_storage().delete_quietly(key)


def _complete(
    tx: Transaction, request: FormRequest, answers: dict[str, Any], record: dict[str, Any], stored: Any, ip: str, ua: str
) -> None:
    tx.update(
        request,
        actions=[
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


def _notify_staff(principal: ClientPrincipal, request: FormRequest) -> None:
    """Every staff member assigned to the client gets a mail with no PHI in it (one BatchGetItem for addresses)."""
    staff_ids = sorted(request.notify_staff_ids or [])
    if not staff_ids:
        return
    pk = accounts.org_pk(principal.org_id)
    for member in StaffMember.batch_get([(pk, accounts.staff_sk(staff_id)) for staff_id in staff_ids]):
        if member.status == "active":
            _mail_client(member.email, principal.org_name, principal.org_slug, "paperwork_completed")


# ---------------------------------------------------------------------------------------------- documents


def documents_of(principal: StaffPrincipal, client_id: str) -> list[FormRequest]:
    """General Documents: the client's signed forms."""
    from chalicelib.services.clients import load_client

    load_client(principal, client_id)
    found = [request for request in requests_of(principal.org_id, client_id) if request.status == "completed"]
    audit.record(principal, "documents.list", f"client/{client_id}", subject_client_id=client_id)
    return found


@dataclass(frozen=True)
class DownloadLink:
    url: str
    expires_at: datetime
    sha256: str
    filename: str


def staff_download(principal: StaffPrincipal, client_id: str, request_id: str) -> DownloadLink:
    from chalicelib.services.clients import load_client

    load_client(principal, client_id)
    return _download(principal, client_id, request_id)


def client_download(principal: ClientPrincipal, request_id: str) -> DownloadLink:
    return _download(principal, principal.id, request_id)


def _download(principal: Principal, client_id: str, request_id: str) -> DownloadLink:
    """A five-minute link, issued after the stored file's hash matches the one recorded at signing."""
    from chalicelib.adapters.storage import MAX_PRESIGN_SECONDS, get_storage

    request = _request(principal.org_id, client_id, request_id)
    if request.status != "completed" or not request.document_key:
        raise NotFound("This form has not been signed yet.")
    storage = get_storage()
    if storage.sha256_of(request.document_key) != request.document_sha256:
        audit.record(principal, "documents.download", f"form_request/{request_id}", outcome="failure", subject_client_id=client_id)
        raise DependencyFailed("The stored document does not match the signed one. Contact your administrator.")
    filename = f"{request.title} - signed {request.signed_at:%Y-%m-%d}.pdf".replace('"', "")
    url = storage.presigned_get(request.document_key, filename)
    audit.record(principal, "documents.download", f"form_request/{request_id}", subject_client_id=client_id)
    return DownloadLink(
        url=url, expires_at=clock.now() + timedelta(seconds=MAX_PRESIGN_SECONDS), sha256=str(request.document_sha256), filename=filename
    )


# ---------------------------------------------------------------------------------------------- reminders


def send_due_reminders(limit: int = 100) -> int:
    """The scheduled job: remind clients of pending paperwork whose reminder is due (a Query on the sparse
    by_reminder index — no Scan), at most MAX_REMINDERS times per request. Returns how many mails went out."""
    now = clock.now()
    sent = 0
    due = FormRequest.by_reminder.query(intake.REMINDER_SHARD, FormRequest.reminder_due_at <= clock.iso(now), limit=limit)
    for request in due:
        try:
            sent += _remind(request, now)
        except UpdateError:
            continue  # signed while the job ran: nothing to remind, and the rest of the batch goes on
    return sent


def _remind(request: FormRequest, now: datetime) -> int:
    from chalicelib.services.organizations import load

    try:
        client = ClientRecord.get(accounts.org_pk(request.org_id), accounts.client_sk(request.client_id))
        org = load(request.org_id)
    except (DoesNotExist, NotFound):
        return 0
    done = int(request.reminders_sent or 0) + 1 >= MAX_REMINDERS
    next_due = clock.iso(now + timedelta(days=get_settings().intake_reminder_days))
    actions: list[Action] = [FormRequest.reminders_sent.add(1)]
    if done:
        actions += [FormRequest.reminder_shard.remove(), FormRequest.reminder_due_at.remove()]
    else:
        actions.append(FormRequest.reminder_due_at.set(next_due))
    request.update(actions=actions, condition=FormRequest.status != "completed", add_version_condition=False)
    if client.status in {"active", "invited"} and client.email:
        return int(_mail_client(client.email, org.name, org.slug, "paperwork_reminder"))
    return 0
