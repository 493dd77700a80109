"""Secure messaging as staff and clients see it: the practice's messaging policy, conversations, messages,
attachments, the staff inbox and mass messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DEFAULT_NOTICE_MINUTES = 15
# Discreet by default: a shared inbox sees neither the practice nor what kind of practice it is.
DEFAULT_MAIL_SUBJECT = "You have a new secure message"
DEFAULT_MAIL_SENDER = "Secure Messages"
DEFAULT_CRISIS_TEXT = "If this is an emergency, call 988 or 911."
DEFAULT_AWAY_MESSAGE = "Thank you for your message. I'm away right now and will reply during my working hours."


@dataclass(frozen=True)
class OfficeHours:
    """A therapist's after-hours auto-reply: off unless they turn it on. Hours are in the practice's time zone;
    ``days`` are ISO weekdays (1 = Monday … 7 = Sunday)."""

    enabled: bool = False
    days: tuple[int, ...] = (1, 2, 3, 4, 5)
    start: str = "09:00"
    end: str = "17:00"
    message: str = ""
    name: str = ""  # who the auto-reply is from, as they were named when they saved it (no read at send time)

    def as_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "days": list(self.days),
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "name": self.name,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> OfficeHours:
        if not value:
            return cls()
        return cls(
            enabled=bool(value.get("enabled")),
            days=tuple(int(day) for day in value.get("days") or ()),
            start=str(value.get("start") or "09:00"),
            end=str(value.get("end") or "17:00"),
            message=str(value.get("message") or ""),
            name=str(value.get("name") or ""),
        )


@dataclass(frozen=True)
class MessagingPolicy:
    """What the practice set for messaging; read with the practice on every request (no extra call)."""

    notice_minutes: int = DEFAULT_NOTICE_MINUTES
    mail_subject: str = DEFAULT_MAIL_SUBJECT
    mail_sender: str = DEFAULT_MAIL_SENDER
    crisis_text: str = DEFAULT_CRISIS_TEXT
    # Staff id → their after-hours auto-reply (only those who saved one).
    office_hours: Mapping[str, OfficeHours] = field(default_factory=dict)
    office_hours_revision: int = 0

    @classmethod
    def of(cls, org: Any) -> MessagingPolicy:
        """From an ``Organization`` item (typed loosely: auth and domain sit below the table modules)."""
        hours = getattr(org, "office_hours", None) or {}
        return cls(
            notice_minutes=int(getattr(org, "message_notice_minutes", None) or DEFAULT_NOTICE_MINUTES),
            mail_subject=str(getattr(org, "message_mail_subject", None) or DEFAULT_MAIL_SUBJECT),
            mail_sender=str(getattr(org, "message_mail_sender", None) or DEFAULT_MAIL_SENDER),
            crisis_text=str(getattr(org, "crisis_text", None) or DEFAULT_CRISIS_TEXT),
            office_hours={str(staff_id): OfficeHours.from_json(value) for staff_id, value in dict(hours).items()},
            office_hours_revision=int(getattr(org, "office_hours_revision", None) or 0),
        )

    def hours_of(self, staff_id: str) -> OfficeHours:
        return self.office_hours.get(staff_id) or OfficeHours()


@dataclass(frozen=True)
class Attachment:
    id: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Message:
    id: str
    client_id: str
    sender_id: str
    sender_kind: str  # "staff" | "client"
    sender_name: str
    text: str
    sent_at: datetime
    attachments: tuple[Attachment, ...]
    automatic: bool  # an after-hours auto-reply
    mass: bool  # part of a mass message
    seen: bool  # the other side has read it


@dataclass(frozen=True)
class ConversationPage:
    """A page of one client's conversation, newest first, with what the reader needs around it."""

    client_id: str
    client_name: str
    time_zone: str  # staff read times in the practice's zone, a client in their own
    messages: list[Message]
    next_cursor: str | None
    can_write: bool
    why_not: str | None  # why the reader cannot write, when they cannot
    seen_at: datetime | None  # when the other side last caught up (the "Seen 14:02" of the newest seen message)
    unread: int  # what was unread for the reader before this page marked it read
    crisis_text: str = ""  # the practice's, shown with the conversation (messages are not watched around the clock)


@dataclass(frozen=True)
class InboxItem:
    client_id: str
    client_name: str
    unread: int
    last_message_at: datetime


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxItem]
    next_cursor: str | None
    time_zone: str


@dataclass(frozen=True)
class Poll:
    """The reader's inbox version and unread total (both on their account item, read with the session)."""

    version: str
    unread: int


@dataclass(frozen=True)
class DownloadLink:
    url: str
    expires_at: datetime
    sha256: str
    filename: str
    content_type: str


@dataclass(frozen=True)
class Campaign:
    id: str
    text: str
    audience: str  # "all" | "therapist" | "pending_paperwork"
    therapist_id: str | None
    status: str  # "sending" | "sent"
    sent: int
    skipped: int
    created_at: datetime
    finished_at: datetime | None
