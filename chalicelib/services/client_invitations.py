"""Client portal accounts: invitations (send and resend), self sign-up, disabling and enabling access.

Each portal account needs an email unique within the organization: the invitation claims it (EmailClaim, written
with a condition), so a second client — or a staff member — cannot get a portal account with the same email, even
when two invitations race. Inviting an existing client never creates a record; self sign-up looks for an existing
client with the email first and invites them instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import TransactWriteError

from chalicelib import clock
from chalicelib.auth.principals import Anonymous, StaffPrincipal
from chalicelib.auth.sessions import SessionEnder, session_keys_of
from chalicelib.errors import Conflict, FeatureDisabled, FieldError, Forbidden, StaleVersion, ValidationFailed
from chalicelib.services import audit, password_links, throttling, validation
from chalicelib.services.clients import load_client, search_tokens
from chalicelib.tables import accounts
from chalicelib.tables.accounts import ClientInvitation, ClientRecord, EmailClaim, SearchEntry
from chalicelib.tables.base import Transaction, transaction
from chalicelib.tables.organizations import SlugClaim

MAX_FORMS = 20
MAX_MESSAGE = 2000


@dataclass(frozen=True)
class InvitationRequest:
    form_ids: list[str]
    message: str | None = None
    template_id: str | None = None


def require_inviter(principal: StaffPrincipal) -> None:
    if not (principal.is_administrator or principal.can_invite_clients):
        audit.record(principal, "client.invite", "clients", outcome="denied")
        raise Forbidden("Ask an administrator to send portal invitations, or to allow you to send them.")


def invite_client(principal: StaffPrincipal, client_id: str, request: InvitationRequest) -> ClientRecord:
    """Send (or re-send) the invitation; a new link replaces the old one, which stops working."""
    from chalicelib.services import paperwork

    require_inviter(principal)
    form_ids = _form_ids(request.form_ids)
    sending = paperwork.read_for_sending(principal, client_id, form_ids, request.template_id if not request.message else None)
    client = sending.client
    message = _message(request.message) or sending.template_message
    _check_invitable(client)
    forms_sent = paperwork.build_requests(principal, sending, form_ids, now=clock.now())
    link = _issue(client, principal.org_name, principal.org_slug)
    try:
        with transaction() as tx:
            _write_invitation(tx, client, link, form_ids=form_ids, invited_by=principal.id)
            for form_request in forms_sent:
                tx.save(form_request)
            tx.save(audit.event(principal, "client.invite", f"client/{client.id}", subject_client_id=client.id))
    except TransactWriteError as error:
        _raise_for(tx, error)
        raise
    delivered = password_links.send(link, to=client.email or "", practice=principal.org_name, slug=principal.org_slug, message=message)
    _record_delivery(client, delivered)
    client.invitation_delivery = "sent" if delivered else "failed"
    return client


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
) -> None:
    """Claim the email for this client (a claim by anyone else fails), store the link and the choices made. A new
    record (self sign-up) is saved with them; an existing one is updated, if it may still be invited."""
    email = client.email or ""
    tx.save(
        EmailClaim(accounts.org_pk(client.org_id), accounts.email_sk(email), account_id=client.id, kind="client"),
        condition=EmailClaim.pk.does_not_exist() | (EmailClaim.account_id == client.id),
        label="email",
    )
    tx.save(link.record)
    values = {
        "status": "invited",
        "email_key": accounts.email_key(client.org_id, email),
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
        return
    actions = [getattr(ClientRecord, name).set(value) for name, value in values.items()]
    if self_signed:
        # Not read first: the condition is the check. A disabled account that once had a password stays disabled.
        invitable = ClientRecord.status.is_in("not_invited", "invited") | (
            (ClientRecord.status == "disabled") & ClientRecord.password_hash.does_not_exist()
        )
        target: ClientRecord | ClientInvitation = ClientInvitation(client.pk, client.sk)
    else:
        invitable = ClientRecord.status.is_in("not_invited", "invited", "disabled")
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


def _raise_for(tx: Transaction, error: TransactWriteError) -> None:
    failed = tx.failed(error)
    if "email" in failed:
        raise Conflict(
            "Another portal account already uses this email. Each portal account needs its own email address.",
            [FieldError("email", "This email is already used by another portal account.")],
        ) from None
    if failed:
        raise StaleVersion("This client changed in the meantime. Reload and try again.") from None


# ----------------------------------------------------------------------------------------- access


def disable_access(principal: StaffPrincipal, client_id: str) -> ClientRecord:
    """The client can no longer sign in; their sessions end now. The email stays reserved for them."""
    require_inviter(principal)
    client = load_client(principal, client_id)
    if client.status not in {"invited", "active"}:
        raise Conflict("This client has no portal access to disable.")
    sessions = SessionEnder(session_keys_of(principal.org_id, client_id))
    try:
        with transaction() as tx:
            tx.update(
                client,
                actions=[ClientRecord.status.set("disabled"), ClientRecord.password_token_hash.remove()],
                condition=ClientRecord.status.is_in("invited", "active"),
                add_version_condition=False,
            )
            sessions.add_to(tx)
            tx.save(audit.event(principal, "client.portal_disable", f"client/{client_id}", subject_client_id=client_id))
    except TransactWriteError as error:
        _raise_for(tx, error)
        raise
    sessions.finish()
    client.status, client.password_token_hash = "disabled", None
    return client


def enable_access(principal: StaffPrincipal, client_id: str) -> ClientRecord:
    """Back to active if the client had set a password; otherwise they need a new invitation."""
    require_inviter(principal)
    client = load_client(principal, client_id)
    if client.status != "disabled":
        raise Conflict("This client's portal access is not disabled.")
    status = "active" if client.password_hash else "not_invited"
    try:
        with transaction() as tx:
            tx.update(
                client,
                actions=[ClientRecord.status.set(status)],
                condition=ClientRecord.status == "disabled",
                add_version_condition=False,
            )
            tx.save(audit.event(principal, "client.portal_enable", f"client/{client_id}", subject_client_id=client_id))
    except TransactWriteError as error:
        _raise_for(tx, error)
        raise
    client.status = status
    return client


# ---------------------------------------------------------------------------------------- self sign-up


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
    try:
        with transaction() as tx:
            throttling.limit_sign_ups(tx, claim.org_id, address)
            if existing_id is None:
                for token in search_tokens(client.name, None, address):
                    tx.save(SearchEntry(client.pk, accounts.search_sk(token, client.id), client_id=client.id))
            _write_invitation(tx, client, link, form_ids=[], invited_by="self-sign-up", new=existing_id is None, self_signed=True)
            actor = Anonymous(org_id=claim.org_id, id=client.id)
            tx.save(audit.event(actor, "client.self_sign_up", f"client/{client.id}", subject_client_id=client.id))
    except TransactWriteError as error:
        failed = tx.failed(error)
        if failed:  # throttled; or a staff email, another portal account, an account that is active or disabled
            outcome = "denied" if throttling.THROTTLED in failed else "failure"
            audit.record(Anonymous(org_id=claim.org_id), "client.self_sign_up", "clients", outcome=outcome)
            return
        raise
    delivered = password_links.send(link, to=address, practice=claim.org_name, slug=slug)
    _record_delivery(client, delivered)


def _record_delivery(client: ClientRecord, delivered: bool) -> None:
    """Through the version-less view: a delivery result is not an edit of the record."""
    ClientInvitation(client.pk, client.sk).update(actions=[ClientInvitation.invitation_delivery.set("sent" if delivered else "failed")])


def _existing_client(claim: SlugClaim, client_id: str, email: str) -> ClientRecord:
    """A key-only stand-in for an existing client: the invitation's conditions check its state on write."""
    return ClientRecord(
        accounts.org_pk(claim.org_id),
        accounts.client_sk(client_id),
        org_id=claim.org_id,
        id=client_id,
        email=email,
        name="",
        time_zone=claim.time_zone or "UTC",
        created_at=clock.now(),
    )


def _client_id_with_email(org_id: str, email: str) -> str | None:
    """An existing client with this email, found through its email search entry (a Query, not a Scan)."""
    pk = accounts.org_pk(org_id)
    for entry in SearchEntry.query(pk, SearchEntry.sk.startswith(accounts.search_sk(email, "")), limit=1):
        return str(entry.client_id)
    return None


def _new_self_signed_client(claim: SlugClaim, name: str, email: str) -> ClientRecord:
    from chalicelib.auth.tokens import new_id

    client_id = new_id("cli")
    return ClientRecord(
        accounts.org_pk(claim.org_id),
        accounts.client_sk(client_id),
        org_id=claim.org_id,
        id=client_id,
        name=name,
        email=email,
        time_zone=claim.time_zone or "UTC",
        status="not_invited",
        created_at=clock.now(),
    )
