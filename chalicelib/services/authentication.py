"""Sign-in, sign-out, password change and set-password links (invitations and resets), for staff and clients.

No message reveals whether an email has an account. Every sign-in attempt first reserves its place under the limits
(per account key and per IP); a successful one hands it back. Each success is one transaction whose conditions say
the account is still active, still has the password that was checked, and was not revoked meanwhile — so a session
can never be created for an account that is being disabled, deactivated or changed at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib import audit, clock
from chalicelib.auth import passwords, sessions
from chalicelib.auth.principals import Anonymous, Principal, Role
from chalicelib.auth.second_factor import SecurityPolicy, status_of
from chalicelib.auth.sessions import Identity, Person, PracticeRef, SignedIn, epoch_is, keep_session, revoke_all
from chalicelib.auth.tokens import digest
from chalicelib.errors import DomainError, FieldError, TokenInvalid, TooManyAttempts, Unauthenticated, ValidationFailed
from chalicelib.services import outbox, password_links, throttling, validation, worklist
from chalicelib.services.organizations import org_id_for_slug
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import get_or_none, read_together, transaction
from chalicelib.tables.organizations import Organization
from chalicelib.tables.sessions import Session
from chalicelib.tables.tokens import PasswordToken

WRONG_CREDENTIALS = "That email and password don't match an account at this practice."
TOO_MANY = "Too many unsuccessful sign-in attempts. Wait a few minutes, or reset your password."
INACTIVE = {"deactivated", "disabled"}  # staff and client words for "may not sign in"


def find_account(org_id: str, email: str) -> Login | None:
    """The staff member or client whose portal account uses this email (one Query on the sparse by_email index)."""
    for account in Login.by_email.query(keys.email_key(org_id, email), limit=1):
        return account
    return None


def _resource(account: Login) -> str:
    return f"{'client' if account.is_client else 'staff'}/{account.id}"


def _identity(account: Login, epoch: int) -> Identity:
    return Identity(org_id=account.org_id, principal_id=account.id, role=Role(account.role), epoch=epoch)


# ----------------------------------------------------------------------------------------------- sign-in


def sign_in(slug: str, email: str, password: str) -> SignedIn:
    slug = slug.lower()  # the session and mailed links carry the stored (lowercase) slug
    claim = org_id_for_slug(slug)
    org_id = claim.org_id
    email = email.strip().lower()
    counters = throttling.sign_in_counters(org_id, email)
    try:
        throttling.reserve(counters, TOO_MANY)
    except TooManyAttempts:
        audit.record(Anonymous(org_id=org_id), "session.sign_in", "session", outcome="denied")
        raise
    member = find_account(org_id, email) if validation.EMAIL_PATTERN.match(email) else None
    verified = passwords.verify_password(member.password_hash if member else None, password)
    if member is None or not verified or member.status != "active":
        actor = Anonymous(org_id=org_id, id=member.id if member else "anonymous")
        audit.record(actor, "session.sign_in", "session", outcome="failure")
        raise Unauthenticated(WRONG_CREDENTIALS)
    epoch = int(member.session_epoch or 0)
    session = sessions.new_session(_identity(member, epoch))
    actions = [Login.last_sign_in_at.set(clock.now())]
    if passwords.needs_rehash(member.password_hash or ""):
        # Stronger hashing parameters apply at the next sign-in, in the same write.
        actions.append(Login.password_hash.set(passwords.hash_password(password)))
    # The index the account was found through is eventually consistent: the conditions check the item itself.
    still_valid = (Login.status == "active") & (Login.password_hash == member.password_hash) & epoch_is(epoch)
    with transaction({"account": Unauthenticated(WRONG_CREDENTIALS)}) as tx:
        tx.save(session.record)
        tx.update(Login(member.pk, member.sk), actions=actions, condition=still_valid, label="account")
        throttling.give_back(tx, *counters)
        tx.save(audit.event(_actor(member), "session.sign_in", _resource(member)))
    practice = PracticeRef(id=org_id, name=claim.org_name, slug=slug, time_zone=claim.time_zone or "UTC")
    # With a second factor (or one to set up) the session can do nothing else yet (auth/second_factor.py).
    second_factor = status_of(session.record, member, SecurityPolicy.of(claim))
    return SignedIn(token=session.token, session=session.record, person=Person.of(member), practice=practice, second_factor=second_factor)


def _actor(account: Login) -> Anonymous:
    """The audit actor of an account acting without a session yet (signing in, redeeming a link)."""
    return Anonymous(org_id=account.org_id, id=account.id, role=account.role)


def sign_out(principal: Principal) -> None:
    with transaction() as tx:
        tx.delete(Session(keys.session_pk(principal.session_hash)))
        tx.save(audit.event(principal, "session.sign_out", "session"))


# ------------------------------------------------------------------------------------------- password change


def change_password(principal: Principal, account: Login, session: Session, current_password: str, new_password: str) -> None:
    """Needs the current password; the caller's other sessions end (this one carries over to the new epoch)."""
    if not passwords.verify_password(account.password_hash, current_password):
        audit.record(principal, "account.password_change", _resource(account), outcome="failure")
        raise ValidationFailed(
            "Your current password is not correct.",
            [FieldError("current_password", "This is not your current password.")],
        )
    passwords.enforce_policy(new_password, field="new_password", email=account.email)
    if passwords.verify_password(account.password_hash, new_password):
        message = "Choose a password different from your current one."
        raise ValidationFailed(message, [FieldError("new_password", message)])
    epoch = int(account.session_epoch or 0)
    with transaction() as tx:
        tx.update(
            Login(account.pk, account.sk),
            actions=[Login.password_hash.set(passwords.hash_password(new_password)), revoke_all()],
            condition=epoch_is(epoch),
        )
        keep_session(tx, session, epoch + 1)
        tx.save(audit.event(principal, "account.password_change", _resource(account)))


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
    member = find_account(claim.org_id, email)
    # A client put back to "not invited" (enabled before ever setting a password) has no account to reset.
    eligible = member is not None and member.status not in INACTIVE and member.status != "not_invited"
    queued = None
    try:
        with transaction({throttling.THROTTLED: _Throttled()}) as tx:
            throttling.count_in(tx, counters)
            if member is None or not eligible:
                tx.save(audit.event(Anonymous(org_id=claim.org_id), "account.password_reset_request", "account", outcome="failure"))
            else:
                link = _reset_link(member, claim.org_name, slug)
                tx.save(link.record)
                tx.update(
                    Login(member.pk, member.sk), actions=[Login.password_token_hash.set(link.token_hash)], condition=Login.pk.exists()
                )
                tx.save(audit.event(Anonymous(org_id=claim.org_id, id=member.id), "account.password_reset_request", _resource(member)))
                mail = password_links.mail_for(link, to=email, practice=claim.org_name, slug=slug, time_zone=claim.time_zone)
                queued = password_links.enqueue(tx, link, mail)
    except _Throttled:
        # Past the limit nothing is written or sent, and the answer is the same as always.
        audit.record(Anonymous(org_id=claim.org_id), "account.password_reset_request", "account", outcome="denied")
        return
    outbox.send_now(queued)


class _Throttled(DomainError):
    """A reset request past its limit (never shown: the route answers as always)."""


def _reset_link(member: Login, org_name: str, slug: str) -> password_links.IssuedLink:
    if member.status == "active":
        purpose = password_links.Purpose.PASSWORD_RESET
    else:
        purpose = password_links.Purpose.CLIENT_INVITE if member.is_client else password_links.Purpose.STAFF_INVITE
    return password_links.issue(purpose, member.org_id, member.id, org_name=org_name, org_slug=slug)


@dataclass(frozen=True)
class LinkDetails:
    purpose: str
    email: str
    org_name: str
    org_slug: str


def _live_token(secret: str) -> tuple[PasswordToken, Login, Organization | None]:
    token = get_or_none(PasswordToken, keys.token_pk(digest(secret)))
    if token is None:
        raise TokenInvalid("This link is not valid. Ask for a new one.")
    # The practice comes with the account (one call): its policy says whether a second factor is due next.
    member, org = read_together(
        (Login, keys.org_pk(token.org_id), keys.account_sk(token.account_id)),
        (Organization, keys.org_pk(token.org_id), keys.ORGANIZATION_SK),
    )
    live = (
        member is not None
        and token.used_at is None
        and token.expires_at > clock.now()
        and member.password_token_hash == digest(secret)
        and member.status not in INACTIVE
    )
    if not live or member is None:
        raise TokenInvalid("This link has expired or was already used. Ask for a new one.")
    return token, member, org


def inspect_link(secret: str) -> LinkDetails:
    token, member, _ = _live_token(secret)
    return LinkDetails(purpose=token.purpose, email=member.email or "", org_name=token.org_name, org_slug=token.org_slug)


REDEEM_ATTEMPTS = 3


def redeem_link(secret: str, new_password: str) -> SignedIn:
    """Set the password, use up the link, end every other session and sign in — one transaction, one winner. An
    account changed meanwhile (a staff edit, forms sent) fails the transaction's conditions although the link is still
    live: the link is read again and, while it is live, the redemption tried again."""
    token, member, org = _live_token(secret)
    passwords.enforce_policy(new_password, email=member.email)
    password_hash = passwords.hash_password(new_password)
    for attempt in range(1, REDEEM_ATTEMPTS + 1):
        try:
            session = _redeem(token, member, password_hash)
            break
        except TokenInvalid:
            if attempt == REDEEM_ATTEMPTS:
                raise
            token, member, org = _live_token(secret)  # a used or expired link ends it here, with the same answer
    member.status = "active"
    practice = PracticeRef(id=token.org_id, name=token.org_name, slug=token.org_slug, time_zone="UTC")
    # A reset link proves the mailbox, not the second factor: a person who has one must still prove it.
    second_factor = status_of(session.record, member, SecurityPolicy.of(org) if org is not None else SecurityPolicy())
    return SignedIn(token=session.token, session=session.record, person=Person.of(member), practice=practice, second_factor=second_factor)


def _redeem(token: PasswordToken, member: Login, password_hash: str) -> sessions.NewSession:
    epoch = int(member.session_epoch or 0)
    session = sessions.new_session(_identity(member, epoch + 1))
    now = clock.now()
    used = TokenInvalid("This link has expired or was already used. Ask for a new one.")
    with transaction({"token": used, "account": used}) as tx:
        tx.update(token, actions=[PasswordToken.used_at.set(now)], condition=PasswordToken.used_at.does_not_exist(), label="token")
        actions = [
            Login.password_hash.set(password_hash),
            Login.password_token_hash.remove(),
            Login.status.set("active"),
            Login.last_sign_in_at.set(now),
            revoke_all(),
        ]
        if member.accepted_at is None and token.purpose != password_links.Purpose.PASSWORD_RESET:
            actions.append(Login.accepted_at.set(now))  # the invitation was accepted: staff see the activation
        live = (Login.password_token_hash == token.pk.removeprefix("TOKEN#")) & Login.status.is_in("invited", "active") & epoch_is(epoch)
        settled = worklist.invitation_accepted(tx, member)  # off the staff's worklists, unless paperwork waits
        tx.update(Login(member.pk, member.sk), actions=actions, condition=live & settled if settled is not None else live, label="account")
        tx.save(session.record)
        subject = member.id if member.is_client else None  # a client's acceptance is filed under that client
        tx.save(audit.event(_actor(member), f"account.{token.purpose}_redeem", _resource(member), subject_client_id=subject))
    return session
