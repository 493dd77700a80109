"""Single-use, expiring set-password links: staff and client invitations, password resets.

An account remembers the hash of its one live link (``password_token_hash``); issuing a new link replaces it, so an
earlier link stops working even before it expires. The mail carrying a link goes through the outbox in the same
transaction; at delivery it is re-checked, so a link replaced in the meantime is never mailed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from chalicelib import clock
from chalicelib.auth.tokens import digest, new_secret
from chalicelib.config import get_settings
from chalicelib.services import outbox
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientInvitation, Login, StaffSeat
from chalicelib.tables.base import Transaction, get_or_none
from chalicelib.tables.tokens import PasswordToken


class Purpose(StrEnum):
    STAFF_INVITE = "staff_invite"
    CLIENT_INVITE = "client_invite"
    PASSWORD_RESET = "password_reset"


TEMPLATES = {
    Purpose.STAFF_INVITE: "staff_invitation",
    Purpose.CLIENT_INVITE: "client_invitation",
    Purpose.PASSWORD_RESET: "password_reset",
}


@dataclass(frozen=True)
class IssuedLink:
    secret: str
    token_hash: str
    record: PasswordToken


def issue(purpose: Purpose, org_id: str, account_id: str, *, org_name: str, org_slug: str) -> IssuedLink:
    """Build (not save) a token; the caller saves it in the transaction that points the account at it."""
    settings = get_settings()
    ttl = {
        Purpose.STAFF_INVITE: settings.staff_invitation_ttl_seconds,
        Purpose.CLIENT_INVITE: settings.client_invitation_ttl_seconds,
        Purpose.PASSWORD_RESET: settings.password_reset_ttl_seconds,
    }[purpose]
    secret = new_secret()
    now = clock.now()
    expires_at = now + timedelta(seconds=ttl)
    token_hash = digest(secret)
    record = PasswordToken(
        keys.token_pk(token_hash),
        purpose=str(purpose),
        org_id=org_id,
        org_name=org_name,
        org_slug=org_slug,
        account_id=account_id,
        created_at=now,
        expires_at=expires_at,
        expires=expires_at + timedelta(days=1),
    )
    return IssuedLink(secret=secret, token_hash=token_hash, record=record)


def link_url(slug: str, secret: str) -> str:
    # The secret travels in the fragment, which browsers never send to a server or put in access logs.
    return f"{get_settings().public_base_url}/o/{slug}/set-password#token={secret}"


def sign_in_url(slug: str) -> str:
    return f"{get_settings().public_base_url}/o/{slug}"


def mail_for(
    link: IssuedLink,
    *,
    to: str,
    practice: str,
    slug: str,
    time_zone: str | None,
    inviter: str | None = None,
    message: str | None = None,
) -> outbox.Mail:
    """The mail that carries a link: the practice's name, the link (its secret in the fragment), nothing else. Its
    expiry reads in the practice's time zone ("23 November 2026, 3:00 PM CST")."""
    purpose = Purpose(link.record.purpose)
    params: dict[str, Any] = {
        "practice": practice,
        "link": link_url(slug, link.secret),
        "expires": clock.readable_time(link.record.expires_at, time_zone or "UTC"),
    }
    if purpose is Purpose.CLIENT_INVITE:
        params.update(message=message or "", sign_in_link=sign_in_url(slug))
    elif purpose is Purpose.STAFF_INVITE:
        params.update(inviter=inviter or "Your practice administrator", sign_in_link=sign_in_url(slug))
    return outbox.Mail(to=to, template=TEMPLATES[purpose], params=params, secret_params=("link",))


def enqueue(tx: Transaction, link: IssuedLink, mail: outbox.Mail, *, report: bool = False, send_now: bool = True) -> outbox.Queued:
    """Queue the link's mail in ``tx``: re-checked at delivery (a replaced or used link is not sent) and, with
    ``report``, its outcome written on the account (invitation_delivery: sent / failed). With ``send_now`` the request
    delivers it right after its commit (``outbox.send_now``) and the worker only steps in if that fails."""
    record = link.record
    args = {"org_id": record.org_id, "account_id": record.account_id, "token_hash": link.token_hash}
    return outbox.enqueue(
        tx,
        record.org_id,
        mail,
        recheck=outbox.Hook(f"{__name__}:still_live", args),
        report=outbox.Hook(f"{__name__}:record_delivery", args) if report else None,
        send_now=send_now,
    )


# ------------------------------------------------------------------------------------------- outbox hooks


def still_live(args: dict[str, Any]) -> bool:
    """At delivery: the link is unused, unexpired and still the account's one live link."""
    token = get_or_none(PasswordToken, keys.token_pk(args["token_hash"]))
    account = get_or_none(Login, keys.org_pk(args["org_id"]), keys.account_sk(args["account_id"]))
    return (
        token is not None
        and token.used_at is None
        and token.expires_at > clock.now()
        and account is not None
        and account.password_token_hash == args["token_hash"]
    )


def record_delivery(args: dict[str, Any], *, tx: Transaction, outcome: str) -> None:
    """The invitation's delivery result on the account (through a version-less view: it is not an edit)."""
    if outcome == "skipped":
        return
    pk, sk = keys.org_pk(args["org_id"]), keys.account_sk(args["account_id"])
    view: StaffSeat | ClientInvitation = ClientInvitation(pk, sk) if args["account_id"].startswith("cli_") else StaffSeat(pk, sk)
    condition = type(view).pk.exists()
    tx.update(view, actions=[type(view).invitation_delivery.set(outcome)], condition=condition, add_version_condition=False)
