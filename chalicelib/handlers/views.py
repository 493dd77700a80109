"""Response models shared by several Blueprints (pydantic, so OpenAPI can describe them)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from chalicelib import clock
from chalicelib.auth import sessions
from chalicelib.handlers.api import View
from chalicelib.services.entitlements import Feature
from chalicelib.tables.accounts import StaffMember
from chalicelib.tables.sessions import Session


class Features(View):
    payments: bool
    intake_forms: bool
    self_scheduling: bool
    messaging: bool

    @classmethod
    def of(cls, switches: dict[Feature, bool]) -> Features:
        return cls(**{feature.value: enabled for feature, enabled in switches.items()})


class PrincipalView(View):
    id: str
    kind: Literal["staff", "client"]
    role: Literal["administrator", "therapist", "client"]
    name: str
    email: str
    can_invite_clients: bool


class OrganizationRef(View):
    id: str
    name: str
    slug: str


class SessionView(View):
    principal: PrincipalView
    organization: OrganizationRef
    csrf_token: str
    idle_timeout_seconds: int
    idle_expires_at: str
    absolute_expires_at: str

    @classmethod
    def of(cls, record: Session) -> SessionView:
        return cls(
            principal=PrincipalView(
                id=record.principal_id,
                kind="client" if record.kind == "client" else "staff",
                role=record.role,  # type: ignore[arg-type]
                name=record.name,
                email=record.email,
                can_invite_clients=bool(record.can_invite_clients),
            ),
            organization=OrganizationRef(id=record.org_id, name=record.org_name, slug=record.org_slug),
            csrf_token=record.csrf_token,
            idle_timeout_seconds=int(record.idle_seconds),
            idle_expires_at=clock.iso(sessions.idle_deadline(record)),
            absolute_expires_at=clock.iso(record.absolute_expires_at),
        )


class StaffView(View):
    id: str
    name: str
    email: str
    role: Literal["administrator", "therapist"]
    can_invite_clients: bool
    status: Literal["invited", "active", "deactivated"]
    subscribed: bool
    invitation_delivery: Literal["sent", "failed"] | None
    created_at: datetime
    last_sign_in_at: datetime | None
    version: int

    @classmethod
    def of(cls, member: StaffMember) -> StaffView:
        return cls(
            id=member.id,
            name=member.name,
            email=member.email,
            role=member.role,  # type: ignore[arg-type]
            can_invite_clients=bool(member.can_invite_clients),
            status=member.status,  # type: ignore[arg-type]
            subscribed=bool(member.subscribed),
            invitation_delivery=member.invitation_delivery,  # type: ignore[arg-type]
            created_at=member.created_at,
            last_sign_in_at=member.last_sign_in_at,
            version=int(member.version or 0),
        )
