"""Sign-in, sign-out, password change and set-password links (staff invitations and resets).

No message reveals whether an email has an account. Failed sign-ins are counted per account key (organization +
email digest, so unknown emails are throttled alike) and per IP, in fixed windows.
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from chalicelib import clock
from chalicelib.auth import passwords, sessions
from chalicelib.auth.principals import Anonymous, Principal, Role
from chalicelib.auth.sessions import Identity, NewSession, SessionEnder, session_keys_of
from chalicelib.auth.tokens import digest
from chalicelib.errors import FieldError, TokenInvalid, TooManyAttempts, Unauthenticated, ValidationFailed
from chalicelib.services import audit, password_links, throttling, validation
from chalicelib.services.organizations import org_id_for_slug
from chalicelib.tables import accounts
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import transaction
from chalicelib.tables.sessions import Session, session_pk
from chalicelib.tables.throttles import Throttle
from chalicelib.tables.tokens import PasswordToken, token_pk

WRONG_CREDENTIALS = "That email and password don't match an account at this practice."


INACTIVE = {"deactivated", "disabled"}  # staff and client words for "may not sign in"


def find_account(org_id: str, email: str) -> Login | None:
    """The staff member or client whose portal account uses this email (one Query on the sparse by_email index)."""
    for account in Login.by_email.query(accounts.email_key(org_id, email), limit=1):
        return account
    return None


def _resource(account: Login) -> str:
    return f"{'client' if account.is_client else 'staff'}/{account.id}"


def _identity(account: Login, org_name: str, org_slug: str) -> Identity:
    return Identity(
        org_id=account.org_id,
        org_name=org_name,
        org_slug=org_slug,
        principal_id=account.id,
        role=Role(account.role),
        name=account.name,
        email=account.email or "",
        can_invite_clients=bool(account.can_invite_clients) and not account.is_client,
    )


# ----------------------------------------------------------------------------------------------- sign-in


def sign_in(slug: str, email: str, password: str) -> NewSession:
    slug = slug.lower()  # the session and mailed links carry the stored (lowercase) slug
    claim = org_id_for_slug(slug)
    org_id = claim.org_id
    email = email.strip().lower()
    counters = throttling.sign_in_counters(org_id, email)
    exhausted = throttling.first_exhausted(counters)
    if exhausted is not None:
        audit.record(Anonymous(org_id=org_id), "session.sign_in", "session", outcome="denied")
        raise TooManyAttempts(
            "Too many unsuccessful sign-in attempts. Wait a few minutes, or reset your password.",
            retry_after_seconds=exhausted.retry_after_seconds(clock.now()),
        )
    member = find_account(org_id, email) if validation.EMAIL_PATTERN.match(email) else None
    verified = passwords.verify_password(member.password_hash if member else None, password)
    if member is None or not verified or member.status != "active":
        with transaction() as tx:
            throttling.count(tx, counters)
            actor = Anonymous(org_id=org_id, id=member.id if member else "anonymous")
            tx.save(audit.event(actor, "session.sign_in", "session", outcome="failure"))
        raise Unauthenticated(WRONG_CREDENTIALS)
    session = sessions.new_session(_identity(member, claim.org_name, slug))
    with transaction() as tx:
        tx.save(session.record)
        actions = [Login.last_sign_in_at.set(clock.now())]
        if passwords.needs_rehash(member.password_hash or ""):
            # Stronger hashing parameters apply at the next sign-in, in the same write.
            actions.append(Login.password_hash.set(passwords.hash_password(password)))
        tx.update(member, actions=actions)
        tx.delete(Throttle(counters[0].pk))
        tx.save(audit.event(sessions.principal_of(session.record), "session.sign_in", _resource(member)))
    return session


def sign_out(principal: Principal) -> None:
    with transaction() as tx:
        tx.delete(Session(session_pk(principal.session_hash)))
        tx.save(audit.event(principal, "session.sign_out", "session"))


# ------------------------------------------------------------------------------------------- password change


def change_password(principal: Principal, current_password: str, new_password: str) -> None:
    member = _account(principal.org_id, principal.id)
    if not passwords.verify_password(member.password_hash, current_password):
        audit.record(principal, "account.password_change", _resource(member), outcome="failure")
        raise ValidationFailed(
            "Your current password is not correct.",
            [FieldError("current_password", "This is not your current password.")],
        )
    passwords.enforce_policy(new_password, field="new_password", email=member.email)
    if passwords.verify_password(member.password_hash, new_password):
        message = "Choose a password different from your current one."
        raise ValidationFailed(message, [FieldError("new_password", message)])
    others = SessionEnder([key for key in session_keys_of(principal.org_id, principal.id) if key != session_pk(principal.session_hash)])
    with transaction() as tx:
        tx.update(member, actions=[Login.password_hash.set(passwords.hash_password(new_password))])
        others.add_to(tx)
        tx.save(audit.event(principal, "account.password_change", _resource(member)))
    others.finish()


def _account(org_id: str, account_id: str) -> Login:
    try:
        return Login.get(accounts.org_pk(org_id), accounts.account_sk(account_id), consistent_read=True)
    except DoesNotExist:
        raise Unauthenticated("Your account no longer exists.") from None


# ------------------------------------------------------------------------------------ set-password links


def request_password_reset(slug: str, email: str) -> None:
    """Always answers the same way. Active accounts get a reset link; invited ones a fresh invitation.

    Requests are counted per account key and per IP; past the limit no mail is sent (the answer is unchanged).
    """
    slug = slug.lower()
    claim = org_id_for_slug(slug)
    try:
        email = validation.normalise_email(email)
    except ValidationFailed:
        return
    counters = throttling.reset_counters(claim.org_id, email)
    if throttling.first_exhausted(counters) is not None:
        audit.record(Anonymous(org_id=claim.org_id), "account.password_reset_request", "account", outcome="denied")
        return
    member = find_account(claim.org_id, email)
    # A client put back to "not invited" (enabled before ever setting a password) has no account to reset.
    if member is None or member.status in INACTIVE or member.status == "not_invited":
        with transaction() as tx:
            throttling.count(tx, counters)
            tx.save(audit.event(Anonymous(org_id=claim.org_id), "account.password_reset_request", "account", outcome="failure"))
        return
    if member.status == "active":
        purpose = password_links.Purpose.PASSWORD_RESET
    else:
        purpose = password_links.Purpose.CLIENT_INVITE if member.is_client else password_links.Purpose.STAFF_INVITE
    link = password_links.issue(purpose, claim.org_id, member.id, org_name=claim.org_name, org_slug=slug)
    with transaction() as tx:
        throttling.count(tx, counters)
        tx.save(link.record)
        tx.update(member, actions=[Login.password_token_hash.set(link.token_hash)])
        tx.save(audit.event(Anonymous(org_id=claim.org_id, id=member.id), "account.password_reset_request", _resource(member)))
    password_links.send(link, to=email, practice=claim.org_name, slug=slug)


@dataclass(frozen=True)
class LinkDetails:
    purpose: str
    email: str
    org_name: str
    org_slug: str


def _live_token(secret: str) -> tuple[PasswordToken, Login]:
    try:
        token = PasswordToken.get(token_pk(digest(secret)), consistent_read=True)
    except DoesNotExist:
        raise TokenInvalid("This link is not valid. Ask for a new one.") from None
    member = _account(token.org_id, token.account_id)
    live = (
        token.used_at is None
        and token.expires_at > clock.now()
        and member.password_token_hash == digest(secret)
        and member.status not in INACTIVE
    )
    if not live:
        raise TokenInvalid("This link has expired or was already used. Ask for a new one.")
    return token, member


def inspect_link(secret: str) -> LinkDetails:
    token, member = _live_token(secret)
    return LinkDetails(purpose=token.purpose, email=member.email or "", org_name=token.org_name, org_slug=token.org_slug)


def redeem_link(secret: str, new_password: str) -> NewSession:
    """Set the password, use up the link, end any other sessions and sign in — one transaction."""
    token, member = _live_token(secret)
    passwords.enforce_policy(new_password, email=member.email)
    others = SessionEnder(session_keys_of(member.org_id, member.id))
    session = sessions.new_session(_identity(member, token.org_name, token.org_slug))
    now = clock.now()
    try:
        with transaction() as tx:
            tx.update(token, actions=[PasswordToken.used_at.set(now)], condition=PasswordToken.used_at.does_not_exist())
            actions = [
                Login.password_hash.set(passwords.hash_password(new_password)),
                Login.password_token_hash.remove(),
                Login.status.set("active"),
                Login.last_sign_in_at.set(now),
            ]
            if member.accepted_at is None and token.purpose != password_links.Purpose.PASSWORD_RESET:
                actions.append(Login.accepted_at.set(now))  # the invitation was accepted: staff see the activation
            tx.update(
                member,
                actions=actions,
                condition=(Login.password_token_hash == token.pk.removeprefix("TOKEN#")) & Login.status.is_in("invited", "active"),
            )
            others.add_to(tx)
            tx.save(session.record)
            subject = member.id if member.is_client else None  # a client's acceptance is filed under that client
            actor = sessions.principal_of(session.record)
            tx.save(audit.event(actor, f"account.{token.purpose}_redeem", _resource(member), subject_client_id=subject))
    except TransactWriteError as error:
        if tx.failed(error):
            raise TokenInvalid("This link has expired or was already used. Ask for a new one.") from None
        raise
    others.finish()
    return session
