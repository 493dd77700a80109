"""Request and response models of secure messaging, shared by the staff and the client routes, and the poll's
conditional answer (304 with the same ETag when nothing changed)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from chalice.app import Request, Response
from pydantic import Field

from chalicelib.domain.messaging import Attachment, ConversationPage, DownloadLink, Message, Poll
from chalicelib.handlers.api import Strict, View, json_response
from chalicelib.services.uploads import Ticket
from chalicelib.text import Line

UploadId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class SendRequest(Strict):
    # The service counts the characters of the trimmed text (10,000 at most) and says so clearly.
    text: str = Field(max_length=12_000)
    attachment_ids: list[UploadId] = Field(default_factory=list, max_length=10)


class PageQuery(Strict):
    cursor: str | None = Field(default=None, max_length=2048)


class UploadRequest(Strict):
    filename: Line = Field(min_length=1, max_length=200)
    content_type: Line = Field(max_length=100)
    size: int = Field(ge=0)


class AttachmentView(View):
    id: str
    filename: str
    content_type: str
    size: int

    @classmethod
    def of(cls, attachment: Attachment) -> AttachmentView:
        return cls.model_validate(attachment, from_attributes=True)


class MessageView(View):
    id: str
    sender_kind: Literal["staff", "client"]
    sender_name: str
    text: str
    sent_at: datetime
    attachments: list[AttachmentView]
    automatic: bool
    mass: bool
    # Read by the other side: the client (a staff message), or someone of the care team (a client's message).
    seen: bool

    @classmethod
    def of(cls, message: Message) -> MessageView:
        return cls(
            id=message.id,
            sender_kind="client" if message.sender_kind == "client" else "staff",
            sender_name=message.sender_name,
            text=message.text,
            sent_at=message.sent_at,
            attachments=[AttachmentView.of(a) for a in message.attachments],
            automatic=message.automatic,
            mass=message.mass,
            seen=message.seen,
        )


class SentView(View):
    """The message just sent, and any automatic replies it caused."""

    items: list[MessageView]


class ConversationView(View):
    client_id: str
    client_name: str
    time_zone: str
    items: list[MessageView]
    next_cursor: str | None
    can_write: bool
    why_not: str | None
    seen_at: datetime | None
    unread: int
    crisis_text: str

    @classmethod
    def of(cls, page: ConversationPage) -> ConversationView:
        return cls(
            client_id=page.client_id,
            client_name=page.client_name,
            time_zone=page.time_zone,
            items=[MessageView.of(m) for m in page.messages],
            next_cursor=page.next_cursor,
            can_write=page.can_write,
            why_not=page.why_not,
            seen_at=page.seen_at,
            unread=page.unread,
            crisis_text=page.crisis_text,
        )


class UploadTicketView(View):
    upload_id: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_in: int

    @classmethod
    def of(cls, ticket: Ticket) -> UploadTicketView:
        return cls.model_validate(ticket, from_attributes=True)


class AttachmentLinkView(View):
    url: str
    expires_at: datetime
    sha256: str
    filename: str
    content_type: str

    @classmethod
    def of(cls, link: DownloadLink) -> AttachmentLinkView:
        return cls.model_validate(link, from_attributes=True)


class PollView(View):
    version: str
    unread: int


def poll_response(poll: Poll, request: Request) -> Response:
    """200 with the reader's inbox version and unread total, or 304 when the browser already has this version."""
    etag = f'"{poll.version}"'
    sent = request.headers.get("if-none-match") or ""
    if etag in {tag.strip().removeprefix("W/") for tag in sent.split(",")}:
        return Response(body="", status_code=304, headers={"ETag": etag})
    return json_response(PollView(version=poll.version, unread=poll.unread), headers={"ETag": etag})
