"""The mail paperwork causes — never PHI: the practice's name and a sign-in link, nothing about the forms."""

from __future__ import annotations

from chalicelib import clock
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
    """Each assigned staff member gets at most one mail per client per window (``paperwork_notice_seconds``): the
    first form signed in it is announced at once, and the rest of the packet signed in the same window joins that
    mail instead of sending its own — three forms, one mail. The address is looked up at delivery; a deactivated
    staff member gets nothing."""
    window = get_settings().paperwork_notice_seconds
    bucket = int(clock.now().timestamp()) // window
    mail_params = {"practice": principal.org_name, "sign_in_link": sign_in_url(principal.org_slug)}
    for staff_id in sorted(staff_ids):
        outbox.enqueue(
            tx,
            principal.org_id,
            outbox.Mail(to=outbox.account_address(staff_id), template="paperwork_completed", params=mail_params),
            coalesce=f"paperwork_completed:{principal.org_id}:{staff_id}:{client_id}:{bucket}",
            once=True,
        )
