"""Card payments through Stripe, with each practice's own account (docs/decisions.md, 36).

The only module that imports ``stripe``; it is imported, and a practice's client created, on first use — never at a
cold start. One ``StripeClient`` per practice (its own secret key), cached per process by the connection's version,
so a changed key takes effect at once. Stripe's errors become domain errors here: a declined card is
``PaymentDeclined``, refused keys or an outage ``PaymentProviderFailed``, an unusable card reference ``ValidationFailed``.

``stripe_api_base`` (settings) points the library at the embedded fake server (localstripe) on local stages; with it
empty the same code talks to Stripe. Tests may install another gateway with ``use_payments``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib import clock
from chalicelib.config import get_settings
from chalicelib.errors import FieldError, PaymentDeclined, PaymentProviderFailed, SignatureInvalid, ValidationFailed

TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class PracticeKeys:
    """A practice's Stripe keys, decrypted for this process only (never logged, never returned by the API)."""

    org_id: str
    version: int
    secret_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)
    publishable_key: str = ""


@dataclass(frozen=True)
class Intent:
    id: str
    status: str  # Stripe's: succeeded | processing | requires_action | requires_payment_method | canceled | ...
    amount: int
    currency: str
    client_secret: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    card_brand: str | None = None
    card_last4: str | None = None
    created: int = 0


@dataclass(frozen=True)
class Card:
    brand: str
    last4: str


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str
    amount: int


@dataclass(frozen=True)
class StripeEvent:
    id: str
    type: str
    created: int
    object: dict[str, Any]


class PaymentGateway(Protocol):
    def check_keys(self) -> None: ...
    def setup_card(self) -> str: ...
    def card_of(self, payment_method: str) -> Card: ...
    def ensure_customer(self, reference: str) -> str: ...
    def attach(self, payment_method: str, customer: str) -> None: ...
    def charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        payment_method: str,
        customer: str | None,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent: ...
    def retrieve(self, intent_id: str) -> Intent: ...
    def cancel(self, intent_id: str) -> Intent: ...
    def refund(self, *, intent_id: str, amount_cents: int, idempotency_key: str) -> RefundResult: ...
    def intents_since(self, created_after: int) -> Iterator[Intent]: ...
    def announce_webhook(self, org_id: str, url: str, secret: str) -> None: ...


class StripeGateway:
    """One practice's Stripe account."""

    def __init__(self, keys: PracticeKeys, api_base: str | None) -> None:
        import stripe

        self._api_base = api_base
        options: dict[str, Any] = {"max_network_retries": 2, "http_client": stripe.new_default_http_client(timeout=TIMEOUT_SECONDS)}
        if api_base:
            options["base_addresses"] = {"api": api_base}
        self._client = stripe.StripeClient(keys.secret_key, **options)

    def check_keys(self) -> None:
        with _translated():
            self._client.v1.payment_intents.list(params={"limit": 1})

    def setup_card(self) -> str:
        """A SetupIntent the browser confirms with Stripe.js: the card details go to Stripe, never to us."""
        with _translated():
            setup = self._client.v1.setup_intents.create(params={"usage": "on_session", "payment_method_types": ["card"]})  # type: ignore[arg-type]
        return str(setup.client_secret)

    def card_of(self, payment_method: str) -> Card:
        with _translated():
            method = self._client.v1.payment_methods.retrieve(payment_method)
        card = getattr(method, "card", None)
        return Card(brand=str(getattr(card, "brand", "card") or "card"), last4=str(getattr(card, "last4", "") or ""))

    def ensure_customer(self, reference: str) -> str:
        """A Stripe customer for a client who saves a card: the client's opaque id only — no name, no email."""
        with _translated():
            customer = self._client.v1.customers.create(
                params={"metadata": {"portal_client": reference}}, options={"idempotency_key": f"customer-{reference}"}
            )
        return str(customer.id)

    def attach(self, payment_method: str, customer: str) -> None:
        with _translated():
            self._client.v1.payment_methods.attach(payment_method, params={"customer": customer})

    def charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        payment_method: str,
        customer: str | None,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent:
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency,
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": metadata,
        }
        if customer:
            params["customer"] = customer
        with _translated():
            intent = self._client.v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key})  # type: ignore[arg-type]
        return _intent(intent)

    def retrieve(self, intent_id: str) -> Intent:
        with _translated():
            return _intent(self._client.v1.payment_intents.retrieve(intent_id))

    def cancel(self, intent_id: str) -> Intent:
        """Cancel a PaymentIntent Stripe has not charged (one still waiting for the cardholder's authentication).
        Stripe refuses to cancel one that has succeeded or is processing: the caller reads it again."""
        with _translated():
            return _intent(self._client.v1.payment_intents.cancel(intent_id))

    def refund(self, *, intent_id: str, amount_cents: int, idempotency_key: str) -> RefundResult:
        with _translated():
            refund = self._client.v1.refunds.create(
                params={"payment_intent": intent_id, "amount": amount_cents}, options={"idempotency_key": idempotency_key}
            )
        return RefundResult(id=str(refund.id), status=str(refund.status), amount=int(refund.amount))

    def intents_since(self, created_after: int) -> Iterator[Intent]:
        """Every PaymentIntent created after a time, newest first, paged (the reconciliation command). The list is
        read until it reaches older ones (the fake server has no ``created`` filter, and this needs none)."""
        starting_after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if starting_after:
                params["starting_after"] = starting_after
            with _translated():
                page = self._client.v1.payment_intents.list(params=params)  # type: ignore[arg-type]
            for intent in page.data:
                found = _intent(intent)
                if found.created and found.created <= created_after:
                    return
                yield found
            if not page.has_more or not page.data:
                return
            starting_after = str(page.data[-1].id)

    def announce_webhook(self, org_id: str, url: str, secret: str) -> None:
        """On the fake server only: register the practice's webhook endpoint and signing secret (on Stripe the
        administrator adds the endpoint in the dashboard and pastes its secret here)."""
        if not self._api_base:
            return
        import urllib.request

        body = json.dumps({"url": url, "secret": secret, "events": None}).encode()
        request = urllib.request.Request(  # noqa: S310 (the fake server's own http address, from settings)
            f"{self._api_base}/_config/webhooks/{org_id}", data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310
                pass
        except OSError as error:
            raise PaymentProviderFailed("The local payment server could not be reached.") from error


def _intent(intent: Any) -> Intent:
    metadata = intent.metadata.to_dict() if hasattr(intent.metadata, "to_dict") else dict(intent.metadata or {})
    return Intent(
        id=str(intent.id),
        status=str(intent.status),
        amount=int(intent.amount),
        currency=str(intent.currency),
        client_secret=getattr(intent, "client_secret", None),
        metadata={str(k): str(v) for k, v in metadata.items()},
        created=int(getattr(intent, "created", 0) or 0),
    )


@contextmanager
def _translated() -> Iterator[None]:
    """Stripe's exceptions as domain errors."""
    import stripe

    try:
        yield
    except stripe.CardError as error:
        raise PaymentDeclined(_decline_message(error)) from error
    except (stripe.AuthenticationError, stripe.PermissionError) as error:
        raise PaymentProviderFailed("Stripe refused this practice's keys. An administrator can check them.") from error
    except stripe.InvalidRequestError as error:
        raise ValidationFailed(
            "The card details could not be used. Enter them again.", [FieldError("payment_method", "Enter the card again.")]
        ) from error
    except stripe.StripeError as error:
        raise PaymentProviderFailed() from error


def _decline_message(error: Any) -> str:
    code = getattr(error, "code", None) or ""
    if code in {"insufficient_funds", "expired_card", "incorrect_cvc", "card_declined", "processing_error"}:
        return {
            "insufficient_funds": "The card was declined: insufficient funds. Nothing was charged.",
            "expired_card": "The card has expired. Nothing was charged.",
            "incorrect_cvc": "The card's security code is wrong. Nothing was charged.",
            "processing_error": "The card could not be processed. Nothing was charged; try again.",
        }.get(code, "The card was declined. Nothing was charged.")
    return "The card was declined. Nothing was charged."


def verify_event(secret: str, header: str | None, body: bytes) -> StripeEvent:
    """Stripe's signature over the raw body (``t=…,v1=…``, HMAC-SHA256 with the endpoint's secret) and its age."""
    import stripe

    if not header:
        raise SignatureInvalid("The Stripe-Signature header is missing.")
    try:
        stripe.WebhookSignature.verify_header(body, header, secret, tolerance=None)
    except stripe.SignatureVerificationError:
        raise SignatureInvalid("The signature does not match.") from None
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        sent_at = int(parts.get("t", ""))
    except ValueError:
        raise SignatureInvalid("The signature has no time.") from None
    if abs(clock.now().timestamp() - sent_at) > get_settings().stripe_webhook_tolerance_seconds:
        raise SignatureInvalid("The signature is too old.")
    try:
        payload = json.loads(body)
        data_object = payload["data"]["object"]
        return StripeEvent(id=str(payload["id"]), type=str(payload["type"]), created=int(payload.get("created") or 0), object=data_object)
    except (ValueError, KeyError, TypeError):
        raise SignatureInvalid("The event could not be read.") from None


def unverified_route(body: bytes) -> dict[str, str]:
    """The metadata an event claims before it is verified — used only to choose what to read, never to change."""
    try:
        payload = json.loads(body)
        metadata = payload["data"]["object"].get("metadata") or {}
        return {str(k): str(v) for k, v in metadata.items() if isinstance(v, str)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


# ------------------------------------------------------------------------------------------ one per practice

_gateways: dict[tuple[str, int, str | None], PaymentGateway] = {}
_override: list[Callable[[PracticeKeys], PaymentGateway]] = []


def get_payments(keys: PracticeKeys) -> PaymentGateway:
    """The practice's gateway, created on first use and cached by the connection's version."""
    if _override:
        return _override[-1](keys)
    api_base = get_settings().stripe_api_base
    cache_key = (keys.org_id, keys.version, api_base)
    if cache_key not in _gateways:
        for stale in [k for k in _gateways if k[0] == keys.org_id]:
            del _gateways[stale]
        _gateways[cache_key] = StripeGateway(keys, api_base)
    return _gateways[cache_key]


def use_payments(factory: Callable[[PracticeKeys], PaymentGateway] | None) -> None:
    """Tests install another gateway (a failing one, say); ``None`` restores Stripe (or the fake server)."""
    _override.clear()
    _gateways.clear()
    if factory is not None:
        _override.append(factory)
