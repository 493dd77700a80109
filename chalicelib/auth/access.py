"""Who a route admits. Each route declares one Access level (and optionally a Feature); ``auth.guards`` enforces it,
docs/authorization.md is generated from the declarations, and the authorization matrix test walks them."""

from __future__ import annotations

from enum import StrEnum


class Access(StrEnum):
    ANYONE = "anyone"
    SIGNED_IN = "signed in"
    # Sessions still waiting for the second factor (docs/decisions.md, "A second factor"): these levels admit
    # them, every other level refuses them with 403 /problems/second-factor-required (or -set-up-required).
    ANY_SESSION = "signed in, also before the second factor"
    PROVING_FACTOR = "signed in, also while proving the second factor"
    SETTING_UP_FACTOR = "signed in, also while setting up a second factor"
    CLIENT = "client"
    STAFF = "staff"
    INVITER = "administrators and therapists allowed to invite clients"
    ADMINISTRATOR = "administrator"
    # Machine callers (Stripe) authenticated by a signature over the raw body; no session, no CSRF.
    WEBHOOK = "webhook"


SESSION_ACCESS = frozenset(
    {
        Access.SIGNED_IN,
        Access.ANY_SESSION,
        Access.PROVING_FACTOR,
        Access.SETTING_UP_FACTOR,
        Access.CLIENT,
        Access.STAFF,
        Access.INVITER,
        Access.ADMINISTRATOR,
    }
)
