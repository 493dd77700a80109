"""Domain errors and their single mapping to RFC 9457 problem+json responses.

Services raise these; ``problem_response`` is the only place that turns them into HTTP.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from chalice.app import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status: ClassVar[int] = 500
    type: ClassVar[str] = "/problems/internal"
    title: ClassVar[str] = "Something went wrong on our side"

    def __init__(self, detail: str | None = None, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []


class MalformedRequest(DomainError):
    status, type, title = 400, "/problems/malformed-request", "The request could not be read"


class SignatureInvalid(DomainError):
    status, type, title = 400, "/problems/invalid-signature", "The request's signature could not be verified"


class InvalidCursor(DomainError):
    status, type, title = 400, "/problems/invalid-cursor", "This page link is not valid here"


class ValidationFailed(DomainError):
    status, type, title = 422, "/problems/validation-failed", "Some fields need attention"


class PasskeyRejected(ValidationFailed):
    """A WebAuthn response that could not be verified (malformed, not our challenge or origin, bad signature)."""

    type, title = "/problems/passkey-rejected", "The passkey could not be verified"


class Unauthenticated(DomainError):
    status, type, title = 401, "/problems/unauthenticated", "Please sign in"


class Forbidden(DomainError):
    status, type, title = 403, "/problems/forbidden", "You do not have access to this"


class FeatureDisabled(DomainError):
    status, type, title = 403, "/problems/feature-disabled", "This feature is turned off for your practice"


class SeatRequired(DomainError):
    status, type, title = 403, "/problems/seat-required", "This feature needs a seat on the portal subscription"


class SecondFactorRequired(DomainError):
    """A session signed in with a password whose person has a second factor they have not proven yet."""

    status, type, title = 403, "/problems/second-factor-required", "Confirm it's you with your second factor first"


class SecondFactorSetUpRequired(DomainError):
    """A session whose person must set up a second factor before anything else (the practice requires one)."""

    status, type, title = 403, "/problems/second-factor-set-up-required", "Set up a second factor first"


class StepUpRequired(DomainError):
    """A sensitive action whose session proved its second factor too long ago (or never)."""

    status, type, title = 403, "/problems/step-up-required", "Confirm it's you again to do this"


class NotFound(DomainError):
    status, type, title = 404, "/problems/not-found", "Not found"


class MethodNotAllowed(DomainError):
    status, type, title = 405, "/problems/method-not-allowed", "This route does not accept that method"


class Conflict(DomainError):
    status, type, title = 409, "/problems/conflict", "That conflicts with existing data"


class StaleVersion(DomainError):
    status, type, title = 409, "/problems/stale-version", "Someone else changed this first"


class DuplicateEvent(DomainError):
    """A webhook event already processed: the sender is told it was received, and nothing changes."""

    status, type, title = 200, "/problems/duplicate-event", "This event was already processed"


class TokenInvalid(DomainError):
    status, type, title = 410, "/problems/token-invalid", "This link has expired or was already used"


class PayloadTooLarge(DomainError):
    status, type, title = 413, "/problems/payload-too-large", "The request body is too large"


class UnsupportedMediaType(DomainError):
    status, type, title = 415, "/problems/unsupported-media-type", "Send JSON with Content-Type application/json"


class TooManyAttempts(DomainError):
    status, type, title = 429, "/problems/too-many-attempts", "Too many attempts"

    def __init__(self, detail: str | None = None, retry_after_seconds: int = 60) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class DeliveryFailed(DomainError):
    status, type, title = 502, "/problems/delivery-failed", "The email could not be sent"

    def __init__(self, detail: str | None = None, *, permanent: bool = False, code: str = "unavailable") -> None:
        super().__init__(detail)
        self.permanent = permanent  # the address or message was refused: retrying cannot help
        self.code = code  # SES's error code, for the record (never a message body)


class PaymentDeclined(DomainError):
    """The card was refused by the card network or its issuer; nothing was charged."""

    status, type, title = 402, "/problems/payment-declined", "The card was declined"


class PaymentsNotSetUp(DomainError):
    status, type, title = 409, "/problems/payments-not-set-up", "This practice does not take card payments yet"


class PaymentProviderFailed(DomainError):
    """Stripe could not be reached or refused the practice's keys; retrying later is safe (idempotency keys)."""

    status, type, title = 502, "/problems/payment-provider", "The payment service did not answer"


class DependencyFailed(DomainError):
    """A backing service (database, storage, audit) failed; the request must not pretend it succeeded."""

    status, type, title = 503, "/problems/unavailable", "The service is temporarily unavailable"


def problem_body(error: DomainError, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": error.type,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
    }
    if error.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    if request_id:
        body["request_id"] = request_id
    return body


def from_framework_error(response: Response) -> DomainError | None:
    """Chalice answers some requests itself (an unsupported method); give those the same problem+json shape."""
    if response.status_code == 405:
        return MethodNotAllowed(f"Use {response.headers.get('Allow', 'another method')} for this route.")
    return None


def problem_response(error: DomainError, request_id: str | None) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": PROBLEM_CONTENT_TYPE}
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after_seconds)
    return Response(body=json.dumps(problem_body(error, request_id)), status_code=error.status, headers=headers)
