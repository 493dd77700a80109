"""Self-scheduling, client side: whom the client may book with, free slots in their own time zone, their own
appointments (book, move, cancel, an .ics file), and the waitlist with its offers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from chalice.app import Response
from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.domain import scheduling as domain
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.scheduling_views import (
    ClientAppointmentListView,
    ClientAppointmentView,
    ReasonRequest,
    ServiceView,
    StartRequest,
    aware,
)
from chalicelib.services.scheduling import booking, calendars, waitlist

router = Router(__name__)

OWN = "The client's own appointments only (the key includes the client's id: another client's is 404)"
THEIRS = "Only the client's own assigned therapists who hold a seat (another therapist is 404)"
TimeOfDay = Literal["morning", "afternoon", "evening", "any"]


class TherapistView(View):
    therapist_id: str
    name: str
    time_zone: str
    services: list[ServiceView]
    min_notice_hours: int
    horizon_days: int
    cancel_window_hours: int
    late_cancel_policy: str
    approval_required: bool

    @classmethod
    def of(cls, bookable: domain.Bookable) -> TherapistView:
        return cls(
            therapist_id=bookable.therapist_id,
            name=bookable.name,
            time_zone=bookable.time_zone,
            services=[ServiceView.of(s) for s in bookable.services],
            min_notice_hours=bookable.min_notice_hours,
            horizon_days=bookable.horizon_days,
            cancel_window_hours=bookable.cancel_window_hours,
            late_cancel_policy=bookable.late_cancel_policy,
            approval_required=bookable.approval_required,
        )


class SchedulingHomeView(View):
    time_zone: str
    therapists: list[TherapistView]


class SlotsQuery(Strict):
    therapist_id: str = Field(max_length=64)
    service_id: str = Field(max_length=64)
    start: date | None = Field(default=None, description="First day, in the client's zone; today by default")
    days: int = Field(default=7, ge=1, le=31)


class SlotPageView(View):
    therapist_id: str
    service_id: str
    therapist_time_zone: str
    client_time_zone: str
    first_day: date
    last_day: date
    starts: list[datetime]
    next_opening: datetime | None
    reason: Literal["closed", "new_clients", "no_hours", "fully_booked"] | None
    min_notice_hours: int
    horizon_days: int
    bookable_until: date

    @classmethod
    def of(cls, page: domain.SlotPage) -> SlotPageView:
        return cls.model_validate(page, from_attributes=True)


class BookRequest(Strict):
    therapist_id: str = Field(max_length=64)
    service_id: str = Field(max_length=64)
    start: datetime = Field(description="One of the listed starts")


class JoinRequest(Strict):
    therapist_id: str = Field(max_length=64)
    service_id: str = Field(max_length=64)
    time_of_day: TimeOfDay = "any"


class EntryView(View):
    id: str
    therapist_id: str
    therapist_name: str
    service_id: str
    service_name: str
    time_of_day: TimeOfDay
    created_at: datetime


class OfferView(View):
    id: str
    therapist_id: str
    therapist_name: str
    service_id: str
    service_name: str
    start: datetime
    end: datetime
    status: Literal["open", "claimed", "taken"]
    appointment_id: str | None


class WaitlistView(View):
    entries: list[EntryView]
    offers: list[OfferView]


@endpoint(router, "/portal/scheduling", "GET", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Therapists I can book with", response=SchedulingHomeView,
          note="The signed-in client's own assigned therapists who take bookings online; audited.")  # fmt: skip
def scheduling_home(principal: ClientPrincipal) -> SchedulingHomeView:
    return SchedulingHomeView(time_zone=principal.time_zone, therapists=[TherapistView.of(b) for b in booking.bookable(principal)])


@endpoint(router, "/portal/slots", "GET", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Free times for a service", query=SlotsQuery, response=SlotPageView,
          note=f"{THEIRS}; the same instants whatever the client's zone; one Query after the session.")  # fmt: skip
def slots(principal: ClientPrincipal, query: SlotsQuery) -> SlotPageView:
    return SlotPageView.of(booking.list_slots(principal, query.therapist_id, query.service_id, query.start, query.days))


@endpoint(router, "/portal/appointments", "GET", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="My appointments", response=ClientAppointmentListView,
          note="The signed-in client's own appointments only; audited.")  # fmt: skip
def my_appointments(principal: ClientPrincipal) -> ClientAppointmentListView:
    return ClientAppointmentListView(items=[ClientAppointmentView.of(a) for a in booking.my_appointments(principal)])


@endpoint(router, "/portal/appointments", "POST", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Book a free time", body=BookRequest, response=ClientAppointmentView, status=201,
          note=(f"{THEIRS}; past, too soon, too far ahead or not offered is 422; taken meanwhile or the day full is 409 "
                "(one winner per time: conditional writes)."))  # fmt: skip
def book(principal: ClientPrincipal, body: BookRequest) -> ClientAppointmentView:
    return ClientAppointmentView.of(booking.book(principal, body.therapist_id, body.service_id, aware(body.start)))


@endpoint(router, "/portal/appointments/{appointment_id}/cancel", "POST", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Cancel my appointment", body=ReasonRequest, response=ClientAppointmentView,
          note=f"{OWN}; inside the cancellation window it is 409 (the practice's policy applies).")  # fmt: skip
def cancel(principal: ClientPrincipal, appointment_id: str, body: ReasonRequest) -> ClientAppointmentView:
    return ClientAppointmentView.of(booking.cancel(principal, appointment_id, (body.reason or "").strip() or None))


@endpoint(router, "/portal/appointments/{appointment_id}/reschedule", "POST", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Move my appointment to another free time", body=StartRequest, response=ClientAppointmentView,
          note=f"{OWN}; as booking, and outside the cancellation window only.")  # fmt: skip
def reschedule(principal: ClientPrincipal, appointment_id: str, body: StartRequest) -> ClientAppointmentView:
    return ClientAppointmentView.of(booking.reschedule(principal, appointment_id, aware(body.start)))


@endpoint(router, "/portal/appointments/{appointment_id}/calendar", "GET", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="My appointment as an .ics file", content_type="text/calendar", note=f"{OWN}; audited.")  # fmt: skip
def appointment_file(principal: ClientPrincipal, appointment_id: str) -> Response:
    filename, body = calendars.appointment_file(principal, appointment_id)
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    }
    return Response(body=body, status_code=200, headers=headers)


@endpoint(router, "/portal/waitlist", "GET", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="My waitlist places and offers", response=WaitlistView,
          note="The signed-in client's own entries and offers only; audited.")  # fmt: skip
def my_waitlist(principal: ClientPrincipal) -> WaitlistView:
    found = waitlist.my_waitlist(principal)
    return WaitlistView(
        entries=[EntryView.model_validate(e, from_attributes=True) for e in found.entries],
        offers=[OfferView.model_validate(o, from_attributes=True) for o in found.offers],
    )


@endpoint(router, "/portal/waitlist", "POST", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Join a therapist's waitlist", body=JoinRequest, response=EntryView, status=201,
          note=f"{THEIRS}; once per therapist and service (409).")  # fmt: skip
def join_waitlist(principal: ClientPrincipal, body: JoinRequest) -> EntryView:
    entry = waitlist.join(principal, body.therapist_id, body.service_id, body.time_of_day)
    return EntryView.model_validate(entry, from_attributes=True)


@endpoint(router, "/portal/waitlist/{entry_id}", "DELETE", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Leave a waitlist", status=204, note="The client's own entries only (another client's is 404).")  # fmt: skip
def leave_waitlist(principal: ClientPrincipal, entry_id: str) -> None:
    waitlist.leave(principal, entry_id)


@endpoint(router, "/portal/waitlist-offers/{offer_id}/claim", "POST", access=Access.CLIENT, feature=Feature.SELF_SCHEDULING,
          summary="Claim an offered time", response=ClientAppointmentView, status=201,
          note="The client's own offers only (another client's is 404); the first claim wins, the rest are 409.")  # fmt: skip
def claim_offer(principal: ClientPrincipal, offer_id: str) -> ClientAppointmentView:
    return ClientAppointmentView.of(waitlist.claim(principal, offer_id))
