"""Paperwork sent to clients, as staff and clients see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class FormRequest:
    id: str
    client_id: str
    form_id: str
    form_version: int
    title: str
    status: str  # "pending" | "in_progress" | "completed"
    sent_at: datetime
    viewed_at: datetime | None
    updated_at: datetime | None
    signed_at: datetime | None
    signed_name: str | None
    document_sha256: str | None
    reminders_sent: int
    position: int = 0


@dataclass(frozen=True)
class OpenedRequest:
    request: FormRequest
    definition: dict[str, Any]
    answers: dict[str, Any]
    consent_given: bool
    prefilled: tuple[str, ...] = ()  # questions answered from the practice's records, for the client to confirm


@dataclass(frozen=True)
class DownloadLink:
    url: str
    expires_at: datetime
    sha256: str
    filename: str
