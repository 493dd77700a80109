"""Single-use, expiring set-password links for staff invitations and password resets.

A staff record remembers the hash of its one live link (``password_token_hash``); issuing a new link replaces
it, so an earlier link stops working even before it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from chalicelib import clock
from chalicelib.adapters.mail import get_mailer
from chalicelib.auth.tokens import digest, new_secret
from chalicelib.config import get_settings
from chalicelib.errors import DeliveryFailed
from chalicelib.tables.tokens import PasswordToken, token_pk


class Purpose(StrEnum):
    STAFF_INVITE = "staff_invite"
    CLIENT_INVITE = "client_invite"
    PASSWORD_RESET = "password_reset"


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
        token_pk(token_hash),
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


def send(
    link: IssuedLink,
    *,
    to: str,
    practice: str,
    slug: str,
    inviter: str | None = None,
    message: str | None = None,
) -> bool:
    """Send the mail; return whether SES accepted it. A failure is reported, never raised: the link stays valid."""
    from chalicelib.templates import render_mail

    expires = link.record.expires_at.strftime("%d %b %Y at %H:%M UTC")
    if link.record.purpose == Purpose.CLIENT_INVITE:
        mail = render_mail(
            "client_invitation",
            practice=practice,
            message=message or "",
            link=link_url(slug, link.secret),
            sign_in_link=sign_in_url(slug),
            expires=expires,
        )
    elif link.record.purpose == Purpose.STAFF_INVITE:
        mail = render_mail(
            "staff_invitation",
            practice=practice,
            inviter=inviter or "Your practice administrator",
            link=link_url(slug, link.secret),
            sign_in_link=sign_in_url(slug),
            expires=expires,
        )
    else:
        mail = render_mail("password_reset", practice=practice, link=link_url(slug, link.secret), expires=expires)
    try:
        get_mailer().send(to, mail)
    except DeliveryFailed:
        return False
    return True
