"""Secure messaging, staff side: a client's conversation, sending with attachments, the inbox and its poll, office
hours (after-hours auto-reply) and mass messages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from chalice.app import Request, Response
from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.sessions import Authenticated
from chalicelib.domain.messaging import Campaign, OfficeHours
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.message_views import (
    AttachmentLinkView,
    ConversationView,
    MessageView,
    PageQuery,
    PollView,
    SendRequest,
    SentView,
    UploadRequest,
    UploadTicketView,
    poll_response,
)
from chalicelib.services.messaging import attachments, campaigns, conversations, inbox, office_hours, sending
from chalicelib.text import Line

router = Router(__name__)

VISIBLE = "Assigned therapists and administrators (each with a seat); anyone else's client, or another practice's id, is 404"


class InboxItemView(View):
    client_id: str
    client_name: str
    unread: int
    last_message_at: datetime


class InboxView(View):
    items: list[InboxItemView]
    next_cursor: str | None
    time_zone: str


class OfficeHoursBody(Strict):
    enabled: bool
    days: list[int] = Field(max_length=7)
    start: Line = Field(max_length=5)
    end: Line = Field(max_length=5)
    message: str = Field(default="", max_length=1000)


class OfficeHoursView(View):
    enabled: bool
    days: list[int]
    start: str
    end: str
    message: str

    @classmethod
    def of(cls, hours: OfficeHours) -> OfficeHoursView:
        return cls(enabled=hours.enabled, days=list(hours.days), start=hours.start, end=hours.end, message=hours.message)


class CampaignRequest(Strict):
    text: str = Field(max_length=12_000)
    audience: Literal["all", "therapist", "pending_paperwork"]
    therapist_id: Line | None = Field(default=None, max_length=64)


class CampaignView(View):
    id: str
    text: str
    audience: Literal["all", "therapist", "pending_paperwork"]
    therapist_id: str | None
    status: Literal["sending", "sent"]
    sent: int
    skipped: int
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignView:
        return cls.model_validate(campaign, from_attributes=True)


class CampaignListView(View):
    items: list[CampaignView]


@endpoint(router, "/clients/{client_id}/conversation", "GET", access=Access.STAFF, feature=Feature.MESSAGING,
          summary="A client's conversation, newest first", query=PageQuery, response=ConversationView,
          note=f"{VISIBLE} (audited as denied). Every read is audited; the first page marks the conversation read.")  # fmt: skip
def read_conversation(principal: StaffPrincipal, client_id: str, query: PageQuery) -> ConversationView:
    return ConversationView.of(conversations.staff_conversation(principal, client_id, query.cursor))


@endpoint(router, "/clients/{client_id}/conversation/messages", "POST", access=Access.STAFF, feature=Feature.MESSAGING,
          summary="Send a message to a client", body=SendRequest, response=SentView, status=201,
          note=f"{VISIBLE}; a client without an active portal account is 409; audited.")  # fmt: skip
def send_message(principal: StaffPrincipal, client_id: str, body: SendRequest) -> SentView:
    return SentView(items=[MessageView.of(sending.staff_send(principal, client_id, body.text, body.attachment_ids))])


@endpoint(router, "/clients/{client_id}/conversation/attachments/{attachment_id}", "GET", access=Access.STAFF,
          feature=Feature.MESSAGING, summary="A five-minute link to an attachment", response=AttachmentLinkView,
          note=f"{VISIBLE}; only an attachment of this client's conversation, after its hash is verified; audited.")  # fmt: skip
def attachment_link(principal: StaffPrincipal, client_id: str, attachment_id: str) -> AttachmentLinkView:
    return AttachmentLinkView.of(attachments.staff_link(principal, client_id, attachment_id))


@endpoint(router, "/messages/attachments", "POST", access=Access.STAFF, feature=Feature.MESSAGING,
          summary="Start uploading an attachment", body=UploadRequest, response=UploadTicketView, status=201,
          note="PDF or image up to 10 MB; the upload is the caller's own until a message of theirs attaches it.")  # fmt: skip
def start_upload(principal: StaffPrincipal, body: UploadRequest) -> UploadTicketView:
    ticket = attachments.start_upload(principal, content_type=body.content_type, size=body.size, filename=body.filename)
    return UploadTicketView.of(ticket)


@endpoint(router, "/messages/inbox", "GET", access=Access.STAFF, feature=Feature.MESSAGING,
          summary="My conversations, newest activity first", query=PageQuery, response=InboxView,
          note="The caller's own inbox; only clients they may still see; audited.")  # fmt: skip
def list_inbox(principal: StaffPrincipal, query: PageQuery) -> InboxView:
    page = inbox.staff_inbox(principal, query.cursor)
    items = [InboxItemView(client_id=i.client_id, client_name=i.client_name, unread=i.unread, last_message_at=i.last_message_at)
             for i in page.items]  # fmt: skip
    return InboxView(items=items, next_cursor=page.next_cursor, time_zone=page.time_zone)


@endpoint(router, "/messages/poll", "GET", access=Access.STAFF, feature=Feature.MESSAGING, passive=True,
          summary="Has anything changed? (ETag / If-None-Match)", response=PollView,
          note="The caller's own inbox version and unread total; 304 when unchanged; does not count as activity.")  # fmt: skip
def poll(session: Authenticated, request: Request) -> Response:
    return poll_response(inbox.poll(session), request)


@endpoint(router, "/messages/office-hours", "GET", access=Access.STAFF, feature=Feature.MESSAGING,
          summary="My after-hours auto-reply", response=OfficeHoursView, note="The caller's own settings.")  # fmt: skip
def get_office_hours(principal: StaffPrincipal) -> OfficeHoursView:
    return OfficeHoursView.of(office_hours.my_hours(principal))


@endpoint(router, "/messages/office-hours", "PUT", access=Access.STAFF, feature=Feature.MESSAGING,
          summary="Set my after-hours auto-reply", body=OfficeHoursBody, response=OfficeHoursView,
          note="The caller's own settings (off by default); audited.")  # fmt: skip
def set_office_hours(principal: StaffPrincipal, body: OfficeHoursBody) -> OfficeHoursView:
    hours = OfficeHours(enabled=body.enabled, days=tuple(body.days), start=body.start, end=body.end, message=body.message)
    return OfficeHoursView.of(office_hours.save_hours(principal, hours))


@endpoint(router, "/messages/campaigns", "POST", access=Access.ADMINISTRATOR, feature=Feature.MESSAGING,
          summary="Send a mass message", body=CampaignRequest, response=CampaignView, status=202,
          note="Own practice only; each client of the audience gets it in their own conversation, sent in batches.")  # fmt: skip
def start_campaign(principal: StaffPrincipal, body: CampaignRequest) -> CampaignView:
    return CampaignView.of(campaigns.start_campaign(principal, body.text, body.audience, body.therapist_id))


@endpoint(router, "/messages/campaigns", "GET", access=Access.ADMINISTRATOR, feature=Feature.MESSAGING,
          summary="Mass messages and their progress", response=CampaignListView, note="Own practice only.")  # fmt: skip
def list_campaigns(principal: StaffPrincipal) -> CampaignListView:
    return CampaignListView(items=[CampaignView.of(c) for c in campaigns.list_campaigns(principal)])
