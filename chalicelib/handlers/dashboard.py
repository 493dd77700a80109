"""The staff dashboards: clients needing attention, newly signed documents, today's appointments and requests.

A therapist sees their own clients' items, an administrator the practice's; the lists say which clients to look at,
and the clients' records are read when they are shown (services/dashboard.py). Unread messages and open invoices come
from their own routes (``/api/messages/inbox``, ``/api/payments/open-invoices``)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain import dashboard as domain
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.scheduling_views import AppointmentView
from chalicelib.services import dashboard

router = Router(__name__)

WHOSE = "therapists see only clients assigned to them, administrators the practice's"


class WorklistQuery(Strict):
    cursor: str | None = Field(default=None, max_length=2048)


class PendingInvitationView(View):
    invited_at: datetime | None
    expires_at: datetime | None
    expired: bool
    delivery_failed: bool


class WaitingPaperworkView(View):
    waiting: int
    signed: int
    waiting_since: datetime | None
    overdue: bool


class AttentionView(View):
    client_id: str
    name: str
    preferred_name: str | None
    since: datetime
    invitation: PendingInvitationView | None
    paperwork: WaitingPaperworkView | None

    @classmethod
    def of(cls, item: domain.Attention) -> AttentionView:
        return cls.model_validate(item, from_attributes=True)


class WorklistView(View):
    items: list[AttentionView]
    next_cursor: str | None


class SignedDocumentView(View):
    client_id: str
    client_name: str
    request_id: str
    title: str
    signed_at: datetime


class SignedListView(View):
    items: list[SignedDocumentView]


class DayView(View):
    day: date
    time_zone: str
    practice_wide: bool
    appointments: list[AppointmentView]
    requests: list[AppointmentView]
    more_requests: bool


@endpoint(router, "/dashboard/worklist", "GET", access=Access.STAFF, summary="Clients needing attention",
          query=WorklistQuery, response=WorklistView,
          note=(f"Own practice only; {WHOSE}: invitations not accepted and paperwork waiting (paperwork only while intake "
                "forms are on), longest waiting first; a cursor issued elsewhere is 400; audited."))  # fmt: skip
def get_worklist(principal: StaffPrincipal, query: WorklistQuery) -> WorklistView:
    found = dashboard.attention_list(principal, query.cursor)
    return WorklistView(items=[AttentionView.of(item) for item in found.items], next_cursor=found.next_cursor)


@endpoint(router, "/dashboard/signed", "GET", access=Access.STAFF, feature=Feature.INTAKE_FORMS,
          summary="Documents signed over the last two weeks", response=SignedListView,
          note=f"Own practice only; {WHOSE}; newest first; audited.")  # fmt: skip
def get_signed(principal: StaffPrincipal) -> SignedListView:
    return SignedListView(items=[SignedDocumentView.model_validate(d, from_attributes=True) for d in dashboard.recently_signed(principal)])


@endpoint(router, "/dashboard/appointments", "GET", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="Today's appointments and the requests waiting for approval", response=DayView,
          note=("Own practice only; therapists their own calendar, administrators the practice's (each with a seat); the "
                "practice's time zone; audited."))  # fmt: skip
def get_day(principal: StaffPrincipal) -> DayView:
    found = dashboard.day(principal)
    return DayView(
        day=found.day,
        time_zone=found.time_zone,
        practice_wide=found.practice_wide,
        appointments=[AppointmentView.of(a) for a in found.appointments],
        requests=[AppointmentView.of(a) for a in found.requests],
        more_requests=found.more_requests,
    )
