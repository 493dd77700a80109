"""Sending forms to a client — with a portal invitation or at any time — and reminding them of one now.

Sending reads the client, the named forms' heads (which carry their current definitions) and the open-request claims
of those forms in one TransactGetItems; a form already waiting for the client is skipped, and each new request is
written with its claim under a condition, so racing sends of one form leave exactly one request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.models import Model

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.domain.intake import FormRequest as Request
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services import forms, outbox, worklist
from chalicelib.services.paperwork.common import refuse_if_completed, requests_of
from chalicelib.services.paperwork.notices import client_notice
from chalicelib.services.visibility import checked, client_for
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord, InvitationTemplate
from chalicelib.tables.base import Transaction, read_together, transaction
from chalicelib.tables.intake import REMINDER_SHARD, FormHead, FormRequest, OpenRequestClaim, request_of

MAX_REQUESTS_PER_SEND = 20
WAITING = "These forms are already waiting for this client. Send a reminder instead."


@dataclass(frozen=True)
class SendingContext:
    client: ClientRecord
    forms: dict[str, forms.SendableForm]
    waiting: frozenset[str]  # forms already waiting for the client
    template_message: str | None = None


def read_for_sending(principal: StaffPrincipal, client_id: str, form_ids: list[str], template_id: str | None = None) -> SendingContext:
    """The client, the named forms' heads, their open-request claims (and a saved message) in one TransactGetItems.
    The client must be visible to the principal (else NotFound, audited)."""
    if len(form_ids) > MAX_REQUESTS_PER_SEND:
        raise ValidationFailed(f"Send at most {MAX_REQUESTS_PER_SEND} forms at once.", [FieldError("form_ids", "Too many.")])
    unique = list(dict.fromkeys(form_ids))
    pk = keys.org_pk(principal.org_id)
    wanted: list[tuple[type[Model], str, str | None]] = [(ClientRecord, pk, keys.client_sk(client_id))]
    wanted += [(FormHead, pk, keys.form_sk(form_id)) for form_id in unique]
    wanted += [(OpenRequestClaim, pk, keys.open_request_sk(client_id, form_id)) for form_id in unique]
    if template_id:
        wanted.append((InvitationTemplate, pk, keys.template_sk(template_id)))
    found = read_together(*wanted)
    client = checked(principal, found[0], client_id)
    heads, claims = found[1 : 1 + len(unique)], found[1 + len(unique) : 1 + 2 * len(unique)]
    template = found[-1] if template_id else None
    if template_id and template is None:
        message = "Choose one of the practice's saved messages."
        raise ValidationFailed(message, [FieldError("template_id", message)])
    return SendingContext(
        client=client,
        forms=forms.sendable_from([head for head in heads if head is not None], unique),
        waiting=frozenset(form_id for form_id, claim in zip(unique, claims, strict=True) if claim is not None),
        template_message=str(template.message) if template is not None else None,
    )


def build_requests(principal: StaffPrincipal, sending: SendingContext, form_ids: list[str], *, now: datetime) -> list[FormRequest]:
    """Requests for the named active forms not already waiting, at their current versions, with their definitions."""
    client, available = sending.client, sending.forms
    unknown = [form_id for form_id in form_ids if form_id not in available or available[form_id].summary.status != "active"]
    if unknown:
        message = "Choose active forms of this practice."
        raise ValidationFailed(message, [FieldError("form_ids", f"{message} Not available: {', '.join(unknown)}")])
    due = clock.iso(now + timedelta(days=get_settings().intake_reminder_days))
    requests = []
    for form_id in dict.fromkeys(form_ids):
        if form_id in sending.waiting:
            continue
        form = available[form_id]
        request_id = new_id("req")
        requests.append(
            FormRequest(
                keys.org_pk(principal.org_id),
                keys.request_sk(client.id, request_id),
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
                reminder_shard=REMINDER_SHARD,
                reminder_due_at=due,
                position=form.summary.position,
            )
        )
    return requests


def save_requests(tx: Transaction, requests: list[FormRequest]) -> None:
    """Each request with its claim: a second open request for the same client and form cancels the transaction."""
    for request in requests:
        tx.save(request, condition=FormRequest.pk.does_not_exist())
        claim = OpenRequestClaim(request.pk, keys.open_request_sk(request.client_id, request.form_id), request_id=request.id)
        tx.save(claim, condition=OpenRequestClaim.pk.does_not_exist(), label="waiting")
    tx.conflicts.setdefault("waiting", Conflict(WAITING))


def send_forms(principal: StaffPrincipal, client_id: str, form_ids: list[str]) -> list[Request]:
    """Send forms to an existing client at any time. The client is told by mail when their account is usable."""
    if not form_ids:
        raise ValidationFailed("Choose at least one form.", [FieldError("form_ids", "Choose at least one form.")])
    sending = read_for_sending(principal, client_id, form_ids)
    requests = build_requests(principal, sending, form_ids, now=clock.now())
    if not requests:
        raise Conflict(WAITING)
    client = sending.client
    with transaction() as tx:
        save_requests(tx, requests)
        worklist.paperwork_sent(tx, client, len(requests))
        tx.save(audit.event(principal, "forms.send", f"client/{client_id}", subject_client_id=client_id))
        if client.status == "active" and client.email:
            outbox.enqueue(tx, principal.org_id, client_notice(client, principal, "paperwork_waiting"))
    return [request_of(request) for request in requests]


def list_requests(principal: StaffPrincipal, client_id: str) -> list[Request]:
    client_for(principal, client_id)
    found = requests_of(principal.org_id, client_id)
    audit.record(principal, "forms.list", f"client/{client_id}", subject_client_id=client_id)
    return [request_of(request) for request in found]


def resend(principal: StaffPrincipal, client_id: str, request_id: str) -> Request:
    """Remind the client of a pending request now, and start its reminder schedule again."""
    client, request = _client_and_request(principal, client_id, request_id)
    refuse_if_completed(request)
    due = clock.iso(clock.now() + timedelta(days=get_settings().intake_reminder_days))
    with transaction({"unlabelled": Conflict("This form was signed in the meantime.")}) as tx:
        tx.update(
            request,
            actions=[FormRequest.reminder_due_at.set(due), FormRequest.reminder_shard.set(REMINDER_SHARD)],
            condition=FormRequest.status != "completed",
            add_version_condition=False,
        )
        tx.save(audit.event(principal, "forms.resend", f"form_request/{request_id}", subject_client_id=client_id))
        if client.status in {"active", "invited"} and client.email:
            outbox.enqueue(tx, principal.org_id, client_notice(client, principal, "paperwork_waiting"))
    return request_of(request)


def _client_and_request(principal: StaffPrincipal, client_id: str, request_id: str) -> tuple[ClientRecord, FormRequest]:
    pk = keys.org_pk(principal.org_id)
    client, request = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)), (FormRequest, pk, keys.request_sk(client_id, request_id))
    )
    checked(principal, client, client_id)
    if request is None:
        raise NotFound("No such form request.")
    return client, request
