"""Staff members, clients and their portal accounts, saved invitation messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    email: str
    role: str  # "administrator" | "therapist"
    can_invite_clients: bool
    status: str  # "invited" | "active" | "deactivated"
    subscribed: bool
    invitation_delivery: str | None  # "sent" | "failed"
    created_at: datetime
    last_sign_in_at: datetime | None
    version: int
    has_second_factor: bool = False


@dataclass(frozen=True)
class PortalAccount:
    status: str  # "not_invited" | "invited" | "active" | "disabled"
    invited_at: datetime | None
    invited_by: str | None
    invitation_delivery: str | None
    invitation_expires_at: datetime | None
    accepted_at: datetime | None
    form_ids: tuple[str, ...]


@dataclass(frozen=True)
class Paperwork:
    """A client's forms: how many wait to be signed (and since when), how many they signed."""

    waiting: int
    signed: int
    waiting_since: datetime | None

    @property
    def sent(self) -> int:
        return self.waiting + self.signed


@dataclass(frozen=True)
class Client:
    id: str
    name: str
    preferred_name: str | None
    email: str | None
    phone: str | None
    date_of_birth: str | None
    time_zone: str
    therapist_ids: tuple[str, ...]
    portal: PortalAccount
    created_at: datetime
    version: int
    paperwork: Paperwork = field(default_factory=lambda: Paperwork(0, 0, None))
    last_activity_at: datetime | None = None  # the latest of their last sign-in and their last action

    @property
    def status(self) -> str:
        return self.portal.status


@dataclass(frozen=True)
class InvitationTemplate:
    id: str
    name: str
    message: str
    version: int


@dataclass(frozen=True)
class EmailUse:
    """Whether an email is already used in the practice (without saying by whom)."""

    portal_account: bool
    client_record: bool
