"""Self-scheduling, staff side: the caller's own booking settings, week calendar, pending requests and private
calendar feed (own data: no id in the path), and the feed itself (authenticated by the token in its URL)."""

from __future__ import annotations

from datetime import date, datetime

from chalice.app import Response
from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain import scheduling as domain
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.scheduling_views import AppointmentListView, AppointmentView, BookingSettingsModel, BookingSettingsView
from chalicelib.services.scheduling import appointments, calendars, settings

router = Router(__name__)

OWN = "The caller's own settings only (no id: another therapist's cannot be named)"


class CalendarQuery(Strict):
    start: date | None = Field(default=None, description="First day (the practice's zone); today by default")
    days: int = Field(default=7, ge=1, le=14)


class WeekView(View):
    first_day: date
    days: int
    time_zone: str
    items: list[AppointmentView]


class FeedRequest(Strict):
    include_client_names: bool = False


class FeedView(View):
    active: bool
    created_at: datetime | None
    include_client_names: bool

    @classmethod
    def of(cls, state: domain.FeedState) -> FeedView:
        return cls.model_validate(state, from_attributes=True)


class IssuedFeedView(View):
    url: str
    feed: FeedView


class FeedQuery(Strict):
    token: str = Field(max_length=128)


@endpoint(router, "/scheduling/settings", "GET", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="My booking settings", response=BookingSettingsView, note=f"{OWN}; defaults until first saved.")  # fmt: skip
def get_settings(principal: StaffPrincipal) -> BookingSettingsView:
    return BookingSettingsView.of(settings.settings_for(principal))


@endpoint(router, "/scheduling/settings", "PUT", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="Save my booking settings", body=BookingSettingsModel, response=BookingSettingsView,
          note=(f"{OWN}; a stale version is 409; bad hours, two overrides for a date, a service no window holds, an "
                "unknown zone are 422."))  # fmt: skip
def put_settings(principal: StaffPrincipal, body: BookingSettingsModel) -> BookingSettingsView:
    change = settings.SettingsChange(version=body.version, settings=body.domain(principal.id))
    return BookingSettingsView.of(settings.save_settings(principal, change))


@endpoint(router, "/scheduling/calendar", "GET", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="My appointments over a week", query=CalendarQuery, response=WeekView,
          note="The caller's own appointments only, in the practice's time zone; audited.")  # fmt: skip
def get_calendar(principal: StaffPrincipal, query: CalendarQuery) -> WeekView:
    week = appointments.calendar(principal, query.start, query.days)
    return WeekView(
        first_day=week.first_day, days=week.days, time_zone=week.time_zone, items=[AppointmentView.of(a) for a in week.appointments]
    )


@endpoint(router, "/scheduling/requests", "GET", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="My pending requests", response=AppointmentListView,
          note="The caller's own requests only (clients' bookings waiting for approval); audited.")  # fmt: skip
def get_requests(principal: StaffPrincipal) -> AppointmentListView:
    return AppointmentListView(items=[AppointmentView.of(a) for a in appointments.requests(principal)])


@endpoint(router, "/scheduling/feed", "GET", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="My calendar feed", response=FeedView,
          note="The caller's own feed only; never its address (only a hash is kept).")  # fmt: skip
def get_feed(principal: StaffPrincipal) -> FeedView:
    return FeedView.of(calendars.feed_state(principal))


@endpoint(router, "/scheduling/feed", "POST", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="Issue a new calendar feed address", body=FeedRequest, response=IssuedFeedView, status=201,
          note="The caller's own feed; the address is shown once and the previous one stops working; audited.")  # fmt: skip
def post_feed(principal: StaffPrincipal, body: FeedRequest) -> IssuedFeedView:
    issued = calendars.issue_feed(principal, body.include_client_names)
    return IssuedFeedView(url=issued.url, feed=FeedView.of(issued.state))


@endpoint(router, "/scheduling/feed", "DELETE", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="Revoke my calendar feed", status=204, note="The caller's own feed; 404 if there is none; audited.")  # fmt: skip
def delete_feed(principal: StaffPrincipal) -> None:
    calendars.revoke_feed(principal)


@endpoint(router, "/calendar-feed", "GET", access=Access.ANYONE, summary="A therapist's calendar feed (iCalendar)", query=FeedQuery,
          content_type="text/calendar",
          note=("The token in the URL is the credential (only its SHA-256 is stored): an unknown or revoked token, or a "
                "therapist no longer active or seated, is 404; no client names unless the therapist chose them; audited."))  # fmt: skip
def calendar_feed(query: FeedQuery) -> Response:
    body = calendars.feed(query.token)
    headers: dict[str, str | list[str]] = {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store"}
    return Response(body=body, status_code=200, headers=headers)
