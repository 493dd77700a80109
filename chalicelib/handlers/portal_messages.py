"""Secure messaging, client side: the signed-in client's own conversation with their care team."""

from __future__ import annotations

from chalice.app import Request, Response

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.auth.sessions import Authenticated
from chalicelib.handlers.api import Access, Router, endpoint
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
from chalicelib.services.messaging import attachments, conversations, inbox, sending

router = Router(__name__)

OWN = "The signed-in client's own conversation only (their id is in every key)"


@endpoint(router, "/portal/messages", "GET", access=Access.CLIENT, feature=Feature.MESSAGING,
          summary="My conversation, newest first", query=PageQuery, response=ConversationView,
          note=f"{OWN}; audited; the first page marks it read.")  # fmt: skip
def my_conversation(principal: ClientPrincipal, query: PageQuery) -> ConversationView:
    return ConversationView.of(conversations.client_conversation(principal, query.cursor))


@endpoint(router, "/portal/messages", "POST", access=Access.CLIENT, feature=Feature.MESSAGING,
          summary="Write to my care team", body=SendRequest, response=SentView, status=201,
          note=f"{OWN}; to the assigned therapists (and administrators who wrote) with a seat, else 409; audited.")  # fmt: skip
def send_message(principal: ClientPrincipal, body: SendRequest) -> SentView:
    return SentView(items=[MessageView.of(m) for m in sending.client_send(principal, body.text, body.attachment_ids)])


@endpoint(router, "/portal/messages/attachments", "POST", access=Access.CLIENT, feature=Feature.MESSAGING,
          summary="Start uploading an attachment", body=UploadRequest, response=UploadTicketView, status=201,
          note="PDF or image up to 10 MB; the upload is the client's own until a message of theirs attaches it.")  # fmt: skip
def start_upload(principal: ClientPrincipal, body: UploadRequest) -> UploadTicketView:
    ticket = attachments.start_upload(principal, content_type=body.content_type, size=body.size, filename=body.filename)
    return UploadTicketView.of(ticket)


@endpoint(router, "/portal/messages/attachments/{attachment_id}", "GET", access=Access.CLIENT, feature=Feature.MESSAGING,
          summary="A five-minute link to an attachment", response=AttachmentLinkView,
          note=f"{OWN}: another client's attachment is 404; after its hash is verified; audited.")  # fmt: skip
def attachment_link(principal: ClientPrincipal, attachment_id: str) -> AttachmentLinkView:
    return AttachmentLinkView.of(attachments.client_link(principal, attachment_id))


@endpoint(router, "/portal/messages/poll", "GET", access=Access.CLIENT, feature=Feature.MESSAGING, passive=True,
          summary="Has anything changed? (ETag / If-None-Match)", response=PollView,
          note="The client's own inbox version and unread total; 304 when unchanged; does not count as activity.")  # fmt: skip
def poll(session: Authenticated, request: Request) -> Response:
    return poll_response(inbox.poll(session), request)
