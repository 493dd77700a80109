"""A practice's Stripe connection: its own keys, checked with Stripe, encrypted with KMS, never returned by the API."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from chalicelib import audit, clock
from chalicelib.adapters.payments import PaymentGateway, PracticeKeys, get_payments
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.config import get_settings
from chalicelib.domain.payments import Connection
from chalicelib.errors import FieldError, PaymentsNotSetUp, ValidationFailed
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.payments import PaymentsConnection, connection_of

CURRENCIES = frozenset({"usd", "cad", "eur", "gbp", "aud", "nzd"})


@dataclass(frozen=True)
class ConnectionChange:
    secret_key: str | None
    publishable_key: str | None
    webhook_secret: str | None
    allow_partial: bool
    currency: str


def webhook_url(org_id: str) -> str:
    """Every practice's Stripe account sends its events to the same endpoint; each event names its practice in the
    metadata we set, and is verified with that practice's own signing secret."""
    return f"{get_settings().public_base_url}/api/webhooks/stripe"


def status(principal: StaffPrincipal) -> Connection:
    item = get_or_none(PaymentsConnection, keys.org_pk(principal.org_id), keys.PAYMENTS_CONNECTION_SK)
    return replace(connection_of(item), webhook_url=webhook_url(principal.org_id))


def connect(principal: StaffPrincipal, change: ConnectionChange) -> Connection:
    """Save the keys (all three the first time; later, any left out are kept) and the practice's options."""
    existing = get_or_none(PaymentsConnection, keys.org_pk(principal.org_id), keys.PAYMENTS_CONNECTION_SK)
    current = practice_keys(principal.org_id, existing) if existing else None
    secret_key = change.secret_key or (current.secret_key if current else None)
    webhook_secret = change.webhook_secret or (current.webhook_secret if current else None)
    publishable_key = change.publishable_key or (existing.publishable_key if existing else None)
    _check(secret_key, publishable_key, webhook_secret, change.currency)
    assert secret_key and publishable_key and webhook_secret
    live = secret_key.startswith(("sk_live_", "rk_live_"))
    gateway = get_payments(PracticeKeys(principal.org_id, -1, secret_key, webhook_secret, publishable_key))
    if change.secret_key:
        gateway.check_keys()
    from chalicelib.adapters import vault

    sealed = vault.encrypt(principal.org_id, json.dumps({"secret_key": secret_key, "webhook_secret": webhook_secret}).encode())
    item = PaymentsConnection(
        keys.org_pk(principal.org_id),
        keys.PAYMENTS_CONNECTION_SK,
        secrets=sealed,
        publishable_key=publishable_key,
        key_hint=secret_key[-4:],
        live=live,
        currency=change.currency,
        allow_partial=change.allow_partial,
        connected_at=clock.now(),
        connected_by=principal.id,
    )
    if existing is not None:
        item.version = existing.version
    with transaction() as tx:
        tx.save(item, label="connection")
        tx.save(audit.event(principal, "payments.connect", "payments/connection"))
    if change.webhook_secret or change.secret_key:
        gateway.announce_webhook(principal.org_id, webhook_url(principal.org_id), webhook_secret)
    return replace(connection_of(item), webhook_url=webhook_url(principal.org_id))


def _check(secret_key: str | None, publishable_key: str | None, webhook_secret: str | None, currency: str) -> None:
    errors = []
    if not secret_key or not secret_key.startswith(("sk_test_", "sk_live_", "rk_test_", "rk_live_")):
        errors.append(FieldError("secret_key", "Paste a restricted key (rk_…) or secret key (sk_…) from Stripe."))
    if not publishable_key or not publishable_key.startswith(("pk_test_", "pk_live_")):
        errors.append(FieldError("publishable_key", "Paste the publishable key (pk_…) from Stripe."))
    if not webhook_secret or not webhook_secret.startswith("whsec_"):
        errors.append(FieldError("webhook_secret", "Paste the endpoint's signing secret (whsec_…) from Stripe."))
    if secret_key and publishable_key and ("_live_" in secret_key) != ("_live_" in publishable_key):
        errors.append(FieldError("publishable_key", "Use keys of the same mode: both test or both live."))
    if currency not in CURRENCIES:
        errors.append(FieldError("currency", "Choose a supported currency."))
    if errors:
        raise ValidationFailed(errors[0].message if len(errors) == 1 else "Some fields need attention.", errors)


# ------------------------------------------------------------------------------------------- for payment code

_decrypted: dict[tuple[str, int], PracticeKeys] = {}


def practice_keys(org_id: str, item: PaymentsConnection | None) -> PracticeKeys:
    """The connection's keys, decrypted once per process and connection version (KMS is not asked per request)."""
    if item is None:
        raise PaymentsNotSetUp("This practice does not take card payments yet.")
    version = int(item.version or 0)
    cache_key = (org_id, version)
    if cache_key not in _decrypted:
        from chalicelib.adapters import vault

        secrets = json.loads(vault.decrypt(org_id, bytes(item.secrets)))
        for stale in [k for k in _decrypted if k[0] == org_id]:
            del _decrypted[stale]
        _decrypted[cache_key] = PracticeKeys(org_id, version, secrets["secret_key"], secrets["webhook_secret"], item.publishable_key)
    return _decrypted[cache_key]


def gateway_for(org_id: str, item: PaymentsConnection | None) -> PaymentGateway:
    return get_payments(practice_keys(org_id, item))


def forget_keys() -> None:
    _decrypted.clear()
