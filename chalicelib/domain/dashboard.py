"""What the staff dashboards show: clients needing attention, newly signed documents, the day's appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from chalicelib.domain.scheduling import Appointment


@dataclass(frozen=True)
class PendingInvitation:
    invited_at: datetime | None
    expires_at: datetime | None
    expired: bool
    delivery_failed: bool


@dataclass(frozen=True)
class WaitingPaperwork:
    waiting: int
    signed: int
    waiting_since: datetime | None
    overdue: bool


@dataclass(frozen=True)
class Attention:
    """A client needing someone's attention, and why: an invitation not accepted, paperwork waiting (or both)."""

    client_id: str
    name: str
    preferred_name: str | None
    since: datetime
    invitation: PendingInvitation | None
    paperwork: WaitingPaperwork | None


@dataclass(frozen=True)
class Worklist:
    items: list[Attention]
    next_cursor: str | None


@dataclass(frozen=True)
class SignedDocument:
    client_id: str
    client_name: str
    request_id: str
    title: str
    signed_at: datetime


@dataclass(frozen=True)
class Day:
    """One local day of appointments (the practice's zone) and the requests waiting for approval."""

    day: date
    time_zone: str
    practice_wide: bool
    appointments: list[Appointment]
    requests: list[Appointment]
    more_requests: bool
