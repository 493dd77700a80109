"""Appointments, staff side: a client's appointment history, and making, confirming, declining, moving, cancelling
and marking a client's appointments."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Router, Strict, endpoint
from chalicelib.handlers.scheduling_views import (
    AppointmentListView,
    AppointmentView,
    DeclineRequest,
    ReasonRequest,
    StartRequest,
    aware,
)
from chalicelib.services.scheduling import appointments

router = Router(__name__)

VISIBLE = "Only for clients the caller may see (a therapist's own clients; anyone else's, or another practice's id, is 404)"
CHANGE = f"{VISIBLE}; only the appointment's therapist or an administrator may change it (403); a changed status is 409"


class NewAppointmentRequest(Strict):
    start: datetime = Field(description="An instant with its offset, on a five-minute step")
    therapist_id: str | None = Field(default=None, max_length=64, description="Administrators only; the caller by default")
    service_id: str | None = Field(default=None, max_length=64)
    duration_minutes: int | None = Field(default=None, ge=10, le=180, multiple_of=5)


class OutcomeRequest(Strict):
    outcome: Literal["attended", "no_show", "late_cancelled"]


@endpoint(router, "/clients/{client_id}/appointments", "GET", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="A client's appointments", response=AppointmentListView, note=f"{VISIBLE}; audited.")  # fmt: skip
def list_appointments(principal: StaffPrincipal, client_id: str) -> AppointmentListView:
    return AppointmentListView(items=[AppointmentView.of(a) for a in appointments.client_appointments(principal, client_id)])


@endpoint(router, "/clients/{client_id}/appointments", "POST", access=Access.STAFF, feature=Feature.SELF_SCHEDULING,
          summary="Make an appointment for a client", body=NewAppointmentRequest, response=AppointmentView, status=201,
          note=f"{VISIBLE}; therapists book in their own calendar, administrators for any of the client's therapists; outside "
               "the therapist's hours if need be, never over another appointment (409).")  # fmt: skip
def create_appointment(principal: StaffPrincipal, client_id: str, body: NewAppointmentRequest) -> AppointmentView:
    new = appointments.NewAppointment(
        start=aware(body.start), therapist_id=body.therapist_id, service_id=body.service_id, duration_minutes=body.duration_minutes
    )
    return AppointmentView.of(appointments.create(principal, client_id, new))


@endpoint(router, "/clients/{client_id}/appointments/{appointment_id}/confirm", "POST", access=Access.STAFF,
          feature=Feature.SELF_SCHEDULING, summary="Confirm a requested appointment", response=AppointmentView,
          note=f"{CHANGE}.")  # fmt: skip
def confirm(principal: StaffPrincipal, client_id: str, appointment_id: str) -> AppointmentView:
    return AppointmentView.of(appointments.confirm(principal, client_id, appointment_id))


@endpoint(router, "/clients/{client_id}/appointments/{appointment_id}/decline", "POST", access=Access.STAFF,
          feature=Feature.SELF_SCHEDULING, summary="Decline a requested appointment, with a reason", body=DeclineRequest,
          response=AppointmentView, note=f"{CHANGE}.")  # fmt: skip
def decline(principal: StaffPrincipal, client_id: str, appointment_id: str, body: DeclineRequest) -> AppointmentView:
    return AppointmentView.of(appointments.decline(principal, client_id, appointment_id, body.reason.strip()))


@endpoint(router, "/clients/{client_id}/appointments/{appointment_id}/cancel", "POST", access=Access.STAFF,
          feature=Feature.SELF_SCHEDULING, summary="Cancel an appointment", body=ReasonRequest, response=AppointmentView,
          note=f"{CHANGE}; the freed time is offered to the waitlist.")  # fmt: skip
def cancel(principal: StaffPrincipal, client_id: str, appointment_id: str, body: ReasonRequest) -> AppointmentView:
    return AppointmentView.of(appointments.cancel(principal, client_id, appointment_id, (body.reason or "").strip() or None))


@endpoint(router, "/clients/{client_id}/appointments/{appointment_id}/move", "POST", access=Access.STAFF,
          feature=Feature.SELF_SCHEDULING, summary="Move an appointment to another time", body=StartRequest,
          response=AppointmentView, note=f"{CHANGE}; never over another appointment (409).")  # fmt: skip
def move(principal: StaffPrincipal, client_id: str, appointment_id: str, body: StartRequest) -> AppointmentView:
    return AppointmentView.of(appointments.move(principal, client_id, appointment_id, aware(body.start)))


@endpoint(router, "/clients/{client_id}/appointments/{appointment_id}/outcome", "POST", access=Access.STAFF,
          feature=Feature.SELF_SCHEDULING, summary="Mark attended, no-show or late-cancelled", body=OutcomeRequest,
          response=AppointmentView, note=f"{CHANGE}; attended and no-show once it has started.")  # fmt: skip
def outcome(principal: StaffPrincipal, client_id: str, appointment_id: str, body: OutcomeRequest) -> AppointmentView:
    return AppointmentView.of(appointments.record_outcome(principal, client_id, appointment_id, body.outcome))
