"""Where a session stands with the second factor, derived on every request from what that request already read.

A session records how the person signed in (``method``) and when they last proved a second factor
(``factor_verified_at``); the account records which factors exist (an authenticator, a count of passkeys, recovery
codes left, and "set one up again" after an administrator's reset); the practice records its policy. From those three
items — read together in the one TransactGetItems of every signed-in request — the stage follows:

- the person has a factor and has not proven one in this session: ``verify`` (only the routes that prove it);
- the person has none, and the practice requires one of them (or an administrator reset theirs): ``set_up``;
- otherwise ``complete``.

Because it is derived, switching the requirement on applies to every open session at its next request, and there is
no stored "pending" flag that could disagree with the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chalicelib import clock

STEP_UP_SECONDS = 15 * 60
"""Sensitive actions need a second factor proven within this long (changing the security policy, resetting another
person's factor, changing one's own factors)."""


class Stage(StrEnum):
    COMPLETE = "complete"
    VERIFY = "verify"
    SET_UP = "set_up"


class Method(StrEnum):
    """How a session was signed in (``+`` joins the second factor proven after the password)."""

    PASSWORD = "password"
    PASSKEY = "passkey"  # a passkey alone, with user verification: possession and a PIN or biometric


class Factor(StrEnum):
    AUTHENTICATOR = "authenticator"
    PASSKEY = "passkey"
    RECOVERY_CODE = "recovery_code"


class ClientPolicy(StrEnum):
    OFF = "off"
    OFFERED = "offered"
    REQUIRED = "required"


@dataclass(frozen=True)
class SecurityPolicy:
    """A practice's rules. Missing attributes (practices created before the policy existed) read as: staff not
    required, clients offered, passkey sign-in allowed; new practices are created with the staff requirement on."""

    staff_required: bool = False
    clients: ClientPolicy = ClientPolicy.OFFERED
    passkey_sign_in: bool = True

    @classmethod
    def of(cls, item: Any) -> SecurityPolicy:
        """From an Organization or SlugClaim item (typed loosely: auth sits below the table modules' users)."""
        clients = getattr(item, "client_second_factor", None) or ClientPolicy.OFFERED.value
        passkeys = getattr(item, "passkey_sign_in", None)
        return cls(
            staff_required=bool(getattr(item, "staff_second_factor", None)),
            clients=ClientPolicy(clients),
            passkey_sign_in=True if passkeys is None else bool(passkeys),
        )

    def required_for(self, is_client: bool) -> bool:
        return self.clients is ClientPolicy.REQUIRED if is_client else self.staff_required

    def offered_to(self, is_client: bool) -> bool:
        return self.clients is not ClientPolicy.OFF if is_client else True


@dataclass(frozen=True)
class AccountFactors:
    """What the account item says about its factors (no secret: those live in their own items)."""

    authenticator: bool
    passkeys: int
    recovery_codes: int
    recovery_generation: int
    reset: bool  # an administrator reset them: set one up again at the next sign-in

    @classmethod
    def of(cls, account: Any) -> AccountFactors:
        return cls(
            authenticator=bool(getattr(account, "totp_enabled", None)),
            passkeys=int(getattr(account, "passkey_count", None) or 0),
            recovery_codes=int(getattr(account, "recovery_codes_left", None) or 0),
            recovery_generation=int(getattr(account, "recovery_generation", None) or 0),
            reset=bool(getattr(account, "second_factor_reset", None)),
        )

    @property
    def any(self) -> bool:
        return self.authenticator or self.passkeys > 0

    @property
    def count(self) -> int:
        return int(self.authenticator) + self.passkeys


def stage_of(factors: AccountFactors, verified_at: datetime | None, policy: SecurityPolicy, is_client: bool) -> Stage:
    if factors.any:
        return Stage.COMPLETE if verified_at is not None else Stage.VERIFY
    if policy.required_for(is_client) or factors.reset:
        return Stage.SET_UP
    return Stage.COMPLETE


@dataclass(frozen=True)
class SecondFactorStatus:
    """What the page needs to know about a session's second factor (GET /api/session and every sign-in)."""

    stage: Stage
    signed_in_with: str
    verified_at: datetime | None
    factors: AccountFactors
    required: bool
    offered: bool


def status_of(session: Any, account: Any, policy: SecurityPolicy) -> SecondFactorStatus:
    is_client = str(account.sk).startswith("CLIENT#")
    factors = AccountFactors.of(account)
    verified_at = getattr(session, "factor_verified_at", None)
    return SecondFactorStatus(
        stage=stage_of(factors, verified_at, policy, is_client),
        signed_in_with=str(getattr(session, "method", None) or Method.PASSWORD.value),
        verified_at=verified_at,
        factors=factors,
        required=policy.required_for(is_client),
        offered=policy.offered_to(is_client),
    )


def recently_proven(verified_at: datetime | None) -> bool:
    return verified_at is not None and clock.now() - verified_at <= timedelta(seconds=STEP_UP_SECONDS)


def method_after(signed_in_with: str, factor: Factor, stage: Stage) -> str:
    """The session's method once ``factor`` is proven: the first proof after a password is recorded with it; a
    later proof (step-up) leaves the sign-in method as it was."""
    if stage is Stage.COMPLETE or "+" in signed_in_with or signed_in_with == Method.PASSKEY.value:
        return signed_in_with
    return f"{signed_in_with}+{factor.value}"
