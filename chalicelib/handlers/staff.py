"""Staff accounts (administrators only)."""

from __future__ import annotations

from typing import Literal

from chalice.app import Request, Response
from pydantic import Field

from chalicelib.auth import guards
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint, json_response, parse, parse_query
from chalicelib.handlers.views import StaffView
from chalicelib.services import staff

router = Router(__name__)


class NewStaffRequest(Strict):
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    role: Literal["administrator", "therapist"]
    can_invite_clients: bool = False


class StaffChangeRequest(Strict):
    version: int = Field(ge=0)
    name: str | None = Field(default=None, max_length=120)
    role: Literal["administrator", "therapist"] | None = None
    can_invite_clients: bool | None = None


class PageQuery(Strict):
    cursor: str | None = Field(default=None, max_length=2048)


class StaffPageView(View):
    items: list[StaffView]
    next_cursor: str | None


@endpoint(router, "/staff", "GET", access=Access.ADMINISTRATOR, summary="List staff", query=PageQuery, response=StaffPageView)
def list_staff(request: Request) -> Response:
    principal = guards.require_administrator(request)
    query = parse_query(request, PageQuery)
    page = staff.list_staff(principal, query.cursor)
    return json_response(StaffPageView(items=[StaffView.of(m) for m in page.items], next_cursor=page.next_cursor))


@endpoint(router, "/staff", "POST", access=Access.ADMINISTRATOR, summary="Invite a staff member", body=NewStaffRequest,
          response=StaffView, status=201)  # fmt: skip
def invite_staff(request: Request) -> Response:
    principal = guards.require_administrator(request)
    body = parse(request, NewStaffRequest)
    member = staff.invite_staff(principal, staff.NewStaff(**body.model_dump()))
    return json_response(StaffView.of(member), status=201)


@endpoint(router, "/staff/{staff_id}", "GET", access=Access.ADMINISTRATOR, summary="One staff member", response=StaffView)
def get_staff(request: Request, staff_id: str) -> Response:
    principal = guards.require_administrator(request)
    return json_response(StaffView.of(staff.get_staff(principal, staff_id)))


@endpoint(router, "/staff/{staff_id}", "PATCH", access=Access.ADMINISTRATOR, summary="Change role, permissions or name",
          body=StaffChangeRequest, response=StaffView)  # fmt: skip
def update_staff(request: Request, staff_id: str) -> Response:
    principal = guards.require_administrator(request)
    body = parse(request, StaffChangeRequest)
    return json_response(StaffView.of(staff.update_staff(principal, staff_id, staff.StaffChange(**body.model_dump()))))


@endpoint(router, "/staff/{staff_id}/deactivate", "POST", access=Access.ADMINISTRATOR, summary="Deactivate (ends sessions)",
          response=StaffView)  # fmt: skip
def deactivate_staff(request: Request, staff_id: str) -> Response:
    principal = guards.require_administrator(request)
    return json_response(StaffView.of(staff.deactivate_staff(principal, staff_id)))


@endpoint(router, "/staff/{staff_id}/reactivate", "POST", access=Access.ADMINISTRATOR, summary="Reactivate", response=StaffView)
def reactivate_staff(request: Request, staff_id: str) -> Response:
    principal = guards.require_administrator(request)
    return json_response(StaffView.of(staff.reactivate_staff(principal, staff_id)))


@endpoint(router, "/staff/{staff_id}/invitation", "POST", access=Access.ADMINISTRATOR, summary="Resend the invitation",
          response=StaffView)  # fmt: skip
def resend_invitation(request: Request, staff_id: str) -> Response:
    principal = guards.require_administrator(request)
    return json_response(StaffView.of(staff.resend_invitation(principal, staff_id)))
