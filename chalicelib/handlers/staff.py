"""Staff accounts (administrators only), and staff members' names for any staff member."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.views import StaffView
from chalicelib.services import staff
from chalicelib.text import Line

router = Router(__name__)


class NewStaffRequest(Strict):
    name: Line = Field(max_length=120)
    email: Line = Field(max_length=254)
    role: Literal["administrator", "therapist"]
    can_invite_clients: bool = False


class StaffChangeRequest(Strict):
    version: int = Field(ge=0)
    name: Line | None = Field(default=None, max_length=120)
    role: Literal["administrator", "therapist"] | None = None
    can_invite_clients: bool | None = None


class PageQuery(Strict):
    cursor: str | None = Field(default=None, max_length=2048)


class StaffPageView(View):
    items: list[StaffView]
    next_cursor: str | None


class NamesQuery(Strict):
    ids: str = Field(max_length=50 * 65, description="Staff ids, comma-separated (at most 50)")


class StaffNameView(View):
    id: str
    name: str


class StaffNamesView(View):
    items: list[StaffNameView]


OWN = "Own practice only; another practice's id is 404."


@endpoint(router, "/staff/names", "GET", access=Access.STAFF, summary="Staff members' names", query=NamesQuery,
          response=StaffNamesView,
          note=("Own practice only: names of its staff members only (another practice's ids are left out), to show beside "
                "the ids a staff member sees; nothing else about them."))  # fmt: skip
def staff_names(principal: StaffPrincipal, query: NamesQuery) -> StaffNamesView:
    found = staff.names_of(principal, [part.strip() for part in query.ids.split(",") if part.strip()])
    return StaffNamesView(items=[StaffNameView(id=staff_id, name=name) for staff_id, name in found.items()])


@endpoint(router, "/staff", "GET", access=Access.ADMINISTRATOR, summary="List staff", query=PageQuery, response=StaffPageView,
          note="Own practice only; a cursor issued to someone else or for another route is refused (400).")  # fmt: skip
def list_staff(principal: StaffPrincipal, query: PageQuery) -> StaffPageView:
    page = staff.list_staff(principal, cursor=query.cursor)
    return StaffPageView(items=[StaffView.of(m) for m in page.items], next_cursor=page.next_cursor)


@endpoint(router, "/staff", "POST", access=Access.ADMINISTRATOR, summary="Invite a staff member", body=NewStaffRequest,
          response=StaffView, status=201, note="Own practice only; an email already used in the practice is 409.")  # fmt: skip
def invite_staff(principal: StaffPrincipal, body: NewStaffRequest) -> StaffView:
    return StaffView.of(staff.invite_staff(principal, staff.NewStaff(**body.model_dump())))


@endpoint(router, "/staff/{staff_id}", "GET", access=Access.ADMINISTRATOR, summary="One staff member", response=StaffView, note=OWN)
def get_staff(principal: StaffPrincipal, staff_id: str) -> StaffView:
    return StaffView.of(staff.get_staff(principal, staff_id))


@endpoint(router, "/staff/{staff_id}", "PATCH", access=Access.ADMINISTRATOR, summary="Change role, permissions or name",
          body=StaffChangeRequest, response=StaffView,
          note=(
              f"{OWN} Not one's own role (403); never the last administrator (409); a changed role or permission "
              f"ends the person's sessions."
          ))  # fmt: skip
def update_staff(principal: StaffPrincipal, staff_id: str, body: StaffChangeRequest) -> StaffView:
    return StaffView.of(staff.update_staff(principal, staff_id, staff.StaffChange(**body.model_dump())))


@endpoint(router, "/staff/{staff_id}/deactivate", "POST", access=Access.ADMINISTRATOR, summary="Deactivate (ends sessions)",
          response=StaffView, note=f"{OWN} Not oneself (403); never the last administrator (409).")  # fmt: skip
def deactivate_staff(principal: StaffPrincipal, staff_id: str) -> StaffView:
    return StaffView.of(staff.deactivate_staff(principal, staff_id))


@endpoint(router, "/staff/{staff_id}/reactivate", "POST", access=Access.ADMINISTRATOR, summary="Reactivate", response=StaffView, note=OWN)
def reactivate_staff(principal: StaffPrincipal, staff_id: str) -> StaffView:
    return StaffView.of(staff.reactivate_staff(principal, staff_id))


@endpoint(router, "/staff/{staff_id}/invitation", "POST", access=Access.ADMINISTRATOR, summary="Resend the invitation",
          response=StaffView, note=f"{OWN} Only staff who have not set a password yet (else 409).")  # fmt: skip
def resend_invitation(principal: StaffPrincipal, staff_id: str) -> StaffView:
    return StaffView.of(staff.resend_invitation(principal, staff_id))
