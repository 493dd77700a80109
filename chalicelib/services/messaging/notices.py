"""The mail a message causes: "You have a new secure message — sign in to read it", and nothing else.

It is queued in the transaction of the send, due after the practice's delay (15 minutes unless it chose another),
re-checked at delivery (already read → nothing is sent) and coalesced per recipient: however many messages arrive
before it is due, the recipient gets one mail for the batch. Its subject and sender name are the practice's
(discreet by default); it never carries the text, the sender's name or role, or an attachment's name.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.auth.features import PracticeFacts
from chalicelib.config import get_settings
from chalicelib.services import outbox
from chalicelib.services.password_links import sign_in_url
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import Transaction, get_or_none

TEMPLATE = "message_waiting"


def delay_for(practice: PracticeFacts) -> timedelta:
    override = get_settings().message_notice_seconds
    if override is not None:
        return timedelta(seconds=override)
    return timedelta(minutes=practice.messaging.notice_minutes)


def notify(tx: Transaction, practice: PracticeFacts, account_id: str) -> None:
    """Queue (or join) the recipient's pending notice; the address is read at delivery."""
    policy = practice.messaging
    delay = delay_for(practice)
    mail = outbox.Mail(
        to=outbox.account_address(account_id),
        template=TEMPLATE,
        params={"subject": policy.mail_subject, "sender_name": policy.mail_sender, "sign_in_link": sign_in_url(practice.slug)},
    )
    outbox.enqueue(
        tx,
        practice.id,
        mail,
        delay=delay,
        batch_delay=delay,
        # A batch is defined by its delay: after the practice changes the delay, new messages start a batch of their
        # own instead of joining one that waits under the old delay.
        coalesce=f"{TEMPLATE}:{practice.id}:{account_id}:{int(delay.total_seconds())}",
        recheck=outbox.Hook(f"{__name__}:still_unread", {"org_id": practice.id, "account_id": account_id}),
    )


def still_unread(args: dict[str, Any], **_: Any) -> bool:
    """Asked at delivery: does the recipient still have an unread message? If they read it meanwhile, no mail."""
    account = get_or_none(Login, keys.org_pk(str(args["org_id"])), keys.account_sk(str(args["account_id"])))
    return account is not None and int(account.unread_messages or 0) > 0
