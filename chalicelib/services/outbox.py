"""The notifications outbox: mail is written in the transaction of the change that causes it, then delivered.

- ``enqueue(tx, org_id, mail, ...)`` adds an item to the caller's transaction: no change without its mail, no mail
  without its change. Options: ``not_before`` (send later), ``recheck`` (a hook asked at delivery — "still
  unread?" — that can skip it), ``report`` (a hook told the outcome, e.g. the invitation shows "failed"), and
  ``coalesce`` (events with the same key join one pending mail: one mail per recipient per batch).
- ``send_now(queued)`` delivers right after the commit, when the person waiting for the response should see the
  result (an invitation); it costs one write. Anything it does not deliver stays due for the worker.
- ``deliver_due()`` is the worker: a Query per shard of the sparse ``by_due`` index (no Scan), each item claimed
  with a conditional lease so two workers never send one item, retried with exponential backoff on throttling or
  an outage, marked ``rejected`` at once when SES refuses the address. On AWS the outbox table's stream calls
  ``deliver_stream_records`` within seconds of a write and a schedule sweeps every minute; the local stack runs the
  sweep every second. docs/decisions.md, 16.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from pynamodb.exceptions import PynamoDBException, UpdateError

from chalicelib import clock
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.errors import DeliveryFailed, DomainError
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction, transaction
from chalicelib.tables.outbox import OutboxItem

LEASE_SECONDS = 120
SEND_NOW_GRACE_SECONDS = 120  # the worker leaves an item alone this long while the request that wrote it sends it
KEEP_DAYS = 30
# A coalesced mail that must go out once only (one receipt per payment): later events joining it never mail again.
ONCE = timedelta(days=3650)
MAX_BACKOFF_SECONDS = 3600
HOOK_PACKAGE = "chalicelib.services."


@dataclass(frozen=True)
class Mail:
    """One message to one address: a template name and its values — never PHI (see chalicelib/templates)."""

    to: str
    template: str
    params: dict[str, Any]
    secret_params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hook:
    """A function in ``chalicelib.services`` named "module:function", with JSON arguments, called at delivery."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"hook": self.name, "args": self.args}


@dataclass
class Queued:
    """What ``enqueue`` added, for ``send_now`` after the commit."""

    item: OutboxItem


@dataclass
class DeliveryRun:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0


# -------------------------------------------------------------------------------------------------- writing


def enqueue(
    tx: Transaction,
    org_id: str,
    mail: Mail,
    *,
    not_before: datetime | None = None,
    recheck: Hook | None = None,
    report: Hook | None = None,
    coalesce: str | None = None,
    batch_delay: timedelta | None = None,
    delay: timedelta | None = None,
    flush: bool = False,
    cooldown: timedelta | None = None,
    send_now: bool = False,
) -> Queued:
    now = clock.now()
    due = not_before or (now + delay if delay else now)
    if send_now:
        due = max(due, now + timedelta(seconds=SEND_NOW_GRACE_SECONDS))
    item_id = f"c-{hashlib.sha256(coalesce.encode()).hexdigest()[:40]}" if coalesce else new_id("mail")
    item = OutboxItem(
        keys.outbox_pk(item_id),
        id=item_id,
        org_id=org_id,
        to=mail.to,
        template=mail.template,
        params=mail.params,
        secret_params=list(mail.secret_params) or None,
        status="pending",
        due_shard=keys.outbox_shard(item_id, get_settings().outbox_shards),
        due_at=clock.iso(due),
        recheck=recheck.as_json() if recheck else None,
        report=report.as_json() if report else None,
        batch_delay_seconds=int(batch_delay.total_seconds()) if batch_delay else None,
        cooldown_seconds=int(cooldown.total_seconds()) if cooldown else None,
        created_at=now,
        revision=1,
    )
    if coalesce:
        _join_batch(tx, item, flush=flush)
    else:
        tx.save(item, condition=OutboxItem.pk.does_not_exist())
    return Queued(item)


def _join_batch(tx: Transaction, item: OutboxItem, *, flush: bool) -> None:
    """Upsert: a pending batch keeps its due time (or, with ``flush``, becomes due now) and gains a revision; a
    finished one starts the next batch."""
    tx.update(
        OutboxItem(item.pk),
        actions=[
            OutboxItem.id.set(item.id),
            OutboxItem.org_id.set(item.org_id),
            OutboxItem.to.set(item.to),
            OutboxItem.template.set(item.template),
            OutboxItem.params.set(item.params),
            OutboxItem.status.set("pending"),
            OutboxItem.due_shard.set(item.due_shard),
            OutboxItem.due_at.set(item.due_at if flush else OutboxItem.due_at | item.due_at),
            OutboxItem.created_at.set(OutboxItem.created_at | item.created_at),
            OutboxItem.revision.add(1),
            *([OutboxItem.recheck.set(item.recheck)] if item.recheck else []),
            *([OutboxItem.report.set(item.report)] if item.report else []),
            *([OutboxItem.batch_delay_seconds.set(item.batch_delay_seconds)] if item.batch_delay_seconds else []),
            *([OutboxItem.cooldown_seconds.set(item.cooldown_seconds)] if item.cooldown_seconds else []),
            OutboxItem.expires.remove(),
        ],
        add_version_condition=False,
    )


# ------------------------------------------------------------------------------------------------- delivering


def send_now(queued: Queued | None) -> str | None:
    """Deliver an item its request just committed; returns the outcome ("sent", "retrying", "rejected", "skipped").
    A failure here is never raised: the item stays due and the worker retries it."""
    if queued is None:
        return None
    try:
        # Just committed by this request: still current, so no re-check (and no read) is needed.
        return _attempt(queued.item, recheck=False)
    except (PynamoDBException, DomainError):
        return "retrying"


def deliver_due(*, limit: int = 1000, seconds: float = 50.0) -> DeliveryRun:
    """The worker: everything due, shard by shard, until done, ``limit`` items, or ``seconds`` have passed (the
    function's time limit); whatever is left stays due for the next run."""
    run = DeliveryRun()
    deadline = time.monotonic() + seconds
    now = clock.iso(clock.now())
    handled = 0
    for shard in range(get_settings().outbox_shards):
        for item in OutboxItem.by_due.query(f"DUE#{shard}", OutboxItem.due_at <= now, page_size=100):
            if handled >= limit or time.monotonic() > deadline:
                return run
            handled += 1
            _tally(run, _claim_and_attempt(item))
    return run


def deliver_stream_records(records: Iterable[dict[str, Any]]) -> DeliveryRun:
    """DynamoDB stream records of the outbox table (new images): deliver each item that is due now."""
    run = DeliveryRun()
    now = clock.iso(clock.now())
    for record in records:
        image = record.get("dynamodb", {}).get("NewImage") or {}
        due = image.get("due_at", {}).get("S")
        if image.get("status", {}).get("S") == "pending" and due and due <= now:
            try:
                item = OutboxItem.get(image["pk"]["S"], consistent_read=True)
            except PynamoDBException:
                continue
            _tally(run, _claim_and_attempt(item))
    return run


def _tally(run: DeliveryRun, outcome: str | None) -> None:
    if outcome == "sent":
        run.sent += 1
    elif outcome == "skipped":
        run.skipped += 1
    elif outcome == "retrying":
        run.retried += 1
    elif outcome in {"failed", "rejected"}:
        run.failed += 1


def _claim_and_attempt(item: OutboxItem) -> str | None:
    now = clock.now()
    lease_free = OutboxItem.lease_until.does_not_exist() | (OutboxItem.lease_until < now)
    try:
        item.update(
            actions=[OutboxItem.lease_until.set(now + timedelta(seconds=LEASE_SECONDS))],
            condition=(OutboxItem.status == "pending") & OutboxItem.due_at.exists() & lease_free,
            add_version_condition=False,
        )
    except UpdateError:
        return None  # another worker has it, or it is done
    try:
        return _attempt(item)
    except (PynamoDBException, DomainError):
        return "retrying"  # the lease lapses and the next sweep tries again


def _attempt(item: OutboxItem, *, recheck: bool = True) -> str:
    if _cooling_down(item):
        _finish(item, "sent", message_id=item.message_id, delivered=False)  # the last mail covers it
        return "skipped"
    to = _address(item)
    if to is None or (recheck and item.recheck and not _call(item.recheck)):
        _finish(item, "skipped")
        return "skipped"
    try:
        sent = _send(item, to)
    except DeliveryFailed as error:
        return _failed(item, error)
    _finish(item, "sent", message_id=sent)
    return "sent"


def _cooling_down(item: OutboxItem) -> bool:
    """A coalesced item with a cooldown mailed less than that long ago: events that join it now add no mail."""
    if not item.cooldown_seconds or item.sent_at is None:
        return False
    return clock.now() - item.sent_at < timedelta(seconds=int(item.cooldown_seconds))


ACCOUNT_PREFIX = "account:"


def account_address(account_id: str) -> str:
    """A recipient named by account: the address is read at delivery, and an account that may no longer sign in
    (deactivated, disabled) gets nothing."""
    return f"{ACCOUNT_PREFIX}{account_id}"


def _address(item: OutboxItem) -> str | None:
    if not item.to.startswith(ACCOUNT_PREFIX):
        return item.to
    from chalicelib.tables.accounts import Login
    from chalicelib.tables.base import get_or_none

    account = get_or_none(Login, keys.org_pk(item.org_id), keys.account_sk(item.to.removeprefix(ACCOUNT_PREFIX)))
    return account.email if account is not None and account.email and account.status == "active" else None


def _send(item: OutboxItem, to: str) -> str:
    from chalicelib.adapters.mail import get_mailer
    from chalicelib.templates import render_mail

    return get_mailer().send(to, render_mail(item.template, **dict(item.params or {}))).message_id


def _failed(item: OutboxItem, error: DeliveryFailed) -> str:
    attempts = int(item.attempts or 0) + 1
    if error.permanent:
        _finish(item, "rejected", error=error.code, attempts=attempts)
        return "rejected"
    if attempts >= get_settings().outbox_max_attempts:
        _finish(item, "failed", error=error.code, attempts=attempts)
        return "failed"
    backoff = min(MAX_BACKOFF_SECONDS, get_settings().outbox_retry_base_seconds * 2 ** (attempts - 1))
    with transaction() as tx:
        tx.update(
            item,
            actions=[
                OutboxItem.attempts.set(attempts),
                OutboxItem.due_at.set(clock.iso(clock.now() + timedelta(seconds=backoff))),
                OutboxItem.last_error.set(error.code),
                OutboxItem.lease_until.remove(),
            ],
            condition=OutboxItem.status == "pending",
            add_version_condition=False,
        )
        if attempts == 1 and item.report:
            _call(item.report, tx=tx, outcome="failed")  # not confirmed yet: staff see it, and may resend
    return "retrying"


def _finish(
    item: OutboxItem,
    status: str,
    *,
    message_id: str | None = None,
    error: str | None = None,
    attempts: int | None = None,
    delivered: bool = True,
) -> None:
    """The final state, the report hook's change and the clearing of secrets — one transaction. If an event joined
    a coalesced batch while it was being sent, the item goes back to pending for the next batch instead."""
    now = clock.now()
    actions = [
        OutboxItem.status.set(status),
        OutboxItem.due_shard.remove(),
        OutboxItem.due_at.remove(),
        OutboxItem.lease_until.remove(),
        OutboxItem.expires.set(now + timedelta(days=KEEP_DAYS)),
    ]
    if status == "sent" and delivered:
        actions += [OutboxItem.sent_at.set(now), OutboxItem.message_id.set(message_id or "")]
    if error:
        actions.append(OutboxItem.last_error.set(error))
    if attempts is not None:
        actions.append(OutboxItem.attempts.set(attempts))
    if item.secret_params:
        actions.append(OutboxItem.params.set({k: v for k, v in (item.params or {}).items() if k not in set(item.secret_params)}))
    try:
        with transaction() as tx:
            tx.update(item, actions=actions, condition=OutboxItem.revision == int(item.revision or 0), label="revision")
            if item.report:
                _call(item.report, tx=tx, outcome=_reported(status))
    except DomainError:
        _next_batch(item, now)


def _next_batch(item: OutboxItem, now: datetime) -> None:
    delay = timedelta(seconds=int(item.batch_delay_seconds or 0))
    item.update(
        actions=[OutboxItem.due_at.set(clock.iso(now + delay)), OutboxItem.lease_until.remove(), OutboxItem.attempts.set(0)],
        add_version_condition=False,
    )


def _reported(status: str) -> str:
    return {"sent": "sent", "skipped": "skipped"}.get(status, "failed")


def _call(hook: dict[str, Any], **extra: Any) -> Any:
    """Hooks are named, not imported here: the outbox sits below the services that use it."""
    module_name, _, function = str(hook["hook"]).partition(":")
    if not module_name.startswith(HOOK_PACKAGE):
        raise ValueError(f"outbox hooks live in {HOOK_PACKAGE}")
    return getattr(import_module(module_name), function)(dict(hook.get("args") or {}), **extra)


# ---------------------------------------------------------------------------------------------------- bounces


def record_bounce(message_id: str, kind: str) -> bool:
    """SES reported a bounce or complaint for a message it accepted: the item and its report hook record it."""
    for found in OutboxItem.by_message.query(message_id, limit=1):
        item = OutboxItem.get(found.pk, consistent_read=True)
        with transaction() as tx:
            tx.update(item, actions=[OutboxItem.status.set("bounced"), OutboxItem.last_error.set(kind)], add_version_condition=False)
            if item.report:
                _call(item.report, tx=tx, outcome="failed")
        return True
    return False


__all__ = ["Hook", "Mail", "Queued", "deliver_due", "deliver_stream_records", "enqueue", "record_bounce", "send_now"]
