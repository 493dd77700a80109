"""Response models shared by several handler modules (pydantic, so OpenAPI can describe them)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from chalicelib import clock
from chalicelib.auth import sessions
from chalicelib.auth.features import Feature
from chalicelib.auth.second_factor import SecondFactorStatus
from chalicelib.domain.intake import DownloadLink, FormRequest
from chalicelib.domain.people import Staff
from chalicelib.domain.practice import logo_version
from chalicelib.handlers.api import Strict, View


class Features(View):
    payments: bool
    intake_forms: bool
    self_scheduling: bool
    messaging: bool

    @classmethod
    def of(cls, switches: dict[Feature, bool]) -> Features:
        return cls(**{feature.value: enabled for feature, enabled in switches.items()})


def logo_url(slug: str, version: str | None) -> str | None:
    """Where a practice's logo is shown from (same origin, named by its hash), or None without one."""
    return f"/api/orgs/{slug}/logo?v={version}" if version else None


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
    time_zone: str
    accent_color: str | None
    logo_url: str | None


class SecondFactorView(View):
    """Where the session stands: ``verify`` and ``set_up`` sessions may call only the second-factor routes."""

    stage: Literal["complete", "verify", "set_up"]
    signed_in_with: str
    verified_at: datetime | None
    required: bool
    offered: bool
    authenticator: bool
    passkeys: bool
    recovery_codes_left: int

    @classmethod
    def of(cls, status: SecondFactorStatus) -> SecondFactorView:
        return cls(
            stage=status.stage.value,
            signed_in_with=status.signed_in_with,
            verified_at=status.verified_at,
            required=status.required,
            offered=status.offered,
            authenticator=status.factors.authenticator,
            passkeys=status.factors.passkeys > 0,
            recovery_codes_left=status.factors.recovery_codes,
        )


class SessionView(View):
    principal: PrincipalView
    organization: OrganizationRef
    # The zone this person reads times in: the practice's for staff, their own for a client.
    time_zone: str
    csrf_token: str
    idle_timeout_seconds: int
    idle_expires_at: str
    absolute_expires_at: str
    second_factor: SecondFactorView

    @classmethod
    def of(cls, found: sessions.Authenticated | sessions.SignedIn) -> SessionView:
        person, practice, record = found.person, found.practice, found.session
        return cls(
            principal=PrincipalView(
                id=person.id,
                kind="client" if person.kind == "client" else "staff",
                role=person.role,  # type: ignore[arg-type]
                name=person.name,
                email=person.email,
                can_invite_clients=person.can_invite_clients,
            ),
            organization=OrganizationRef(
                id=practice.id,
                name=practice.name,
                slug=practice.slug,
                time_zone=practice.time_zone,
                accent_color=practice.accent_color,
                logo_url=logo_url(practice.slug, logo_version(practice.logo_sha256)),
            ),
            time_zone=(person.time_zone if person.kind == "client" else None) or practice.time_zone,
            csrf_token=record.csrf_token,
            idle_timeout_seconds=int(record.idle_seconds),
            idle_expires_at=clock.iso(sessions.idle_deadline(record)),
            absolute_expires_at=clock.iso(record.absolute_expires_at),
            second_factor=SecondFactorView.of(found.second_factor),
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
    has_second_factor: bool

    @classmethod
    def of(cls, member: Staff) -> StaffView:
        return cls.model_validate(member, from_attributes=True)


class RequestView(View):
    id: str
    client_id: str
    form_id: str
    form_version: int
    title: str
    status: Literal["pending", "in_progress", "completed"]
    sent_at: datetime
    viewed_at: datetime | None
    updated_at: datetime | None
    signed_at: datetime | None
    signed_name: str | None
    document_sha256: str | None
    reminders_sent: int

    @classmethod
    def of(cls, request: FormRequest) -> RequestView:
        return cls.model_validate(request, from_attributes=True)


class RequestListView(View):
    items: list[RequestView]


class DownloadQuery(Strict):
    # "1": a link that opens in the browser (inline) rather than downloading the file.
    inline: bool = False


class DownloadView(View):
    url: str
    expires_at: datetime
    sha256: str
    filename: str

    @classmethod
    def of(cls, link: DownloadLink) -> DownloadView:
        return cls.model_validate(link, from_attributes=True)
