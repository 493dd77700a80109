"""The portal subscription (seats) and the signed-in staff member's entitlements."""

from __future__ import annotations

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.handlers.api import Access, Router, View, endpoint
from chalicelib.handlers.views import Features
from chalicelib.services import subscription
from chalicelib.services.subscription import Subscription

router = Router(__name__)


class Seat(View):
    staff_id: str


class SubscriptionView(View):
    seats: list[Seat]
    seat_count: int
    staff_count: int
    solo: bool
    billable_seat_count: int
    seat_price_cents: int
    monthly_total_cents: int

    @classmethod
    def of(cls, current: Subscription) -> SubscriptionView:
        return cls(
            seats=[Seat(staff_id=staff_id) for staff_id in current.seat_holders],
            seat_count=current.seat_count,
            staff_count=current.staff_count,
            solo=current.solo,
            billable_seat_count=current.billable_seat_count,
            seat_price_cents=current.seat_price_cents,
            monthly_total_cents=current.monthly_total_cents,
        )


class EntitlementsView(View):
    features: Features


@endpoint(router, "/subscription", "GET", access=Access.ADMINISTRATOR, summary="Seats and monthly cost", response=SubscriptionView,
          note="Own practice only.")  # fmt: skip
def get_subscription(principal: StaffPrincipal) -> SubscriptionView:
    return SubscriptionView.of(subscription.get_subscription(principal))


@endpoint(router, "/subscription/seats/{staff_id}", "PUT", access=Access.ADMINISTRATOR, summary="Add a staff member's seat",
          response=SubscriptionView, note="Own practice only; another practice's id is 404; a seat already held is 409.")  # fmt: skip
def add_seat(principal: StaffPrincipal, staff_id: str) -> SubscriptionView:
    return SubscriptionView.of(subscription.add_seat(principal, staff_id))


@endpoint(router, "/subscription/seats/{staff_id}", "DELETE", access=Access.ADMINISTRATOR, summary="Remove a staff member's seat",
          response=SubscriptionView, note="Own practice only; another practice's id is 404; no seat held is 409.")  # fmt: skip
def remove_seat(principal: StaffPrincipal, staff_id: str) -> SubscriptionView:
    return SubscriptionView.of(subscription.remove_seat(principal, staff_id))


@endpoint(router, "/entitlements", "GET", access=Access.STAFF, summary="Which portal features I may use", response=EntitlementsView,
          note="The signed-in staff member's own features (switches and seat).")  # fmt: skip
def my_entitlements(principal: StaffPrincipal) -> EntitlementsView:
    return EntitlementsView(features=Features.of(subscription.my_entitlements(principal)))
