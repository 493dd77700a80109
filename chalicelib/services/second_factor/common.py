"""What every second-factor operation shares: the account's and the session's keys and conditions, the upgrade of a
session that proves a factor, carrying the caller's session over a factor change, recovery codes issued with a
first factor, step-up, attempt limits and audit resources.

Invariants are conditions in the write that establishes them:
- proving a factor upgrades the session in a conditional update (the session still exists at its epoch, the account
  is active and was not revoked meanwhile) together with what makes the proof single-use (the authenticator's last
  step, a consumed challenge, a deleted recovery code);
- adding, changing or removing a factor bumps the account's session epoch (every other session ends) in a write
  conditioned on the epoch it read, and carries the caller's own session over to the new epoch.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib import audit, clock, context
from chalicelib.auth import recovery_codes
from chalicelib.auth.principals import Principal
from chalicelib.auth.second_factor import Factor, method_after, recently_proven
from chalicelib.auth.sessions import ENDED, Authenticated, epoch_is, revoke_all
from chalicelib.errors import Conflict, Forbidden, StepUpRequired, TooManyAttempts, Unauthenticated
from chalicelib.services import throttling
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import Transaction
from chalicelib.tables.factors import FactorItem, RecoveryCode
from chalicelib.tables.sessions import Session

TOO_MANY = "Too many unsuccessful attempts. Wait a few minutes and try again."
CHANGED = Conflict("Your sign-in details changed in the meantime. Reload and try again.")
STEP_UP = "Confirm it's you with your second factor again to do this."
NOT_OFFERED = "Your practice does not offer a second factor for client accounts."


def resource(found: Authenticated) -> str:
    account = found.account
    return f"{'client' if account.is_client else 'staff'}/{account.id}"


def account_key(found: Authenticated) -> Login:
    return Login(found.account.pk, found.account.sk)


def unrevoked(found: Authenticated) -> Condition:
    """The account is still active at the epoch this request read (nothing revoked its sessions meanwhile)."""
    condition: Condition = epoch_is(int(found.account.session_epoch or 0)) & (Login.status == "active")
    return condition


# ------------------------------------------------------------------------------------------------ the session


def prove(tx: Transaction, found: Authenticated, factor: Factor, now: datetime) -> None:
    """The session has just proven ``factor``: record when (step-up) and, the first time, how it signed in."""
    stage = found.second_factor.stage
    method = method_after(str(found.session.method or "password"), factor, stage)
    tx.update(
        Session(found.session.pk),
        actions=[Session.factor_verified_at.set(now), Session.method.set(method), Session.last_seen_at.set(now)],
        condition=Session.pk.exists() & (Session.epoch == int(found.session.epoch or 0)),
        label="session",
    )
    tx.conflicts.setdefault("session", Unauthenticated(ENDED))
    found.session.factor_verified_at, found.session.method = now, method


def carry_over(tx: Transaction, found: Authenticated, now: datetime, *, proven: Factor | None) -> None:
    """A factor changed (every other session ends): the caller's session moves to the new epoch. Setting up a
    factor proves it, so the session counts as having proven it now."""
    new_epoch = int(found.account.session_epoch or 0) + 1
    actions: list[Action] = [Session.epoch.set(new_epoch), Session.last_seen_at.set(now)]
    if proven is not None:
        method = method_after(str(found.session.method or "password"), proven, found.second_factor.stage)
        actions += [Session.factor_verified_at.set(now), Session.method.set(method)]
        found.session.factor_verified_at, found.session.method = now, method
    tx.update(Session(found.session.pk), actions=actions, condition=Session.pk.exists(), label="session")
    tx.conflicts.setdefault("session", Unauthenticated(ENDED))


def changed(found: Authenticated, codes: tuple[str, ...] | None, **attributes: object) -> None:
    """After a committed factor change: the request's copy of the account says what the table now says, so the
    answer's session view (its stage) is the new one."""
    account = found.account
    account.session_epoch = int(account.session_epoch or 0) + 1
    account.second_factor_reset = None
    found.session.epoch = account.session_epoch
    if codes:
        account.recovery_generation = int(account.recovery_generation or 0) + 1
        account.recovery_codes_left = len(codes)
    for name, value in attributes.items():
        setattr(account, name, value)


def factor_change(found: Authenticated) -> list[Action]:
    """Account actions every factor change carries: end the other sessions, clear an administrator's reset."""
    return [revoke_all(), Login.second_factor_reset.remove()]


# ------------------------------------------------------------------------------------------- recovery codes


def issue_recovery_codes(tx: Transaction, org_id: str, account_id: str, generation: int, now: datetime) -> tuple[str, ...]:
    """Ten new codes of ``generation`` saved as hashes in ``tx``; the codes themselves are returned once."""
    codes = recovery_codes.new_codes()
    for code in codes:
        code_hash = recovery_codes.code_hash(account_id, recovery_codes.normalise(code) or "")
        tx.save(RecoveryCode(keys.org_pk(org_id), keys.recovery_code_sk(account_id, generation, code_hash), created_at=now))
    return codes


def first_factor_actions(tx: Transaction, found: Authenticated, now: datetime) -> tuple[list[Action], tuple[str, ...] | None]:
    """When the person had no factor yet, their first one comes with ten recovery codes (shown once)."""
    factors = found.second_factor.factors
    if factors.any:
        return [], None
    generation = factors.recovery_generation + 1
    codes = issue_recovery_codes(tx, found.account.org_id, found.account.id, generation, now)
    actions: list[Action] = [Login.recovery_generation.set(generation), Login.recovery_codes_left.set(len(codes))]
    return actions, codes


def delete_items(tx: Transaction, items: list[FactorItem]) -> None:
    for item in items:
        tx.delete(FactorItem(item.pk, item.sk))


def recovery_items(found: Authenticated) -> list[FactorItem]:
    prefix = keys.recovery_prefix(found.account.id)
    return list(FactorItem.query(found.account.pk, FactorItem.sk.startswith(prefix), consistent_read=True))


# ---------------------------------------------------------------------------------------- policy and step-up


def require_offered(found: Authenticated) -> None:
    if not found.second_factor.offered:
        audit.record(found.principal, "request.denied", context.current().route, outcome="denied")
        raise Forbidden(NOT_OFFERED)


def require_recent_factor(principal: Principal) -> None:
    """Sensitive actions need a second factor proven in this session within the last 15 minutes: 403
    ``/problems/step-up-required`` otherwise (audited), which the page answers by asking for it again."""
    if recently_proven(principal.factor_verified_at):
        return
    audit.record(principal, "request.step_up_required", context.current().route, outcome="denied")
    raise StepUpRequired(STEP_UP)


def require_recent_factor_if_any(found: Authenticated) -> None:
    """Changing one's factors needs a recent proof of one already held (a stolen session cannot swap them)."""
    if found.second_factor.factors.any:
        require_recent_factor(found.principal)


def keep_one_if_required(found: Authenticated) -> None:
    """The practice requires a second factor: the last one cannot be removed (add another first)."""
    status = found.second_factor
    if status.required and status.factors.count <= 1:
        raise Conflict("Your practice requires a second factor. Add another one before removing this one.")


# -------------------------------------------------------------------------------------------- attempt limits


def reserve_attempt(found: Authenticated, action: str, what: str) -> tuple[throttling.Counter, throttling.Counter]:
    counters = throttling.second_factor_counters(found.account.org_id, found.account.id)
    try:
        throttling.reserve(counters, TOO_MANY)
    except TooManyAttempts:
        audit.record(found.principal, action, f"{resource(found)}#{what}", outcome="denied")
        raise
    return counters


def now() -> datetime:
    return clock.now()
