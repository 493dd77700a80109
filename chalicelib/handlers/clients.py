"""Client records, portal invitations and access, invitation templates (staff side)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from chalice.app import Request, Response
from pydantic import Field

from chalicelib.auth import guards
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint, json_response, parse, parse_query
from chalicelib.services import client_invitations, clients, invitation_templates
from chalicelib.tables.accounts import ClientRecord, InvitationTemplate

router = Router(__name__)

PortalStatus = Literal["not_invited", "invited", "active", "disabled"]


class ClientFieldsRequest(Strict):
    name: str | None = Field(default=None, max_length=120)
    preferred_name: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    date_of_birth: str | None = Field(default=None, max_length=10)
    time_zone: str | None = Field(default=None, max_length=64)
    therapist_ids: list[str] | None = Field(default=None, max_length=10)


class NewClientRequest(ClientFieldsRequest):
    name: str = Field(max_length=120)


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

    @classmethod
    def of(cls, client: ClientRecord) -> ClientView:
        return cls(
            id=client.id,
            name=client.name,
            preferred_name=client.preferred_name,
            email=client.email,
            phone=client.phone,
            date_of_birth=client.date_of_birth,
            time_zone=client.time_zone,
            therapist_ids=sorted(client.therapist_ids or []),
            portal=PortalView(
                status=client.status,  # type: ignore[arg-type]
                invited_at=client.invited_at,
                invited_by=client.invited_by,
                invitation_delivery=client.invitation_delivery,  # type: ignore[arg-type]
                invitation_expires_at=client.invitation_expires_at,
                accepted_at=client.accepted_at,
                form_ids=[str(form_id) for form_id in client.form_ids or []],
            ),
            created_at=client.created_at,
            version=int(client.version or 0),
        )


class ClientSummary(View):
    id: str
    name: str
    preferred_name: str | None
    email: str | None
    portal_status: PortalStatus


class ClientPageView(View):
    items: list[ClientSummary]
    next_cursor: str | None


class InvitationRequest(Strict):
    form_ids: list[str] = Field(default_factory=list, max_length=20)
    message: str | None = Field(default=None, max_length=2000)
    template_id: str | None = Field(default=None, max_length=64)


class TemplateRequest(Strict):
    name: str = Field(max_length=80)
    message: str = Field(max_length=2000)


class TemplateChangeRequest(Strict):
    version: int = Field(ge=0)
    name: str | None = Field(default=None, max_length=80)
    message: str | None = Field(default=None, max_length=2000)


class TemplateView(View):
    id: str
    name: str
    message: str
    version: int

    @classmethod
    def of(cls, template: InvitationTemplate) -> TemplateView:
        return cls(id=template.id, name=template.name, message=template.message, version=int(template.version or 0))


class TemplateListView(View):
    items: list[TemplateView]


def _page_view(page: clients.ClientPage) -> Response:
    items = [
        ClientSummary(id=c.id, name=c.name, preferred_name=c.preferred_name, email=c.email, portal_status=c.status)  # type: ignore[arg-type]
        for c in page.items
    ]
    return json_response(ClientPageView(items=items, next_cursor=page.next_cursor))


@endpoint(router, "/clients", "GET", access=Access.STAFF, summary="List clients", query=ListQuery, response=ClientPageView)
def list_clients(request: Request) -> Response:
    principal = guards.require_staff(request)
    query = parse_query(request, ListQuery)
    return _page_view(clients.list_clients(principal, cursor=query.cursor))


@endpoint(router, "/clients/search", "POST", access=Access.STAFF, summary="Search clients by name or email", body=SearchRequest,
          response=ClientPageView)  # fmt: skip
def search_clients(request: Request) -> Response:
    principal = guards.require_staff(request)
    body = parse(request, SearchRequest)
    return _page_view(clients.list_clients(principal, body.q))


@endpoint(router, "/clients", "POST", access=Access.STAFF, summary="Add a client", body=NewClientRequest, response=ClientView, status=201)
def create_client(request: Request) -> Response:
    principal = guards.require_staff(request)
    body = parse(request, NewClientRequest)
    client = clients.create_client(principal, clients.NewClient(**body.model_dump()))
    return json_response(ClientView.of(client), status=201)


@endpoint(router, "/clients/{client_id}", "GET", access=Access.STAFF, summary="A client's record", response=ClientView)
def get_client(request: Request, client_id: str) -> Response:
    principal = guards.require_staff(request)
    return json_response(ClientView.of(clients.get_client(principal, client_id)))


@endpoint(router, "/clients/{client_id}", "PATCH", access=Access.STAFF, summary="Edit a client's record",
          body=ClientChangeRequest, response=ClientView)  # fmt: skip
def update_client(request: Request, client_id: str) -> Response:
    principal = guards.require_staff(request)
    body = parse(request, ClientChangeRequest)
    change = clients.ClientChange(**body.model_dump(), named=frozenset(body.model_fields_set))
    return json_response(ClientView.of(clients.update_client(principal, client_id, change)))


@endpoint(router, "/clients/{client_id}/invitation", "POST", access=Access.INVITER, summary="Send or resend the portal invitation",
          body=InvitationRequest, response=ClientView)  # fmt: skip
def invite_client(request: Request, client_id: str) -> Response:
    principal = guards.require_inviter(request)
    body = parse(request, InvitationRequest)
    invitation = client_invitations.InvitationRequest(**body.model_dump())
    return json_response(ClientView.of(client_invitations.invite_client(principal, client_id, invitation)))


@endpoint(router, "/clients/{client_id}/portal-access/disable", "POST", access=Access.INVITER, summary="Disable portal access",
          response=ClientView)  # fmt: skip
def disable_access(request: Request, client_id: str) -> Response:
    principal = guards.require_inviter(request)
    return json_response(ClientView.of(client_invitations.disable_access(principal, client_id)))


@endpoint(router, "/clients/{client_id}/portal-access/enable", "POST", access=Access.INVITER, summary="Enable portal access",
          response=ClientView)  # fmt: skip
def enable_access(request: Request, client_id: str) -> Response:
    principal = guards.require_inviter(request)
    return json_response(ClientView.of(client_invitations.enable_access(principal, client_id)))


@endpoint(router, "/invitation-templates", "GET", access=Access.INVITER, summary="Saved invitation messages",
          response=TemplateListView)  # fmt: skip
def list_templates(request: Request) -> Response:
    principal = guards.require_inviter(request)
    items = [TemplateView.of(t) for t in invitation_templates.list_templates(principal)]
    return json_response(TemplateListView(items=items))


@endpoint(router, "/invitation-templates", "POST", access=Access.INVITER, summary="Save an invitation message",
          body=TemplateRequest, response=TemplateView, status=201)  # fmt: skip
def create_template(request: Request) -> Response:
    principal = guards.require_inviter(request)
    body = parse(request, TemplateRequest)
    return json_response(TemplateView.of(invitation_templates.create_template(principal, body.name, body.message)), status=201)


@endpoint(router, "/invitation-templates/{template_id}", "PATCH", access=Access.INVITER, summary="Change a saved message",
          body=TemplateChangeRequest, response=TemplateView)  # fmt: skip
def update_template(request: Request, template_id: str) -> Response:
    principal = guards.require_inviter(request)
    body = parse(request, TemplateChangeRequest)
    template = invitation_templates.update_template(principal, template_id, body.version, body.name, body.message)
    return json_response(TemplateView.of(template))


@endpoint(router, "/invitation-templates/{template_id}", "DELETE", access=Access.INVITER, summary="Delete a saved message",
          status=204)  # fmt: skip
def delete_template(request: Request, template_id: str) -> Response:
    principal = guards.require_inviter(request)
    invitation_templates.delete_template(principal, template_id)
    return json_response(None, status=204)
