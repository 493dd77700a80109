"""The mail paperwork causes — never PHI: the practice's name and a sign-in link, nothing about the forms."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.auth.principals import Principal
from chalicelib.config import get_settings
from chalicelib.services import outbox
from chalicelib.services.password_links import sign_in_url
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import Transaction


def client_notice(client: ClientRecord, principal: Principal, template: str) -> outbox.Mail:
    """ "You have paperwork waiting" (or its reminder) to the client's address."""
    return outbox.Mail(
        to=client.email or "",
        template=template,
        params={"practice": principal.org_name, "sign_in_link": sign_in_url(principal.org_slug)},
    )


def notify_staff_of_signing(tx: Transaction, principal: Principal, staff_ids: list[str], client_id: str) -> None:
    """Each assigned staff member hears of a client's signed paperwork at once, then at most once per window
    (``paperwork_notice_seconds``, counted from the last mail): the rest of a packet signed meanwhile joins that
    mail instead of sending its own — three forms, one mail. The address is looked up at delivery; a deactivated
    staff member gets nothing."""
    cooldown = timedelta(seconds=get_settings().paperwork_notice_seconds)
    mail_params = {"practice": principal.org_name, "sign_in_link": sign_in_url(principal.org_slug)}
    for staff_id in sorted(staff_ids):
        outbox.enqueue(
            tx,
            principal.org_id,
            outbox.Mail(to=outbox.account_address(staff_id), template="paperwork_completed", params=mail_params),
            coalesce=f"paperwork_completed:{principal.org_id}:{staff_id}:{client_id}",
            cooldown=cooldown,
        )
