"""Who a route admits. Each route declares one Access level (and optionally a Feature); ``auth.guards`` enforces it,
docs/authorization.md is generated from the declarations, and the authorization matrix test walks them."""

from __future__ import annotations

from enum import StrEnum


class Access(StrEnum):
    ANYONE = "anyone"
    SIGNED_IN = "signed in"
    CLIENT = "client"
    STAFF = "staff"
    INVITER = "administrators and therapists allowed to invite clients"
    ADMINISTRATOR = "administrator"
    # Machine callers (Stripe) authenticated by a signature over the raw body; no session, no CSRF.
    WEBHOOK = "webhook"


SESSION_ACCESS = frozenset({Access.SIGNED_IN, Access.CLIENT, Access.STAFF, Access.INVITER, Access.ADMINISTRATOR})
