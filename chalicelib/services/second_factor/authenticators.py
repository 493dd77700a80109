"""Authenticator apps (TOTP): set up by QR code or typed secret and confirmed with a first code; a code proves the
second factor once; removal.

Calls: begin = session read + one write; confirm = session read + GetItem + one transaction; a code = session read +
attempt reservation + GetItem + one transaction (a wrong code: the audit event instead of the transaction).
"""

from __future__ import annotations

from datetime import timedelta

from chalicelib import audit
from chalicelib.auth import totp
from chalicelib.auth.second_factor import Factor
from chalicelib.auth.sessions import Authenticated
from chalicelib.domain.second_factor import AuthenticatorSetUp, FactorAdded
from chalicelib.errors import FieldError, NotFound, ValidationFailed
from chalicelib.services import throttling
from chalicelib.services.second_factor import common
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.factors import Authenticator
from chalicelib.tables.factors import AuthenticatorSetUp as SetUpItem

SET_UP_MINUTES = 10
WRONG_CODE = "That code didn't work. Check the time on your phone and enter the newest code."
START_AGAIN = "This set-up has expired. Start again to get a new QR code."


def _wrong(message: str = WRONG_CODE) -> ValidationFailed:
    return ValidationFailed(message, [FieldError("code", message)])


def begin_set_up(found: Authenticated, secret: str | None = None) -> AuthenticatorSetUp:
    """A new secret to scan or type; it counts only once a first code confirms it (``confirm_set_up``). Only the demo
    seed passes a ``secret`` (the one ``make run`` prints); people always get a new random one."""
    common.require_offered(found)
    common.require_recent_factor_if_any(found)
    account, now = found.account, common.now()
    secret = secret or totp.new_secret()
    expires_at = now + timedelta(minutes=SET_UP_MINUTES)
    with transaction() as tx:
        tx.save(SetUpItem(account.pk, keys.authenticator_setup_sk(account.id), secret=secret, created_at=now, expires_at=expires_at))
        tx.save(audit.event(found.principal, "second_factor.authenticator_set_up_begin", common.resource(found)))
    label = account.email or account.name
    uri = totp.provisioning_uri(secret, label, found.principal.org_name or totp.ISSUER)
    return AuthenticatorSetUp(secret=secret, uri=uri, qr_svg=totp.qr_svg(uri), expires_at=expires_at)


def confirm_set_up(found: Authenticated, code: str) -> FactorAdded:
    """The first code proves the app holds the secret: from now on it is a factor (replacing an earlier app). The
    person's other sessions end; a first factor comes with ten recovery codes."""
    account, now = found.account, common.now()
    pending = get_or_none(SetUpItem, account.pk, keys.authenticator_setup_sk(account.id))
    if pending is None or pending.expires_at <= now:
        raise _wrong(START_AGAIN)
    step = totp.matching_step(pending.secret, code, now)
    if step is None:
        audit.record(found.principal, "second_factor.authenticator_set_up", common.resource(found), outcome="failure")
        raise _wrong()
    with transaction({"set_up": _wrong(START_AGAIN), "account": common.CHANGED}) as tx:
        tx.delete(SetUpItem(account.pk, pending.sk), condition=SetUpItem.secret == pending.secret, label="set_up")
        tx.save(Authenticator(account.pk, keys.authenticator_sk(account.id), secret=pending.secret, last_step=step, created_at=now))
        first, codes = common.first_factor_actions(tx, found, now)
        tx.update(
            common.account_key(found),
            actions=[Login.totp_enabled.set(True), *common.factor_change(found), *first],
            condition=common.unrevoked(found),
            label="account",
        )
        common.carry_over(tx, found, now, proven=Factor.AUTHENTICATOR)
        tx.save(audit.event(found.principal, "second_factor.authenticator_set_up", common.resource(found)))
        if codes:
            tx.save(audit.event(found.principal, "second_factor.recovery_codes_issue", common.resource(found)))
    common.changed(found, codes, totp_enabled=True)
    return FactorAdded(recovery_codes=codes)


def remove(found: Authenticated) -> None:
    factors = found.second_factor.factors
    if not factors.authenticator:
        raise NotFound("You have no authenticator app set up.")
    common.require_recent_factor(found.principal)
    common.keep_one_if_required(found)
    last = factors.count == 1
    leftovers = common.recovery_items(found) if last else []
    account, now = found.account, common.now()
    # The passkey count read is part of the condition: a passkey removed meanwhile must not leave a required
    # practice's member with nothing.
    same_passkeys = (
        Login.passkey_count == factors.passkeys if factors.passkeys else Login.passkey_count.does_not_exist() | (Login.passkey_count == 0)
    )
    with transaction({"factor": NotFound("You have no authenticator app set up."), "account": common.CHANGED}) as tx:
        tx.delete(Authenticator(account.pk, keys.authenticator_sk(account.id)), condition=Authenticator.pk.exists(), label="factor")
        actions = [Login.totp_enabled.remove(), *common.factor_change(found)]
        if last:
            common.delete_items(tx, leftovers)
            actions.append(Login.recovery_codes_left.set(0))
        tx.update(common.account_key(found), actions=actions, condition=common.unrevoked(found) & same_passkeys, label="account")
        common.carry_over(tx, found, now, proven=None)
        tx.save(audit.event(found.principal, "second_factor.authenticator_remove", common.resource(found)))


def verify_code(found: Authenticated, code: str) -> Authenticated:
    """A code from the app proves the second factor (after the password, or again for a sensitive action)."""
    action, what = "second_factor.verify", f"{common.resource(found)}#authenticator"
    counters = common.reserve_attempt(found, action, "authenticator")
    account, now = found.account, common.now()
    item = get_or_none(Authenticator, account.pk, keys.authenticator_sk(account.id))
    step = totp.matching_step(item.secret, code, now, int(item.last_step or 0)) if item is not None else None
    if item is None or step is None:
        audit.record(found.principal, action, what, outcome="failure")
        raise _wrong()
    try:
        with transaction({"code": _wrong(), "account": common.CHANGED}) as tx:
            # Accepted once: a second request with the same code (or an older one) fails this condition.
            tx.update(item, actions=[Authenticator.last_step.set(step)], condition=Authenticator.last_step < step, label="code")
            tx.condition_check(Login, account.pk, account.sk, common.unrevoked(found), label="account")
            common.prove(tx, found, Factor.AUTHENTICATOR, now)
            throttling.give_back(tx, *counters)
            tx.save(audit.event(found.principal, action, what))
    except ValidationFailed:
        audit.record(found.principal, action, what, outcome="failure")  # the same code, used by a request just before
        raise
    return found
