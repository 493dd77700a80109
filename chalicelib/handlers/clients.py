"""Client records, portal invitations and access, invitation templates (staff side)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.people import Client, InvitationTemplate
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.services import client_invitations, clients, invitation_templates
from chalicelib.text import Line

router = Router(__name__)

PortalStatus = Literal["not_invited", "invited", "active", "disabled"]


class ClientFieldsRequest(Strict):
    name: Line | None = Field(default=None, max_length=120)
    preferred_name: Line | None = Field(default=None, max_length=120)
    email: Line | None = Field(default=None, max_length=254)
    phone: Line | None = Field(default=None, max_length=40)
    date_of_birth: Line | None = Field(default=None, max_length=10)
    time_zone: Line | None = Field(default=None, max_length=64)
    therapist_ids: list[Line] | None = Field(default=None, max_length=10)


class NewClientRequest(ClientFieldsRequest):
    name: Line = Field(max_length=120)


class ClientChangeRequest(ClientFieldsRequest):
    version: int = Field(ge=0)


class ListQuery(Strict):
    cursor: str | None = Field(default=None, max_length=2048)


class SearchRequest(Strict):
    # In the body, not the URL: what staff type is a client's name or email (PHI), and URLs end up in logs.
    q: str = Field(max_length=100)


class PortalView(View):
    status: PortalStatus
    invited_at: datetime | None
    invited_by: str | None
    invitation_delivery: Literal["sent", "failed"] | None
    invitation_expires_at: datetime | None
    accepted_at: datetime | None
    form_ids: list[str]


class PaperworkView(View):
    waiting: int
    signed: int
    waiting_since: datetime | None


class ClientView(View):
    id: str
    name: str
    preferred_name: str | None
    email: str | None
    phone: str | None
    date_of_birth: str | None
    time_zone: str
    therapist_ids: list[str]
    portal: PortalView
    created_at: datetime
    version: int
    paperwork: PaperworkView
    last_activity_at: datetime | None

    @classmethod
    def of(cls, client: Client) -> ClientView:
        return cls.model_validate(client, from_attributes=True)


class EmailUseView(View):
    portal_account: bool
    client_record: bool


class EmailCheckRequest(Strict):
    email: Line = Field(max_length=254)
    client_id: Line | None = Field(default=None, max_length=64)


class ClientSummary(View):
    id: str
    name: str
    preferred_name: str | None
    email: str | None
    portal_status: PortalStatus
    therapist_ids: list[str]
    paperwork: PaperworkView
    last_activity_at: datetime | None


class ClientPageView(View):
    items: list[ClientSummary]
    next_cursor: str | None


class InvitationRequest(Strict):
    form_ids: list[str] = Field(default_factory=list, max_length=20)
    message: str | None = Field(default=None, max_length=2000)
    template_id: Line | None = Field(default=None, max_length=64)


class TemplateRequest(Strict):
    name: Line = Field(max_length=80)
    message: str = Field(max_length=2000)


class TemplateChangeRequest(Strict):
    version: int = Field(ge=0)
    name: Line | None = Field(default=None, max_length=80)
    message: str | None = Field(default=None, max_length=2000)


class TemplateView(View):
    id: str
    name: str
    message: str
    version: int

    @classmethod
    def of(cls, template: InvitationTemplate) -> TemplateView:
        return cls.model_validate(template, from_attributes=True)


class TemplateListView(View):
    items: list[TemplateView]


def _summary(client: Client) -> ClientSummary:
    return ClientSummary(
        id=client.id,
        name=client.name,
        preferred_name=client.preferred_name,
        email=client.email,
        portal_status=client.status,  # type: ignore[arg-type]
        therapist_ids=list(client.therapist_ids),
        paperwork=PaperworkView.model_validate(client.paperwork, from_attributes=True),
        last_activity_at=client.last_activity_at,
    )


def _page_view(page: clients.ClientPage) -> ClientPageView:
    return ClientPageView(items=[_summary(c) for c in page.items], next_cursor=page.next_cursor)


ASSIGNED = "therapists only clients assigned to them — anyone else's, or another practice's id, is 404 (audited as denied)"
INVITERS = "Therapists only if allowed to invite (else 403, audited), and only for clients assigned to them"


@endpoint(router, "/clients", "GET", access=Access.STAFF, summary="List clients", query=ListQuery, response=ClientPageView,
          note=(
              "Own practice only; therapists list only clients assigned to them; a cursor issued elsewhere is 400; "
              "listing is audited."
          ))  # fmt: skip
def list_clients(principal: StaffPrincipal, query: ListQuery) -> ClientPageView:
    return _page_view(clients.list_clients(principal, cursor=query.cursor))


@endpoint(router, "/clients/search", "POST", access=Access.STAFF, summary="Search clients by name or email", body=SearchRequest,
          response=ClientPageView,
          note=(
              "The search term travels in the body, never the URL; therapists only find clients assigned to them; "
              "one page, no cursor."
          ))  # fmt: skip
def search_clients(principal: StaffPrincipal, body: SearchRequest) -> ClientPageView:
    return _page_view(clients.list_clients(principal, body.q))


@endpoint(router, "/clients/email-check", "POST", access=Access.STAFF, summary="Is this email already used in the practice?",
          body=EmailCheckRequest, response=EmailUseView,
          note="Says only whether a portal account or another client record uses the email — never whose.")  # fmt: skip
def check_email(principal: StaffPrincipal, body: EmailCheckRequest) -> EmailUseView:
    use = clients.check_email(principal, body.email, body.client_id)
    return EmailUseView(portal_account=use.portal_account, client_record=use.client_record)


@endpoint(router, "/clients", "POST", access=Access.STAFF, summary="Add a client", body=NewClientRequest, response=ClientView,
          status=201,
          note=(
              "Own practice only; a therapist's new client is assigned to them, and only administrators choose "
              "`therapist_ids` (403); unknown or deactivated therapists are 422 (the email-check route warns of an "
              "email already in use as it is typed)."
          ))  # fmt: skip
def create_client(principal: StaffPrincipal, body: NewClientRequest) -> ClientView:
    return ClientView.of(clients.create_client(principal, clients.NewClient(**body.model_dump())))


@endpoint(router, "/clients/{client_id}", "GET", access=Access.STAFF, summary="A client's record", response=ClientView,
          note=f"Own practice only; {ASSIGNED}; every read is audited.")  # fmt: skip
def get_client(principal: StaffPrincipal, client_id: str) -> ClientView:
    return ClientView.of(clients.get_client(principal, client_id))


@endpoint(router, "/clients/{client_id}", "PATCH", access=Access.STAFF, summary="Edit a client's record",
          body=ClientChangeRequest, response=ClientView,
          note=(
              "As GET; changing `therapist_ids` is for administrators only (403)."
          ))  # fmt: skip
def update_client(principal: StaffPrincipal, client_id: str, body: ClientChangeRequest) -> ClientView:
    change = clients.ClientChange(**body.model_dump(), named=frozenset(body.model_fields_set))
    return ClientView.of(clients.update_client(principal, client_id, change))


@endpoint(router, "/clients/{client_id}/invitation", "POST", access=Access.INVITER, summary="Send or resend the portal invitation",
          body=InvitationRequest, response=ClientView,
          note=(
              f"{INVITERS}; another practice's id is 404; an email in use is 409."
          ))  # fmt: skip
def invite_client(principal: StaffPrincipal, client_id: str, body: InvitationRequest) -> ClientView:
    invitation = client_invitations.InvitationRequest(**body.model_dump())
    return ClientView.of(client_invitations.invite_client(principal, client_id, invitation))


@endpoint(router, "/clients/{client_id}/portal-access/disable", "POST", access=Access.INVITER, summary="Disable portal access",
          response=ClientView, note=f"{INVITERS}; the client's sessions end.")  # fmt: skip
def disable_access(principal: StaffPrincipal, client_id: str) -> ClientView:
    return ClientView.of(client_invitations.disable_access(principal, client_id))


@endpoint(router, "/clients/{client_id}/portal-access/enable", "POST", access=Access.INVITER, summary="Enable portal access",
          response=ClientView, note=f"{INVITERS}.")  # fmt: skip
def enable_access(principal: StaffPrincipal, client_id: str) -> ClientView:
    return ClientView.of(client_invitations.enable_access(principal, client_id))


@endpoint(router, "/invitation-templates", "GET", access=Access.INVITER, summary="Saved invitation messages",
          response=TemplateListView, note="Therapists only if allowed to invite; the own practice's saved messages.")  # fmt: skip
def list_templates(principal: StaffPrincipal) -> TemplateListView:
    return TemplateListView(items=[TemplateView.of(t) for t in invitation_templates.list_templates(principal)])


@endpoint(router, "/invitation-templates", "POST", access=Access.INVITER, summary="Save an invitation message",
          body=TemplateRequest, response=TemplateView, status=201,
          note=(
              "Therapists only if allowed to invite; own practice only."
          ))  # fmt: skip
def create_template(principal: StaffPrincipal, body: TemplateRequest) -> TemplateView:
    return TemplateView.of(invitation_templates.create_template(principal, body.name, body.message))


@endpoint(router, "/invitation-templates/{template_id}", "PATCH", access=Access.INVITER, summary="Change a saved message",
          body=TemplateChangeRequest, response=TemplateView,
          note="Therapists only if allowed to invite; own practice only — another practice's id is 404; stale version 409.")  # fmt: skip
def update_template(principal: StaffPrincipal, template_id: str, body: TemplateChangeRequest) -> TemplateView:
    return TemplateView.of(invitation_templates.update_template(principal, template_id, body.version, body.name, body.message))


@endpoint(router, "/invitation-templates/{template_id}", "DELETE", access=Access.INVITER, summary="Delete a saved message",
          status=204, note="Therapists only if allowed to invite; own practice only — another practice's id is 404.")  # fmt: skip
def delete_template(principal: StaffPrincipal, template_id: str) -> None:
    invitation_templates.delete_template(principal, template_id)
