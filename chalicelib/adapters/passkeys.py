"""WebAuthn ceremonies through py_webauthn (``webauthn``), imported only inside these functions: the routes that
register or check a passkey pay for it (cryptography, cbor2), no other route and no cold start does.

The relying party is the portal's own host (``settings.public_base_url``: ``localhost`` locally, which browsers treat
as a secure context) and the expected origin is that base URL. Every failure of a ceremony — malformed JSON, a
challenge or origin that is not ours, a bad signature, user verification missing — is one domain error,
``PasskeyRejected`` (422), with a message that reveals nothing about which check failed.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from chalicelib.config import get_settings
from chalicelib.errors import PasskeyRejected as Rejected

REJECTED = "That passkey response could not be verified. Try again."
TIMEOUT_MS = 120_000


class PasskeyRejected(Rejected):
    def __init__(self, detail: str = REJECTED) -> None:
        super().__init__(detail)


def rp_id() -> str:
    return urlsplit(get_settings().public_base_url).hostname or "localhost"


def origin() -> str:
    parts = urlsplit(get_settings().public_base_url)
    return f"{parts.scheme}://{parts.netloc}"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PasskeyRejected() from None


def challenge_of(credential: dict[str, Any]) -> bytes:
    """The challenge the browser signed, read from clientDataJSON (to find our record of it before verifying)."""
    try:
        client_data = json.loads(from_b64url(credential["response"]["clientDataJSON"]))
        return from_b64url(str(client_data["challenge"]))
    except (KeyError, TypeError, ValueError, UnicodeDecodeError):
        raise PasskeyRejected() from None


def credential_id_of(credential: dict[str, Any]) -> bytes:
    raw = credential.get("rawId")
    if not isinstance(raw, str) or raw != credential.get("id"):
        raise PasskeyRejected()
    return from_b64url(raw)


def user_handle_of(credential: dict[str, Any]) -> str | None:
    handle = (credential.get("response") or {}).get("userHandle")
    if not isinstance(handle, str) or not handle:
        return None
    try:
        return from_b64url(handle).decode("ascii")
    except UnicodeDecodeError:
        return None


def new_challenge() -> bytes:
    import secrets

    return secrets.token_bytes(32)


# ------------------------------------------------------------------------------------------------ registration


def registration_options(
    challenge: bytes, *, user_id: str, user_name: str, display_name: str, rp_name: str, exclude: list[bytes]
) -> dict[str, Any]:
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=rp_name,
        user_id=user_id.encode("ascii"),
        user_name=user_name,
        user_display_name=display_name,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=credential) for credential in exclude],
    )
    return dict(json.loads(options_to_json(options)))


@dataclass(frozen=True)
class Registered:
    credential_id: bytes
    public_key: bytes
    sign_count: int
    backed_up: bool
    transports: tuple[str, ...]


def verify_registration(credential: dict[str, Any], challenge: bytes) -> Registered:
    from webauthn import verify_registration_response
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id(), expected_origin=origin()
        )
    except (WebAuthnException, KeyError, TypeError, ValueError):
        raise PasskeyRejected() from None
    transports = (credential.get("response") or {}).get("transports") or []
    return Registered(
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        backed_up=verified.credential_backed_up,
        transports=tuple(str(t) for t in transports if isinstance(t, str))[:8],
    )


# -------------------------------------------------------------------------------------------- authentication


def authentication_options(
    challenge: bytes, allow: list[tuple[bytes, tuple[str, ...]]] | None, *, require_verification: bool
) -> dict[str, Any]:
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorTransport,
        PublicKeyCredentialDescriptor,
        UserVerificationRequirement,
    )

    known = {transport.value for transport in AuthenticatorTransport}
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=credential, transports=[AuthenticatorTransport(t) for t in transports if t in known] or None)
            for credential, transports in (allow or [])
        ],
        user_verification=UserVerificationRequirement.REQUIRED if require_verification else UserVerificationRequirement.PREFERRED,
    )
    return dict(json.loads(options_to_json(options)))


@dataclass(frozen=True)
class Asserted:
    sign_count: int
    backed_up: bool


def verify_authentication(
    credential: dict[str, Any], challenge: bytes, public_key: bytes, sign_count: int, *, require_verification: bool
) -> Asserted:
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
            require_user_verification=require_verification,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError):
        raise PasskeyRejected() from None
    return Asserted(sign_count=verified.new_sign_count, backed_up=verified.credential_backed_up)
