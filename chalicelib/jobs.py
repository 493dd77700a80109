"""Scheduled jobs, kept out of the request path. Each imports what it needs when it runs."""

from __future__ import annotations

from chalicelib.config import get_settings
from chalicelib.observability import get_logger
from chalicelib.tables.base import ensure_bound


def send_intake_reminders() -> int:
    """Remind clients of paperwork still pending after the configured number of days."""
    from chalicelib.services.paperwork import send_due_reminders

    ensure_bound(get_settings())
    sent = send_due_reminders()
    get_logger().info("intake reminders", sent=sent)
    return sent
