"""Who is signed in. Staff and clients are distinct types so a function can demand one or the other.

A principal is built on every request from three items read together: the session, the person's account (role,
permissions, status — never copied into the session) and their practice (name, switches, seats).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.auth.features import Feature, PracticeFacts, can_use


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    THERAPIST = "therapist"
    CLIENT = "client"


STAFF_ROLES = (Role.ADMINISTRATOR, Role.THERAPIST)


@dataclass(frozen=True)
class Principal:
    practice: PracticeFacts
    id: str
    role: Role
    name: str
    email: str
    session_hash: str
    # When this session last proved a second factor (None: never); sensitive actions need it recent.
    factor_verified_at: datetime | None = None

    @property
    def org_id(self) -> str:
        return self.practice.id

    @property
    def org_slug(self) -> str:
        return self.practice.slug

    @property
    def org_name(self) -> str:
        return self.practice.name

    @property
    def kind(self) -> str:
        return "client" if self.role is Role.CLIENT else "staff"


@dataclass(frozen=True)
class StaffPrincipal(Principal):
    can_invite_clients: bool = False

    @property
    def is_administrator(self) -> bool:
        return self.role is Role.ADMINISTRATOR

    @property
    def may_invite_clients(self) -> bool:
        return self.is_administrator or self.can_invite_clients

    def can_use(self, feature: Feature) -> bool:
        return can_use(self.practice, self.id, feature)


@dataclass(frozen=True)
class ClientPrincipal(Principal):
    # From the client's record, read with the session: the therapists assigned to them and their time zone.
    therapist_ids: frozenset[str] = frozenset()
    time_zone: str = "UTC"

    def can_use(self, feature: Feature) -> bool:
        return self.practice.switched_on(feature)


@dataclass(frozen=True)
class Anonymous:
    """An actor we could not authenticate (a failed sign-in, a denied anonymous request)."""

    org_id: str
    id: str = "anonymous"
    role: str = "anonymous"


Actor = Principal | Anonymous
