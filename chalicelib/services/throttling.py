"""Fixed-window attempt counters: failed sign-ins, and password-reset requests, per account key and per IP.

Account keys use the organization and a digest of the email, never the email, so unknown emails are counted like
real accounts and throttling reveals nothing. Counters grow with atomic ADDs and are written unconditionally, so a
burst of attempts never cancels the transaction that records them (and their audit event).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.expressions.update import Action

from chalicelib import clock, context
from chalicelib.auth.tokens import digest
from chalicelib.config import get_settings
from chalicelib.tables.base import Transaction
from chalicelib.tables.throttles import Throttle, account_key, ip_key

RESET_WINDOW_SECONDS = 60 * 60
RESETS_PER_ACCOUNT = 5
RESETS_PER_IP = 30
SIGN_UPS_PER_ACCOUNT = 3
SIGN_UPS_PER_IP = 10
THROTTLED = "throttle"


@dataclass
class Counter:
    pk: str
    limit: int
    window_seconds: int
    count: int = 0
    window_started_at: datetime | None = None

    def _window_start(self, now: datetime) -> datetime:
        return now - timedelta(seconds=self.window_seconds)

    def in_window(self, now: datetime) -> bool:
        return self.window_started_at is not None and self.window_started_at >= self._window_start(now)

    def exhausted(self, now: datetime) -> bool:
        return self.in_window(now) and self.count >= self.limit

    def retry_after_seconds(self, now: datetime) -> int:
        if self.window_started_at is None:
            return 1
        return max(1, int((self.window_started_at - self._window_start(now)).total_seconds()) + 1)


def sign_in_counters(org_id: str, email: str) -> tuple[Counter, Counter]:
    settings = get_settings()
    window = settings.sign_in_failure_window_seconds
    return _read(
        Counter(account_key(org_id, digest(email)), settings.sign_in_max_failures_per_account, window),
        Counter(ip_key(context.current().ip), settings.sign_in_max_failures_per_ip, window),
    )


def reset_counters(org_id: str, email: str) -> tuple[Counter, Counter]:
    return _read(
        Counter(account_key(org_id, digest(email), purpose="RESET"), RESETS_PER_ACCOUNT, RESET_WINDOW_SECONDS),
        Counter(ip_key(context.current().ip, purpose="RESET"), RESETS_PER_IP, RESET_WINDOW_SECONDS),
    )


def _read(account: Counter, ip: Counter) -> tuple[Counter, Counter]:
    """Both counters in one BatchGetItem."""
    by_key = {account.pk: account, ip.pk: ip}
    for stored in Throttle.batch_get([account.pk, ip.pk]):
        by_key[stored.pk].count = int(stored.failures)
        by_key[stored.pk].window_started_at = stored.window_started_at
    return account, ip


def first_exhausted(counters: Sequence[Counter]) -> Counter | None:
    now = clock.now()
    return next((counter for counter in counters if counter.exhausted(now)), None)


def limit_sign_ups(tx: Transaction, org_id: str, email: str) -> None:
    """Self sign-ups per hour, per email and per IP, counted inside the sign-up's own transaction: a counter at its
    limit fails its condition, the transaction is cancelled (labelled THROTTLED) and nothing is written or sent."""
    now = clock.now()
    hour = now.strftime("%Y%m%d%H")
    expires = now + timedelta(hours=2)
    keys = (
        (account_key(org_id, digest(email), purpose=f"SIGNUP{hour}"), SIGN_UPS_PER_ACCOUNT),
        (ip_key(context.current().ip, purpose=f"SIGNUP{hour}"), SIGN_UPS_PER_IP),
    )
    for key, limit in keys:
        tx.update(
            Throttle(key),
            actions=[Throttle.failures.add(1), Throttle.window_started_at.set(now), Throttle.expires.set(expires)],
            condition=Throttle.failures.does_not_exist() | (Throttle.failures < limit),
            label=THROTTLED,
        )


def count(tx: Transaction, counters: Sequence[Counter]) -> None:
    """Add one attempt to each counter; a window that has passed starts again at one."""
    now = clock.now()
    for counter in counters:
        expires = now + timedelta(seconds=counter.window_seconds)
        actions: list[Action]
        if counter.in_window(now):
            actions = [Throttle.failures.add(1), Throttle.expires.set(expires)]
        else:
            actions = [Throttle.failures.set(1), Throttle.window_started_at.set(now), Throttle.expires.set(expires)]
        tx.update(Throttle(counter.pk), actions=actions)
