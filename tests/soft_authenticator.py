"""A software WebAuthn authenticator for API tests and the bench: it answers the options the server sends as a browser
and a platform authenticator would (P-256, "none" attestation, user presence and verification), so registration and
sign-in run through py_webauthn's real checks. The end-to-end journey uses Chromium's own virtual authenticator.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    credential_id: bytes
    private_key: Any
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    origin: str = "http://portal.test"
    user_verified: bool = True
    credentials: list[Credential] = field(default_factory=list)

    # ------------------------------------------------------------------------------------------ registration

    def create(self, options: dict[str, Any], *, origin: str | None = None, challenge: str | None = None) -> dict[str, Any]:
        """What navigator.credentials.create() returns, as the JSON the portal's page sends."""
        import cbor2
        from cryptography.hazmat.primitives.asymmetric import ec

        rp_id = options["rp"]["id"]
        private_key = ec.generate_private_key(ec.SECP256R1())
        numbers = private_key.public_key().public_numbers()
        cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        credential_id = secrets.token_bytes(32)
        attested = bytes(16) + struct.pack(">H", len(credential_id)) + credential_id + cbor2.dumps(cose_key)
        flags = FLAG_UP | FLAG_AT | (FLAG_UV if self.user_verified else 0)
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", 0) + attested
        client_data = self._client_data("webauthn.create", challenge or options["challenge"], origin)
        self.credentials.append(Credential(credential_id, private_key, rp_id, from_b64url(options["user"]["id"])))
        return {
            "id": b64url(credential_id),
            "rawId": b64url(credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})),
                "transports": ["internal"],
            },
        }

    # ----------------------------------------------------------------------------------------- authentication

    def get(
        self,
        options: dict[str, Any],
        credential: Credential | None = None,
        *,
        origin: str | None = None,
        challenge: str | None = None,
        user_verified: bool | None = None,
    ) -> dict[str, Any]:
        """What navigator.credentials.get() returns: by default the newest credential signs."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        credential = credential or self.credentials[-1]
        credential.sign_count += 1
        verified = self.user_verified if user_verified is None else user_verified
        flags = FLAG_UP | (FLAG_UV if verified else 0)
        rp_id = options.get("rpId", credential.rp_id)
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", credential.sign_count)
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        signature = credential.private_key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
        }

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}).encode()
