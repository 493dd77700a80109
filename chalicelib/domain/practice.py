"""A practice's settings and its audit trail, as administrators see them."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.auth.features import Feature
from chalicelib.auth.second_factor import SecurityPolicy
from chalicelib.domain.messaging import MessagingPolicy


@dataclass(frozen=True)
class PracticeSettings:
    id: str
    name: str
    slug: str
    time_zone: str
    contact_line: str
    features: dict[Feature, bool]
    self_signup: bool
    version: int
    messaging: MessagingPolicy = field(default_factory=MessagingPolicy)
    security: SecurityPolicy = field(default_factory=SecurityPolicy)
    accent_color: str | None = None
    logo_version: str | None = None  # None: no logo


def logo_version(sha256: str | None) -> str | None:
    """What names the current logo in its URL (a new logo, a new URL: browsers may cache each for long)."""
    return sha256[:16] if sha256 else None


@dataclass(frozen=True)
class Branding:
    """How a practice's pages look: its accent colour (None: the product's own) and its logo (None: none)."""

    accent_color: str | None
    logo_version: str | None


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: str
    actor_id: str
    actor_role: str
    subject_client_id: str | None
    resource: str
    action: str
    outcome: str
    ip: str
    user_agent: str
    request_id: str


@dataclass(frozen=True)
class ReadableAuditEntry:
    """An event with the names and the sentence a reader sees, looked up when it is shown (never stored)."""

    entry: AuditEntry
    actor_name: str | None
    subject_name: str | None
    summary: str
