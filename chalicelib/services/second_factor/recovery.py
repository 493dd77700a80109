"""Recovery codes: ten single-use codes shown once, stored only as hashes. Using one proves the second factor (and
says how many remain); a new set replaces the old one whole.

Using a code is one conditional delete of its hash's item, in the transaction that upgrades the session and counts
the code off the account — conditioned on the account's current set (the generation in the key), so a code of an
older set, or one used a moment ago by another request, fails. Calls: session read + attempt reservation + one
transaction (a wrong code: the audit event after the cancelled transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib import audit
from chalicelib.auth import recovery_codes
from chalicelib.auth.second_factor import Factor
from chalicelib.auth.sessions import Authenticated
from chalicelib.errors import Conflict, FieldError, ValidationFailed
from chalicelib.services import throttling
from chalicelib.services.second_factor import common
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import transaction
from chalicelib.tables.factors import RecoveryCode

WRONG = "That recovery code is not valid or was already used."


def _wrong() -> ValidationFailed:
    return ValidationFailed(WRONG, [FieldError("code", WRONG)])


@dataclass(frozen=True)
class Used:
    session: Authenticated
    codes_left: int


def use(found: Authenticated, code: str) -> Used:
    action, what = "second_factor.recovery_code_use", f"{common.resource(found)}#recovery_code"
    counters = common.reserve_attempt(found, action, "recovery_code")
    account, now = found.account, common.now()
    factors = found.second_factor.factors
    normalised = recovery_codes.normalise(code)
    try:
        if normalised is None or factors.recovery_codes <= 0:
            raise _wrong()
        generation = factors.recovery_generation
        key = RecoveryCode(account.pk, keys.recovery_code_sk(account.id, generation, recovery_codes.code_hash(account.id, normalised)))
        with transaction({"code": _wrong(), "account": _wrong()}) as tx:
            tx.delete(key, condition=RecoveryCode.pk.exists(), label="code")
            tx.update(
                common.account_key(found),
                actions=[Login.recovery_codes_left.add(-1)],
                condition=common.unrevoked(found) & (Login.recovery_generation == generation) & (Login.recovery_codes_left > 0),
                label="account",
            )
            common.prove(tx, found, Factor.RECOVERY_CODE, now)
            throttling.give_back(tx, *counters)
            tx.save(audit.event(found.principal, action, what))
    except ValidationFailed:
        audit.record(found.principal, action, what, outcome="failure")
        raise
    return Used(session=found, codes_left=factors.recovery_codes - 1)


def regenerate(found: Authenticated) -> tuple[str, ...]:
    """A new set of ten: every code of the old set stops working at once."""
    factors = found.second_factor.factors
    if not factors.any:
        raise Conflict("Set up an authenticator app or a passkey first: recovery codes come with it.")
    common.require_recent_factor(found.principal)
    old = common.recovery_items(found)
    now = common.now()
    generation = factors.recovery_generation + 1
    with transaction({"account": common.CHANGED}) as tx:
        common.delete_items(tx, old)
        codes = common.issue_recovery_codes(tx, found.account.org_id, found.account.id, generation, now)
        tx.update(
            common.account_key(found),
            actions=[Login.recovery_generation.set(generation), Login.recovery_codes_left.set(len(codes))],
            condition=common.unrevoked(found),
            label="account",
        )
        tx.save(audit.event(found.principal, "second_factor.recovery_codes_issue", common.resource(found)))
    return codes
