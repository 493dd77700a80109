"""Intake forms and the paperwork sent to clients (PHI: answers, signatures, documents).

Layout (one partition per organization):
  ORG#{org} / FORM#{form}                   a form's head: title, current version, status, position
  ORG#{org} / FORMV#{form}#{version:04d}    one immutable version of a form's definition (JSON)
  ORG#{org} / REQ#{client}#{request}        a form sent to a client: answers, consent, signature, signed PDF
  ORG#{org} / OPENREQ#{client}#{form}       the claim that a form is waiting for a client (one at a time)
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

from chalicelib.domain.intake import FormRequest as Request
from chalicelib.tables.base import PortalModel

SHORT_NAME = "intake"
REMINDER_SHARD = "due"


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
    # An optional drawn signature (a small PNG in S3 beside the document; its SHA-256 is in the signed content).
    drawn_signature_key = UnicodeAttribute(null=True)
    drawn_signature_sha256 = UnicodeAttribute(null=True)
    notify_staff_ids = UnicodeSetAttribute(null=True)
    # Present while the request is open: the scheduled job reminds the client when it is due.
    reminder_shard = UnicodeAttribute(null=True)
    reminder_due_at = UnicodeAttribute(null=True)
    reminders_sent = NumberAttribute(default=0)
    # The form's place in the practice's order when it was sent: the client sees paperwork in that order.
    position = NumberAttribute(default=0)
    version = VersionAttribute()

    by_reminder = ByReminderIndex()


class OpenRequestClaim(PortalModel):
    """``OPENREQ#{client}#{form}``: at most one open request per client and form. Written with a condition in the
    transaction that sends the form; deleted in the transaction that signs it."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    request_id = UnicodeAttribute()


def request_of(item: FormRequest) -> Request:
    return Request(
        id=item.id,
        client_id=item.client_id,
        form_id=item.form_id,
        form_version=int(item.form_version),
        title=item.title,
        status=item.status,
        sent_at=item.sent_at,
        viewed_at=item.viewed_at,
        updated_at=item.updated_at,
        signed_at=item.signed_at,
        signed_name=item.signed_name,
        document_sha256=item.document_sha256,
        reminders_sent=int(item.reminders_sent or 0),
        position=int(item.position or 0),
    )
