"""Scheduled and event-driven jobs, kept out of the request path. Each imports what it needs when it runs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from chalicelib.config import get_settings
from chalicelib.observability import get_logger
from chalicelib.tables.registry import ensure_bound


def send_intake_reminders(seconds: float = 50.0) -> int:
    """Remind clients of paperwork still pending after the configured number of days."""
    from chalicelib.services.paperwork.reminders import send_due_reminders

    ensure_bound(get_settings())
    run = send_due_reminders(seconds=seconds)
    get_logger().info("intake reminders", reminded=run.reminded, invited=run.invited, skipped=run.skipped, finished=run.finished)
    return run.reminded + run.invited


def send_appointment_reminders(seconds: float = 50.0) -> int:
    """Remind clients of confirmed appointments coming up (each once, at the lead time its therapist chose)."""
    from chalicelib.services.scheduling.reminders import send_due_reminders

    ensure_bound(get_settings())
    run = send_due_reminders(seconds=seconds)
    get_logger().info("appointment reminders", reminded=run.reminded, skipped=run.skipped, finished=run.finished)
    return run.reminded


def deliver_mail(seconds: float = 50.0) -> int:
    """The outbox sweep: every mail that is due (delayed ones, retries, anything the stream missed)."""
    from chalicelib.services.outbox import deliver_due

    ensure_bound(get_settings())
    run = deliver_due(seconds=seconds)
    if run.sent or run.skipped or run.retried or run.failed:
        get_logger().info("outbox sweep", sent=run.sent, skipped=run.skipped, retried=run.retried, failed=run.failed)
    return run.sent


def send_mass_messages(seconds: float = 50.0) -> int:
    """Mass messages still sending, batch by batch; a run cut short resumes after its last committed batch."""
    from chalicelib.services.messaging.campaigns import send_due

    ensure_bound(get_settings())
    run = send_due(seconds=seconds)
    if run.batches or run.finished or run.failed:
        get_logger().info(
            "mass messages", sent=run.sent, skipped=run.skipped, batches=run.batches, finished=run.finished, failed=run.failed
        )
    return run.sent


def deliver_new_mail(records: Iterable[dict[str, Any]]) -> int:
    """The outbox table's stream: new items are delivered within seconds of the transaction that wrote them."""
    from chalicelib.services.outbox import deliver_stream_records

    ensure_bound(get_settings())
    return deliver_stream_records(records).sent


def mail_event_outcome(message: str) -> tuple[str, str] | None:
    """What an SES event notification (a configuration set's SNS destination) says about a sent message:
    ``(message id, "bounce" | "complaint")`` for a permanent bounce or a complaint, None for anything else (a
    transient bounce SES keeps retrying, a delivery, a message that is not an SES event)."""
    try:
        notification = json.loads(message)
    except ValueError:
        return None
    if not isinstance(notification, dict):
        return None
    # Configuration-set event publishing says "eventType"; identity notifications say "notificationType".
    kind = notification.get("eventType") or notification.get("notificationType")
    mail = notification.get("mail")
    message_id = mail.get("messageId") if isinstance(mail, dict) else None
    if not isinstance(message_id, str) or not message_id:
        return None
    if kind == "Bounce":
        bounce = notification.get("bounce")
        return (message_id, "bounce") if isinstance(bounce, dict) and bounce.get("bounceType") == "Permanent" else None
    if kind == "Complaint":
        return message_id, "complaint"
    return None


def record_mail_events(messages: Iterable[str]) -> int:
    """SES told us a mail bounced for good or its recipient complained: the outbox item and what it reports to (an
    invitation shows "failed") record it. Notifications that say nothing of the kind, or name a message this
    deployment did not send, are ignored; a database failure raises, so SNS delivers the notification again."""
    from chalicelib.services.outbox import record_bounce

    ensure_bound(get_settings())
    recorded = 0
    for message in messages:
        outcome = mail_event_outcome(message)
        if outcome is None:
            continue
        message_id, kind = outcome
        if record_bounce(message_id, kind):
            recorded += 1
            # The message id and the kind only: never an address or anything the mail said.
            get_logger().info("mail event recorded", message_id=message_id, kind=kind)
    return recorded
