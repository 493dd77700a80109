"""Attempt limits: sign-ins, second-factor attempts, password-reset requests and self sign-ups, per account key and
per IP.

Each limit is a counter per fixed window (the window's number is part of the key). An attempt *reserves* its place
before anything is checked: one transaction adds one to both counters, each with the condition that it is below its
limit, so parallel attempts can never pass a limit together. A successful sign-in hands its place back. Account keys
use the organization and a digest of the email — never the email — so unknown emails are counted like real
accounts and throttling reveals nothing.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib import clock, context
from chalicelib.auth.tokens import digest
from chalicelib.config import get_settings
from chalicelib.errors import Conflict, DomainError, TooManyAttempts
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction, transaction
from chalicelib.tables.throttles import Throttle

RESET_WINDOW_SECONDS = 60 * 60
RESETS_PER_ACCOUNT = 5
RESETS_PER_IP = 30
SIGN_UPS_PER_ACCOUNT = 3
SIGN_UPS_PER_IP = 10
THROTTLED = "throttle"
CONFLICT_RETRIES = 4


@dataclass(frozen=True)
class Counter:
    pk: str
    limit: int
    window_ends_at: datetime

    def retry_after_seconds(self, now: datetime) -> int:
        return max(1, int((self.window_ends_at - now).total_seconds()) + 1)


def _window(seconds: int, now: datetime) -> tuple[str, datetime]:
    start = int(now.timestamp()) // seconds * seconds
    return str(start), datetime.fromtimestamp(start + seconds, tz=now.tzinfo)


def _pair(purpose: str, org_id: str, email: str, account_limit: int, ip_limit: int, window_seconds: int) -> tuple[Counter, Counter]:
    now = clock.now()
    window, ends = _window(window_seconds, now)
    return (
        Counter(f"{keys.throttle_account_key(org_id, digest(email), purpose)}#{window}", account_limit, ends),
        Counter(f"{keys.throttle_ip_key(context.current().ip, purpose)}#{window}", ip_limit, ends),
    )


def sign_in_counters(org_id: str, email: str) -> tuple[Counter, Counter]:
    settings = get_settings()
    return _pair(
        "SIGNIN",
        org_id,
        email,
        settings.sign_in_max_failures_per_account,
        settings.sign_in_max_failures_per_ip,
        settings.sign_in_failure_window_seconds,
    )


def second_factor_counters(org_id: str, account_id: str) -> tuple[Counter, Counter]:
    """Second-factor attempts (codes, passkeys, recovery codes, a passkey sign-in) per account and per IP, with the
    sign-in limits: a password and a wrong code cost the same."""
    settings = get_settings()
    return _pair(
        "FACTOR",
        org_id,
        account_id,
        settings.sign_in_max_failures_per_account,
        settings.sign_in_max_failures_per_ip,
        settings.sign_in_failure_window_seconds,
    )


def reset_counters(org_id: str, email: str) -> tuple[Counter, Counter]:
    return _pair("RESET", org_id, email, RESETS_PER_ACCOUNT, RESETS_PER_IP, RESET_WINDOW_SECONDS)


def sign_up_counters(org_id: str, email: str) -> tuple[Counter, Counter]:
    return _pair("SIGNUP", org_id, email, SIGN_UPS_PER_ACCOUNT, SIGN_UPS_PER_IP, RESET_WINDOW_SECONDS)


def count_in(tx: Transaction, counters: tuple[Counter, ...]) -> None:
    """Add one attempt to each counter inside ``tx``, each conditional on staying within its limit; a counter at its
    limit cancels the transaction with the label THROTTLED."""
    for counter in counters:
        tx.update(
            Throttle(counter.pk),
            actions=[
                Throttle.failures.add(1),
                Throttle.window_started_at.set(Throttle.window_started_at | clock.now()),
                Throttle.expires.set(counter.window_ends_at + timedelta(minutes=5)),
            ],
            condition=Throttle.failures.does_not_exist() | (Throttle.failures < counter.limit),
            label=THROTTLED,
        )


def reserve(counters: tuple[Counter, ...], message: str) -> None:
    """One attempt's place under every limit, or TooManyAttempts. Parallel attempts that collide on a counter are
    retried briefly; a burst that keeps colliding is itself too many attempts."""
    now = clock.now()
    for attempt in range(CONFLICT_RETRIES):
        try:
            with transaction({THROTTLED: TooManyAttempts(message, retry_after_seconds=_retry_after(counters, now))}) as tx:
                count_in(tx, counters)
            return
        except TooManyAttempts:
            raise
        except Conflict:
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))  # noqa: S311 - jitter, not a secret
        except DomainError:
            raise
    raise TooManyAttempts(message, retry_after_seconds=1)


def _retry_after(counters: tuple[Counter, ...], now: datetime) -> int:
    return max(counter.retry_after_seconds(now) for counter in counters)


def give_back(tx: Transaction, account: Counter, ip: Counter) -> None:
    """A successful sign-in: the account's counter starts again, and the IP gets its place back."""
    tx.delete(Throttle(account.pk))
    tx.update(Throttle(ip.pk), actions=[Throttle.failures.add(-1)])
