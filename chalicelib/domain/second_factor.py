"""Second factors as the person managing them sees them (never a secret, never a code hash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Passkey:
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    synced: bool


@dataclass(frozen=True)
class Factors:
    """GET /api/account/second-factor: what the person has, and what their practice asks of them."""

    authenticator_since: datetime | None
    passkeys: tuple[Passkey, ...]
    recovery_codes_left: int
    required: bool
    offered: bool


@dataclass(frozen=True)
class AuthenticatorSetUp:
    """Shown once while setting up an authenticator: the secret as text, as an otpauth:// URI and as a QR code."""

    secret: str
    uri: str
    qr_svg: str
    expires_at: datetime


@dataclass(frozen=True)
class FactorAdded:
    """A factor that counts from now on; ``recovery_codes`` only when this was the person's first factor."""

    recovery_codes: tuple[str, ...] | None
    passkey: Passkey | None = None
