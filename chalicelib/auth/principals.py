"""Who is signed in. Staff and clients are distinct types so a function can demand one or the other."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    THERAPIST = "therapist"
    CLIENT = "client"


STAFF_ROLES = (Role.ADMINISTRATOR, Role.THERAPIST)


@dataclass(frozen=True)
class Principal:
    org_id: str
    org_slug: str
    org_name: str
    id: str
    role: Role
    name: str
    email: str
    session_hash: str

    @property
    def kind(self) -> str:
        return "client" if self.role is Role.CLIENT else "staff"


@dataclass(frozen=True)
class StaffPrincipal(Principal):
    can_invite_clients: bool = False

    @property
    def is_administrator(self) -> bool:
        return self.role is Role.ADMINISTRATOR


@dataclass(frozen=True)
class ClientPrincipal(Principal):
    pass


@dataclass(frozen=True)
class Anonymous:
    """An actor we could not authenticate (a failed sign-in, a denied anonymous request)."""

    org_id: str
    id: str = "anonymous"
    role: str = "anonymous"


Actor = Principal | Anonymous
