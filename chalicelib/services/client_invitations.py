"""Client portal accounts: invitations (send and resend), self sign-up, disabling and enabling access.

Each portal account needs an email unique within the organization: the invitation claims it (EmailClaim, written
with a condition), so a second client — or a staff member — cannot get a portal account with the same email, even
when two invitations race: one wins, the others get 409 and change nothing. Inviting an existing client never
creates a record; self sign-up looks for an existing client with the email first and invites them instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib import audit, clock
from chalicelib.auth.principals import Anonymous, StaffPrincipal
from chalicelib.auth.sessions import revoke_all
from chalicelib.domain.people import Client
from chalicelib.errors import Conflict, DomainError, FeatureDisabled, FieldError, StaleVersion, ValidationFailed
from chalicelib.services import outbox, password_links, throttling, validation, worklist
from chalicelib.services.clients import load_client, search_tokens
from chalicelib.services.paperwork import sending
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientInvitation, ClientRecord, EmailClaim, SearchEntry, client_of
from chalicelib.tables.base import Transaction, transaction
from chalicelib.tables.organizations import SlugClaim

MAX_FORMS = 20
MAX_MESSAGE = 2000
EMAIL_TAKEN = "Another portal account already uses this email. Each portal account needs its own email address."


@dataclass(frozen=True)
class InvitationRequest:
    form_ids: list[str]
    message: str | None = None
    template_id: str | None = None


def _conflicts() -> dict[str, DomainError]:
    return {
        "email": Conflict(EMAIL_TAKEN, [FieldError("email", "This email is already used by another portal account.")]),
        "client": StaleVersion("This client changed in the meantime. Reload and try again."),
    }


def invite_client(principal: StaffPrincipal, client_id: str, request: InvitationRequest) -> Client:
    """Send (or re-send) the invitation; a new link replaces the old one, which stops working. Forms chosen with it
    become paperwork requests (a form already waiting for the client is not sent twice)."""
    form_ids = _form_ids(request.form_ids)
    template_id = request.template_id if not request.message else None
    context = sending.read_for_sending(principal, client_id, form_ids, template_id)
    client = context.client
    message = _message(request.message) or context.template_message
    _check_invitable(client)
    requests = sending.build_requests(principal, context, form_ids, now=clock.now())
    link = _issue(client, principal.org_name, principal.org_slug)
    practice = principal.practice
    mail = password_links.mail_for(
        link, to=client.email or "", practice=practice.name, slug=practice.slug, time_zone=practice.time_zone, message=message
    )
    with transaction(_conflicts()) as tx:
        _write_invitation(tx, client, link, form_ids=form_ids, invited_by=principal.id, forms=len(requests))
        sending.save_requests(tx, requests)
        tx.save(audit.event(principal, "client.invite", f"client/{client.id}", subject_client_id=client.id))
        queued = password_links.enqueue(tx, link, mail, report=True)
    client.invitation_delivery = _shown(outbox.send_now(queued))
    return client_of(client)


def _shown(outcome: str | None) -> str | None:
    """What staff see right after sending: "sent", or "failed" while it is not confirmed (the outbox retries)."""
    return "sent" if outcome == "sent" else "failed"


def _message(message: str | None) -> str | None:
    text = (message or "").strip()
    if len(text) > MAX_MESSAGE:
        raise ValidationFailed(f"Keep the message under {MAX_MESSAGE} characters.", [FieldError("message", "Too long.")])
    return text or None


def _form_ids(form_ids: list[str]) -> list[str]:
    if len(form_ids) > MAX_FORMS:
        raise ValidationFailed(f"Send at most {MAX_FORMS} forms at once.", [FieldError("form_ids", "Too many forms.")])
    return list(dict.fromkeys(form_ids))


def _check_invitable(client: ClientRecord) -> None:
    if not client.email:
        message = "Add the client's email before inviting them."
        raise ValidationFailed(message, [FieldError("email", message)])
    if client.status == "active":
        raise Conflict("This client already has an active portal account. Share the login link instead.")
    if client.status == "disabled" and client.password_hash:
        raise Conflict("This client's portal access is disabled. Enable it instead of inviting again.")


def _issue(client: ClientRecord, org_name: str, org_slug: str) -> password_links.IssuedLink:
    return password_links.issue(password_links.Purpose.CLIENT_INVITE, client.org_id, client.id, org_name=org_name, org_slug=org_slug)


def _write_invitation(
    tx: Transaction,
    client: ClientRecord,
    link: password_links.IssuedLink,
    *,
    form_ids: list[str],
    invited_by: str,
    new: bool = False,
    self_signed: bool = False,
    forms: int = 0,
) -> None:
    """Claim the email for this client (a claim by anyone else fails), store the link and the choices made. A new
    record (self sign-up) is saved with them; an existing one is updated, if it may still be invited. The client
    joins the staff's worklists (``forms`` sent with the invitation are counted)."""
    email = client.email or ""
    tx.save(
        EmailClaim(keys.org_pk(client.org_id), keys.email_sk(email), account_id=client.id, kind="client"),
        condition=EmailClaim.pk.does_not_exist() | (EmailClaim.account_id == client.id),
        label="email",
    )
    tx.save(link.record)
    values = {
        "status": "invited",
        "email_key": keys.email_key(client.org_id, email),
        "password_token_hash": link.token_hash,
        "invited_at": clock.now(),
        "invited_by": invited_by,
        "invitation_expires_at": link.record.expires_at,
        "form_ids": form_ids,
    }
    if new:
        for name, value in values.items():
            setattr(client, name, value)
        tx.save(client, condition=ClientRecord.pk.does_not_exist(), label="client")
        worklist.signed_up(tx, client.org_id, client.id)
        return
    actions = [getattr(ClientRecord, name).set(value) for name, value in values.items()]
    if forms:
        actions += worklist.sent_actions(forms, clock.now())
    if self_signed:
        # Not read first: the condition is the check. A disabled account that once had a password stays disabled.
        invitable = ClientRecord.status.is_in("not_invited", "invited") | (
            (ClientRecord.status == "disabled") & ClientRecord.password_hash.does_not_exist()
        )
        target: ClientRecord | ClientInvitation = ClientInvitation(client.pk, client.sk)
        worklist.signed_up(tx, client.org_id, client.id)
    else:
        # The worklists get the therapists read: the record must still have them (its version), else "changed".
        invitable = ClientRecord.status.is_in("not_invited", "invited", "disabled") & worklist.invited(tx, client)
        target = client
    tx.update(
        target,
        actions=[*actions, ClientRecord.invitation_delivery.remove()],
        condition=invitable & (ClientRecord.email == email),
        label="client",
        add_version_condition=False,
    )
    for name, value in {**values, "invitation_delivery": None}.items():
        setattr(client, name, value)  # the caller answers with the record as written


# ----------------------------------------------------------------------------------------- access


def disable_access(principal: StaffPrincipal, client_id: str) -> Client:
    """The client can no longer sign in; their sessions end now. The email stays reserved for them."""
    client = load_client(principal, client_id)
    if client.status not in {"invited", "active"}:
        raise Conflict("This client has no portal access to disable.")
    with transaction({"unlabelled": StaleVersion("This client changed in the meantime. Reload and try again.")}) as tx:
        settled = worklist.access_disabled(tx, client)
        allowed = ClientRecord.status.is_in("invited", "active")
        tx.update(
            client,
            actions=[ClientRecord.status.set("disabled"), ClientRecord.password_token_hash.remove(), revoke_all()],
            condition=allowed & settled if settled is not None else allowed,
            add_version_condition=False,
        )
        tx.save(audit.event(principal, "client.portal_disable", f"client/{client_id}", subject_client_id=client_id))
    client.status, client.password_token_hash = "disabled", None
    return client_of(client)


def enable_access(principal: StaffPrincipal, client_id: str) -> Client:
    """Back to active if the client had set a password; otherwise they need a new invitation."""
    client = load_client(principal, client_id)
    if client.status != "disabled":
        raise Conflict("This client's portal access is not disabled.")
    status = "active" if client.password_hash else "not_invited"
    with transaction({"unlabelled": StaleVersion("This client changed in the meantime. Reload and try again.")}) as tx:
        tx.update(
            client, actions=[ClientRecord.status.set(status)], condition=ClientRecord.status == "disabled", add_version_condition=False
        )
        tx.save(audit.event(principal, "client.portal_enable", f"client/{client_id}", subject_client_id=client_id))
    client.status = status
    return client_of(client)


# ---------------------------------------------------------------------------------------- self sign-up


class _Refused(DomainError):
    """A self sign-up that conditions refused (never shown: the route answers the same way)."""


def self_sign_up(slug: str, name: str, email: str) -> None:
    """Always answers the same way (no enumeration). A new person gets a client record and an invitation; an
    existing client who may still be invited gets the invitation (no duplicate record); an active or disabled
    account, or a staff member's email, gets nothing new. Conditions decide, so the record is never read first."""
    from chalicelib.services.organizations import org_id_for_slug

    slug = slug.lower()
    claim = org_id_for_slug(slug)
    if not claim.self_signup:
        raise FeatureDisabled("This practice invites clients itself. Contact the practice to get an invitation.")
    full_name = validation.check_text(name, "name", max_length=120)
    address = validation.normalise_email(email)
    existing_id = _client_id_with_email(claim.org_id, address)
    client = _existing_client(claim, existing_id, address) if existing_id else _new_self_signed_client(claim, full_name, address)
    link = _issue(client, claim.org_name, slug)
    refused = _Refused()
    try:
        with transaction({throttling.THROTTLED: refused, "email": refused, "client": refused}) as tx:
            throttling.count_in(tx, throttling.sign_up_counters(claim.org_id, address))
            if existing_id is None:
                for token in search_tokens(client.name, None, address):
                    tx.save(SearchEntry(client.pk, keys.search_sk(token, client.id), client_id=client.id))
            _write_invitation(tx, client, link, form_ids=[], invited_by="self-sign-up", new=existing_id is None, self_signed=True)
            actor = Anonymous(org_id=claim.org_id, id=client.id)
            tx.save(audit.event(actor, "client.self_sign_up", f"client/{client.id}", subject_client_id=client.id))
            mail = password_links.mail_for(link, to=address, practice=claim.org_name, slug=slug, time_zone=claim.time_zone)
            queued = password_links.enqueue(tx, link, mail, report=True)
    except _Refused:
        # Throttled; or a staff email, another portal account, an account that is active or disabled.
        outcome = "denied" if throttling.THROTTLED in tx.failed_labels else "failure"
        audit.record(Anonymous(org_id=claim.org_id), "client.self_sign_up", "clients", outcome=outcome)
        return
    outbox.send_now(queued)


def _existing_client(claim: SlugClaim, client_id: str, email: str) -> ClientRecord:
    """A key-only stand-in for an existing client: the invitation's conditions check its state on write."""
    return ClientRecord(
        keys.org_pk(claim.org_id),
        keys.client_sk(client_id),
        org_id=claim.org_id,
        id=client_id,
        email=email,
        name="",
        time_zone=claim.time_zone or "UTC",
        created_at=clock.now(),
    )


def _client_id_with_email(org_id: str, email: str) -> str | None:
    """An existing client with this email, found through its email search entry (a Query, not a Scan)."""
    pk = keys.org_pk(org_id)
    for entry in SearchEntry.query(pk, SearchEntry.sk.startswith(keys.search_sk(email, "")), limit=1):
        return str(entry.client_id)
    return None


def _new_self_signed_client(claim: SlugClaim, name: str, email: str) -> ClientRecord:
    from chalicelib.auth.tokens import new_id

    client_id = new_id("cli")
    return ClientRecord(
        keys.org_pk(claim.org_id),
        keys.client_sk(client_id),
        org_id=claim.org_id,
        id=client_id,
        name=name,
        email=email,
        time_zone=claim.time_zone or "UTC",
        status="not_invited",
        created_at=clock.now(),
    )
