"""Secure messaging (PHI: message text, attachment names).

Layout (one partition per organization):
  ORG#{org} / CONV#{client}                        the conversation's head: counters, read watermarks, participants
  ORG#{org} / MSG#{client}#{sent_at}#{message}     one message, immutable once written
  ORG#{org} / INBOX#{staff}#{client}               a staff member's entry for a conversation: unread, last activity
  ORG#{org} / CAMPAIGN#{campaign}                  a mass message: its text, audience and progress cursor
Indexes: ``by_recency`` (sparse: inbox entries) lists a staff member's conversations newest first; ``by_sending``
(sparse: campaigns still sending, across practices) is what the mass-message job works through — no Scan.

A reader's unread total and inbox version live on their account item (``accounts.AccountInbox``), read with their
session, so the navigation's count and a poll cost nothing more.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection.table import TableConnection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.domain.messaging import Attachment, Campaign, Message
from chalicelib.tables.base import PortalModel

SHORT_NAME = "messages"


class ByRecencyIndex(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "by_recency"
        projection = AllProjection()

    owner_key = UnicodeAttribute(hash_key=True)
    recency = UnicodeAttribute(range_key=True)


class BySendingIndex(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "by_sending"
        projection = AllProjection()

    sending_shard = UnicodeAttribute(hash_key=True)
    sending_since = UnicodeAttribute(range_key=True)


class MessagingTable(PortalModel):
    """The table's schema (keys and both indexes), for provisioning and the CloudFormation template; the items are
    read and written through the models below."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    owner_key = UnicodeAttribute(null=True)
    recency = UnicodeAttribute(null=True)
    sending_shard = UnicodeAttribute(null=True)
    sending_since = UnicodeAttribute(null=True)

    by_recency = ByRecencyIndex()
    by_sending = BySendingIndex()


class MessagingModel(PortalModel):
    """Models of the messaging table. The models share one connection, which knows a table's indexes from the first
    model that uses it: the schema model always goes first, so every index is known whichever model is used first."""

    @classmethod
    def _get_connection(cls) -> TableConnection:
        MessagingTable._get_connection()
        return super()._get_connection()


class Conversation(MessagingModel):
    """Written by upsert (an update) in every send; never created on its own."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    client_id = UnicodeAttribute(null=True)
    started_at = UTCDateTimeAttribute(null=True)
    last_message_at = UTCDateTimeAttribute(null=True)
    message_count = NumberAttribute(null=True)
    # Administrators who wrote here: replies reach them too (assigned therapists are read from the client record).
    administrator_ids = UnicodeSetAttribute(null=True)
    last_client_message = UnicodeAttribute(null=True)  # sort key of the client's newest message
    last_staff_message = UnicodeAttribute(null=True)  # sort key of the care team's newest message
    client_unread = NumberAttribute(null=True)  # staff messages the client has not read yet
    client_read_through = UnicodeAttribute(null=True)  # the client has seen every message up to this sort key
    client_read_at = UTCDateTimeAttribute(null=True)
    team_read_through = UnicodeAttribute(null=True)  # someone of the care team has seen up to this sort key
    team_read_at = UTCDateTimeAttribute(null=True)
    auto_replies = JSONAttribute(null=True)  # {staff_id: ISO time of their last after-hours auto-reply here}
    campaign_ids = UnicodeSetAttribute(null=True)  # mass messages delivered here: each is delivered once


class MessageItem(MessagingModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    client_id = UnicodeAttribute()
    sender_id = UnicodeAttribute()
    sender_kind = UnicodeAttribute()  # "staff" | "client"
    sender_name = UnicodeAttribute()  # as it was when sent
    text = UnicodeAttribute()
    sent_at = UTCDateTimeAttribute()
    attachments = JSONAttribute(null=True)  # [{"id", "filename", "content_type", "size"}]
    automatic = BooleanAttribute(null=True)
    campaign_id = UnicodeAttribute(null=True)


class InboxEntry(MessagingModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    staff_id = UnicodeAttribute(null=True)
    client_id = UnicodeAttribute(null=True)
    unread = NumberAttribute(null=True)
    last_message_at = UTCDateTimeAttribute(null=True)
    owner_key = UnicodeAttribute(null=True)
    recency = UnicodeAttribute(null=True)

    by_recency = ByRecencyIndex()


class CampaignItem(MessagingModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    text = UnicodeAttribute()
    audience = UnicodeAttribute()  # "all" | "therapist" | "pending_paperwork"
    therapist_id = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_by_name = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    status = UnicodeAttribute(default="sending")  # "sending" | "sent"
    # Where the job resumes: the sort key of the last audience item it looked at (audiences are read in client-id
    # order), and the last client it sent to (a client with several open forms appears more than once).
    cursor = UnicodeAttribute(null=True)
    last_client = UnicodeAttribute(null=True)
    sent_count = NumberAttribute(default=0)
    skipped_count = NumberAttribute(default=0)
    batches = NumberAttribute(default=0)
    finished_at = UTCDateTimeAttribute(null=True)
    sending_shard = UnicodeAttribute(null=True)
    sending_since = UnicodeAttribute(null=True)

    by_sending = BySendingIndex()


# ------------------------------------------------------------------------------------------ to domain objects


def attachments_of(value: Any) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(id=str(a["id"]), filename=str(a["filename"]), content_type=str(a["content_type"]), size=int(a["size"]))
        for a in value or []
    )


def message_of(item: MessageItem, *, seen: bool) -> Message:
    return Message(
        id=item.id,
        client_id=item.client_id,
        sender_id=item.sender_id,
        sender_kind=item.sender_kind,
        sender_name=item.sender_name,
        text=item.text,
        sent_at=item.sent_at,
        attachments=attachments_of(item.attachments),
        automatic=bool(item.automatic),
        mass=item.campaign_id is not None,
        seen=seen,
    )


def campaign_of(item: CampaignItem) -> Campaign:
    return Campaign(
        id=item.id,
        text=item.text,
        audience=item.audience,
        therapist_id=item.therapist_id,
        status=item.status,
        sent=int(item.sent_count or 0),
        skipped=int(item.skipped_count or 0),
        created_at=item.created_at,
        finished_at=item.finished_at,
    )
