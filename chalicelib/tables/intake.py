"""Intake forms and the paperwork sent to clients (PHI: answers, signatures, documents).

Layout (one partition per organization):
  ORG#{org} / FORM#{form}                   a form's head: title, current version, status, position
  ORG#{org} / FORMV#{form}#{version:04d}    one immutable version of a form's definition (JSON)
  ORG#{org} / REQ#{client}#{request}        a form sent to a client: answers, consent, signature, signed PDF
The ``by_reminder`` index (sparse: pending requests only) lists requests whose reminder is due, for the scheduled
reminder job.
"""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.tables.base import PortalModel

SHORT_NAME = "intake"
FORM_PREFIX = "FORM#"
REQUEST_PREFIX = "REQ#"
REMINDER_SHARD = "due"


def org_pk(org_id: str) -> str:
    return f"ORG#{org_id}"


def form_sk(form_id: str) -> str:
    return f"{FORM_PREFIX}{form_id}"


def form_version_sk(form_id: str, version: int) -> str:
    return f"FORMV#{form_id}#{version:04d}"


def request_sk(client_id: str, request_id: str) -> str:
    return f"{REQUEST_PREFIX}{client_id}#{request_id}"


def client_requests_prefix(client_id: str) -> str:
    return f"{REQUEST_PREFIX}{client_id}#"


class FormHead(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    title = UnicodeAttribute()
    current_version = NumberAttribute()
    status = UnicodeAttribute(default="active")  # "active" | "retired"
    position = NumberAttribute(default=100)
    standard = UnicodeAttribute(null=True)  # for a standard form's head: its built-in id
    # A copy of the current version's definition, so sending needs no read of the version items.
    definition = JSONAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class FormVersion(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    form_id = UnicodeAttribute()
    number = NumberAttribute()
    definition = JSONAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()


class ByReminderIndex(GlobalSecondaryIndex["FormRequest"]):
    class Meta:
        index_name = "by_reminder"
        projection = AllProjection()

    reminder_shard = UnicodeAttribute(hash_key=True)
    reminder_due_at = UnicodeAttribute(range_key=True)


class Consent(MapAttribute[str, str]):
    disclosure_version = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    ip = UnicodeAttribute()
    user_agent = UnicodeAttribute()


class FormRequest(PortalModel):
    """A form sent to a client. ``status``: "pending" | "in_progress" | "completed". Immutable once completed."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    form_id = UnicodeAttribute()
    form_version = NumberAttribute()
    title = UnicodeAttribute()
    # The definition of form_version as it was sent: filling in and signing need no other read.
    definition = JSONAttribute()
    status = UnicodeAttribute(default="pending")
    answers = JSONAttribute(null=True)
    sent_at = UTCDateTimeAttribute()
    sent_by = UnicodeAttribute()
    viewed_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    consent = Consent(null=True)
    signed_name = UnicodeAttribute(null=True)
    signed_at = UTCDateTimeAttribute(null=True)
    signature_ip = UnicodeAttribute(null=True)
    signature_user_agent = UnicodeAttribute(null=True)
    signer_email = UnicodeAttribute(null=True)
    content_sha256 = UnicodeAttribute(null=True)
    document_key = UnicodeAttribute(null=True)
    document_sha256 = UnicodeAttribute(null=True)
    document_bytes = NumberAttribute(null=True)
    notify_staff_ids = UnicodeSetAttribute(null=True)
    # Present while the request is open: the scheduled job reminds the client when it is due.
    reminder_shard = UnicodeAttribute(null=True)
    reminder_due_at = UnicodeAttribute(null=True)
    reminders_sent = NumberAttribute(default=0)
    version = VersionAttribute()

    by_reminder = ByReminderIndex()
