"""Passkeys (WebAuthn): register, name and remove them from Account; prove the second factor with one after the
password; and, where the practice allows it, sign in with one alone (user verification required).

Each ceremony starts with a challenge saved under its own hash (``PasskeyChallenge``): bound to its purpose, its
practice and — once signed in — its session, valid for five minutes, and consumed by a conditional write in the same
transaction as what it allows, so a challenge is used once even by two requests at the same moment. A failed
ceremony consumes its challenge too, and is audited. A passkey's item is keyed by the practice and the account the
session (or the signed user handle) names, so a credential of another person or another practice is simply not
found.

Calls: options = session read (or slug claim) + a Query of the person's passkeys + one write; a verification =
session read (or slug claim) + attempt reservation + one TransactGetItems (challenge, passkey[, account]) + one
transaction (a failure: one transaction that consumes the challenge and audits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib import audit, clock
from chalicelib.adapters import passkeys as webauthn
from chalicelib.auth import sessions
from chalicelib.auth.principals import Anonymous, Role
from chalicelib.auth.second_factor import Factor, Method, SecurityPolicy, status_of
from chalicelib.auth.sessions import Authenticated, Identity, Person, PracticeRef, SignedIn, epoch_is
from chalicelib.auth.tokens import digest
from chalicelib.domain.second_factor import FactorAdded
from chalicelib.domain.second_factor import Passkey as PasskeyInfo
from chalicelib.errors import Conflict, DomainError, Forbidden, NotFound, PasskeyRejected, TooManyAttempts, Unauthenticated
from chalicelib.services import throttling
from chalicelib.services.organizations import org_id_for_slug
from chalicelib.services.second_factor import common
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.factors import Passkey, PasskeyChallenge, passkey_of

CHALLENGE_MINUTES = 5
MAX_PASSKEYS = 10
REGISTER, SECOND_FACTOR, SIGN_IN = "register", "second_factor", "sign_in"
NO_PASSKEY_SIGN_IN = "This practice signs in with a password first. Sign in with your email and password."
NOT_FOUND = "No passkey with that id on your account."


def passkey_id_of(credential_id: bytes) -> str:
    return digest(webauthn.b64url(credential_id))[:32]


def _passkeys(org_id: str, account_id: str) -> list[Passkey]:
    prefix = keys.passkeys_prefix(account_id)
    return list(Passkey.query(keys.org_pk(org_id), Passkey.sk.startswith(prefix), consistent_read=True))


def list_passkeys(found: Authenticated) -> list[PasskeyInfo]:
    return [passkey_of(item) for item in _passkeys(found.account.org_id, found.account.id)]


def _save_challenge(purpose: str, org_id: str, account_id: str | None, session_hash: str | None) -> bytes:
    challenge = webauthn.new_challenge()
    now = clock.now()
    expires_at = now + timedelta(minutes=CHALLENGE_MINUTES)
    PasskeyChallenge(
        keys.challenge_pk(digest(webauthn.b64url(challenge))),
        purpose=purpose,
        org_id=org_id,
        account_id=account_id,
        session_hash=session_hash,
        created_at=now,
        expires_at=expires_at,
        expires=expires_at + timedelta(hours=1),
    ).save(condition=PasskeyChallenge.pk.does_not_exist())
    return challenge


def _challenge_key(credential: dict[str, Any]) -> str:
    return keys.challenge_pk(digest(webauthn.b64url(webauthn.challenge_of(credential))))


def _live(challenge: PasskeyChallenge | None, purpose: str, org_id: str, now: datetime) -> PasskeyChallenge:
    if challenge is None or challenge.purpose != purpose or challenge.org_id != org_id:
        raise PasskeyRejected("That passkey request has expired or was already used. Try again.")
    if challenge.used_at is not None or challenge.expires_at <= now:
        raise PasskeyRejected("That passkey request has expired or was already used. Try again.")
    return challenge


def _consume(tx: Any, challenge: PasskeyChallenge, now: datetime) -> None:
    tx.update(
        PasskeyChallenge(challenge.pk),
        actions=[PasskeyChallenge.used_at.set(now)],
        condition=PasskeyChallenge.used_at.does_not_exist() & (PasskeyChallenge.expires_at > now),
        label="challenge",
    )
    tx.conflicts.setdefault("challenge", PasskeyRejected("That passkey request has expired or was already used. Try again."))


def _failed(actor: Any, action: str, what: str, challenge: PasskeyChallenge | None, now: datetime) -> None:
    """A failed ceremony: its challenge is used up (a second try needs a new one) and the failure is audited."""
    with transaction() as tx:
        if challenge is not None and challenge.used_at is None:
            tx.update(PasskeyChallenge(challenge.pk), actions=[PasskeyChallenge.used_at.set(now)], condition=PasskeyChallenge.pk.exists())
        tx.save(audit.event(actor, action, what, outcome="failure"))


# ------------------------------------------------------------------------------------------------ registration


def registration_options(found: Authenticated) -> dict[str, Any]:
    common.require_offered(found)
    common.require_recent_factor_if_any(found)
    account = found.account
    existing = _passkeys(account.org_id, account.id)
    if len(existing) >= MAX_PASSKEYS:
        raise Conflict(f"You can keep up to {MAX_PASSKEYS} passkeys. Remove one you no longer use first.")
    challenge = _save_challenge(REGISTER, account.org_id, account.id, found.session_hash)
    return webauthn.registration_options(
        challenge,
        user_id=account.id,
        user_name=account.email or account.name,
        display_name=account.name,
        rp_name=found.principal.org_name,
        exclude=[bytes(item.credential_id) for item in existing],
    )


def register(found: Authenticated, name: str, credential: dict[str, Any]) -> FactorAdded:
    """A new passkey counts from now on: the person's other sessions end; a first factor comes with recovery codes."""
    common.require_offered(found)
    account, now = found.account, clock.now()
    action, what = "second_factor.passkey_register", common.resource(found)
    challenge: PasskeyChallenge | None = None
    try:
        (challenge,) = read_together((PasskeyChallenge, _challenge_key(credential), None))
        live = _live(challenge, REGISTER, account.org_id, now)
        if live.account_id != account.id or live.session_hash != found.session_hash:
            raise PasskeyRejected()
        verified = webauthn.verify_registration(credential, webauthn.challenge_of(credential))
    except PasskeyRejected:
        _failed(found.principal, action, what, challenge, now)
        raise
    assert challenge is not None
    passkey_id = passkey_id_of(verified.credential_id)
    item = Passkey(
        account.pk,
        keys.passkey_sk(account.id, passkey_id),
        id=passkey_id,
        name=name.strip() or "Passkey",
        credential_id=verified.credential_id,
        public_key=verified.public_key,
        sign_count=verified.sign_count,
        transports=",".join(verified.transports) or None,
        backed_up=int(verified.backed_up),
        created_at=now,
    )
    taken = Conflict("This passkey is already registered to your account.")
    with transaction({"passkey": taken, "account": common.CHANGED}) as tx:
        _consume(tx, challenge, now)
        tx.save(item, condition=Passkey.pk.does_not_exist(), label="passkey")
        first, codes = common.first_factor_actions(tx, found, now)
        tx.update(
            common.account_key(found),
            actions=[Login.passkey_count.add(1), *common.factor_change(found), *first],
            condition=common.unrevoked(found),
            label="account",
        )
        common.carry_over(tx, found, now, proven=Factor.PASSKEY)
        tx.save(audit.event(found.principal, action, f"{what}#passkey/{passkey_id}"))
        if codes:
            tx.save(audit.event(found.principal, "second_factor.recovery_codes_issue", what))
    common.changed(found, codes, passkey_count=int(account.passkey_count or 0) + 1)
    return FactorAdded(recovery_codes=codes, passkey=passkey_of(item))


def rename(found: Authenticated, passkey_id: str, name: str) -> PasskeyInfo:
    account = found.account
    key = Passkey(account.pk, keys.passkey_sk(account.id, passkey_id))
    with transaction({"passkey": NotFound(NOT_FOUND)}) as tx:
        tx.update(key, actions=[Passkey.name.set(name.strip() or "Passkey")], condition=Passkey.pk.exists(), label="passkey")
        tx.save(audit.event(found.principal, "second_factor.passkey_rename", f"{common.resource(found)}#passkey/{passkey_id}"))
    for item in _passkeys(account.org_id, account.id):
        if item.id == passkey_id:
            return passkey_of(item)
    raise NotFound(NOT_FOUND)


def remove(found: Authenticated, passkey_id: str) -> None:
    """The passkey no longer signs anyone in; the person's other sessions end."""
    factors = found.second_factor.factors
    if factors.passkeys == 0:
        raise NotFound(NOT_FOUND)
    common.require_recent_factor(found.principal)
    common.keep_one_if_required(found)
    account, now = found.account, clock.now()
    last = factors.count == 1
    leftovers = common.recovery_items(found) if last else []
    with transaction({"passkey": NotFound(NOT_FOUND), "account": common.CHANGED}) as tx:
        key = Passkey(account.pk, keys.passkey_sk(account.id, passkey_id))
        tx.delete(key, condition=Passkey.pk.exists(), label="passkey")
        actions = [Login.passkey_count.add(-1), *common.factor_change(found)]
        if last:
            common.delete_items(tx, leftovers)
            actions.append(Login.recovery_codes_left.set(0))
        # The counts read are part of the condition: two removals at once cannot leave a required member with none.
        same = (Login.passkey_count == factors.passkeys) & (
            (Login.totp_enabled == True) if factors.authenticator else Login.totp_enabled.does_not_exist()
        )
        tx.update(common.account_key(found), actions=actions, condition=common.unrevoked(found) & same, label="account")
        common.carry_over(tx, found, now, proven=None)
        tx.save(audit.event(found.principal, "second_factor.passkey_remove", f"{common.resource(found)}#passkey/{passkey_id}"))


# ------------------------------------------------------------------------------------ proving the second factor


def second_factor_options(found: Authenticated) -> dict[str, Any]:
    account = found.account
    allowed = [
        (bytes(item.credential_id), tuple((item.transports or "").split(",")) if item.transports else ())
        for item in _passkeys(account.org_id, account.id)
    ]
    challenge = _save_challenge(SECOND_FACTOR, account.org_id, account.id, found.session_hash)
    return webauthn.authentication_options(challenge, allowed, require_verification=False)


def verify(found: Authenticated, credential: dict[str, Any]) -> Authenticated:
    """A passkey of this person proves the second factor for this session."""
    action, what = "second_factor.verify", f"{common.resource(found)}#passkey"
    counters = common.reserve_attempt(found, action, "passkey")
    account, now = found.account, clock.now()
    challenge: PasskeyChallenge | None = None
    try:
        passkey_key = keys.passkey_sk(account.id, passkey_id_of(webauthn.credential_id_of(credential)))
        challenge, item = read_together((PasskeyChallenge, _challenge_key(credential), None), (Passkey, account.pk, passkey_key))
        live = _live(challenge, SECOND_FACTOR, account.org_id, now)
        if live.account_id != account.id or live.session_hash != found.session_hash or item is None:
            raise PasskeyRejected()
        asserted = webauthn.verify_authentication(
            credential, webauthn.challenge_of(credential), bytes(item.public_key), int(item.sign_count or 0), require_verification=False
        )
    except PasskeyRejected:
        _failed(found.principal, action, what, challenge, now)
        raise
    assert challenge is not None
    with transaction({"passkey": PasskeyRejected(), "account": common.CHANGED}) as tx:
        _consume(tx, challenge, now)
        tx.update(
            item,
            actions=[Passkey.sign_count.set(asserted.sign_count), Passkey.last_used_at.set(now)],
            condition=Passkey.pk.exists(),
            label="passkey",
        )
        tx.condition_check(Login, account.pk, account.sk, common.unrevoked(found), label="account")
        common.prove(tx, found, Factor.PASSKEY, now)
        throttling.give_back(tx, *counters)
        tx.save(audit.event(found.principal, action, f"{what}/{item.id}"))
    return found


# ------------------------------------------------------------------------------- signing in with a passkey alone


def sign_in_options(slug: str) -> dict[str, Any]:
    claim = org_id_for_slug(slug)
    if not SecurityPolicy.of(claim).passkey_sign_in:
        raise Forbidden(NO_PASSKEY_SIGN_IN)
    challenge = _save_challenge(SIGN_IN, claim.org_id, None, None)
    return webauthn.authentication_options(challenge, None, require_verification=True)


@dataclass(frozen=True)
class _Found:
    challenge: PasskeyChallenge | None
    passkey: Passkey | None
    account: Login | None


def sign_in(slug: str, credential: dict[str, Any]) -> SignedIn:
    """The passkey names the person (its user handle is their account id); its signature, with user verification,
    is both factors. The session is created with the conditions a password sign-in has (active, not revoked)."""
    claim = org_id_for_slug(slug.lower())
    policy = SecurityPolicy.of(claim)
    if not policy.passkey_sign_in:
        raise Forbidden(NO_PASSKEY_SIGN_IN)
    org_id, now = claim.org_id, clock.now()
    account_id = webauthn.user_handle_of(credential)
    if account_id is not None and not account_id.replace("_", "").isalnum():
        account_id = None
    counters = throttling.second_factor_counters(org_id, account_id or "unknown")
    try:
        throttling.reserve(counters, common.TOO_MANY)
    except TooManyAttempts:
        audit.record(Anonymous(org_id=org_id), "session.passkey_sign_in", "session", outcome="denied")
        raise
    found = _Found(None, None, None)
    try:
        if account_id is None:
            raise PasskeyRejected()
        passkey_key = keys.passkey_sk(account_id, passkey_id_of(webauthn.credential_id_of(credential)))
        found = _Found(
            *read_together(
                (PasskeyChallenge, _challenge_key(credential), None),
                (Passkey, keys.org_pk(org_id), passkey_key),
                (Login, keys.org_pk(org_id), keys.account_sk(account_id)),
            )
        )
        _live(found.challenge, SIGN_IN, org_id, now)
        if found.passkey is None or found.account is None or found.account.status != "active":
            raise PasskeyRejected()
        asserted = webauthn.verify_authentication(
            credential,
            webauthn.challenge_of(credential),
            bytes(found.passkey.public_key),
            int(found.passkey.sign_count or 0),
            require_verification=True,
        )
    except PasskeyRejected:
        actor = Anonymous(org_id=org_id, id=found.account.id if found.account else "anonymous")
        _failed(actor, "session.passkey_sign_in", "session", found.challenge, now)
        raise
    return _create_session(claim, policy, found, asserted.sign_count, counters, now)


def _create_session(claim: Any, policy: SecurityPolicy, found: _Found, sign_count: int, counters: Any, now: datetime) -> SignedIn:
    member, passkey, challenge = found.account, found.passkey, found.challenge
    assert member is not None and passkey is not None and challenge is not None
    epoch = int(member.session_epoch or 0)
    identity = Identity(
        org_id=member.org_id,
        principal_id=member.id,
        role=Role(member.role),
        epoch=epoch,
        method=Method.PASSKEY.value,
        factor_verified_at=now,
    )
    session = sessions.new_session(identity)
    ended = Unauthenticated("That passkey no longer signs in to this account.")
    conflicts: dict[str, DomainError] = {"account": ended, "passkey": ended}
    with transaction(conflicts) as tx:
        _consume(tx, challenge, now)
        tx.save(session.record)
        tx.update(
            passkey,
            actions=[Passkey.sign_count.set(sign_count), Passkey.last_used_at.set(now)],
            condition=Passkey.pk.exists(),
            label="passkey",
        )
        still_valid = (Login.status == "active") & epoch_is(epoch)
        tx.update(Login(member.pk, member.sk), actions=[Login.last_sign_in_at.set(now)], condition=still_valid, label="account")
        throttling.give_back(tx, *counters)
        actor = Anonymous(org_id=member.org_id, id=member.id, role=member.role)
        kind = "client" if member.is_client else "staff"
        tx.save(audit.event(actor, "session.passkey_sign_in", f"{kind}/{member.id}#passkey/{passkey.id}"))
    practice = PracticeRef(id=member.org_id, name=claim.org_name, slug=claim.pk.removeprefix("SLUG#"), time_zone=claim.time_zone or "UTC")
    return SignedIn(
        token=session.token,
        session=session.record,
        person=Person.of(member),
        practice=practice,
        second_factor=status_of(session.record, member, policy),
    )
