"""The mail scheduling causes — never PHI: the practice's name and a sign-in link, no time, no service, no name.

Staff hear of a client's request, booking, cancellation or move; clients of a confirmation, a decline, a
cancellation or move by staff, a reminder, a waitlist opening. Recipients are named by account and looked up at
delivery (``outbox.account_address``): an account that can no longer sign in gets nothing.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.auth.features import PracticeFacts
from chalicelib.services import outbox
from chalicelib.services.password_links import sign_in_url
from chalicelib.tables.base import Transaction


def send(tx: Transaction, practice: PracticeFacts, account_id: str, template: str, *, not_before: datetime | None = None) -> None:
    params = {"practice": practice.name, "sign_in_link": sign_in_url(practice.slug)}
    outbox.enqueue(
        tx, practice.id, outbox.Mail(to=outbox.account_address(account_id), template=template, params=params), not_before=not_before
    )
