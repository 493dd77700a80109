"""The portal subscription: which staff members hold a seat, and what the practice pays per month."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.expressions.update import Action

from chalicelib import audit
from chalicelib.auth.features import Feature, PracticeFacts, entitlements_of
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.config import get_settings
from chalicelib.errors import Conflict
from chalicelib.services.organizations import load
from chalicelib.tables import keys
from chalicelib.tables.accounts import StaffSeat
from chalicelib.tables.base import transaction
from chalicelib.tables.organizations import OrganizationCounters


@dataclass(frozen=True)
class Subscription:
    seat_holders: list[str]
    staff_count: int
    solo: bool
    seat_price_cents: int

    @property
    def seat_count(self) -> int:
        return len(self.seat_holders)

    @property
    def billable_seat_count(self) -> int:
        # A practice with a single staff member has every feature included at no cost.
        return 0 if self.solo else self.seat_count

    @property
    def monthly_total_cents(self) -> int:
        return self.billable_seat_count * self.seat_price_cents


def subscription_of(facts: PracticeFacts) -> Subscription:
    return Subscription(
        seat_holders=sorted(facts.seat_holders),
        staff_count=facts.staff_count,
        solo=facts.solo,
        seat_price_cents=get_settings().seat_price_cents,
    )


def get_subscription(principal: StaffPrincipal) -> Subscription:
    return subscription_of(PracticeFacts.of(load(principal.org_id)))


def my_entitlements(principal: StaffPrincipal) -> dict[Feature, bool]:
    """Which features the signed-in staff member may use (from the practice the request already read)."""
    return entitlements_of(principal.practice, principal.id)


def add_seat(principal: StaffPrincipal, staff_id: str) -> Subscription:
    return _change_seat(principal, staff_id, subscribe=True)


def remove_seat(principal: StaffPrincipal, staff_id: str) -> Subscription:
    return _change_seat(principal, staff_id, subscribe=False)


def _change_seat(principal: StaffPrincipal, staff_id: str, *, subscribe: bool) -> Subscription:
    staff = StaffSeat(keys.org_pk(principal.org_id), keys.staff_sk(staff_id))
    org = OrganizationCounters(keys.org_pk(principal.org_id), keys.ORGANIZATION_SK)
    org_action: Action
    if subscribe:
        staff_condition = StaffSeat.pk.exists() & (StaffSeat.status != "deactivated") & (StaffSeat.subscribed == False)
        org_action = OrganizationCounters.seat_holders.add({staff_id})
    else:
        staff_condition = StaffSeat.pk.exists() & (StaffSeat.subscribed == True)
        org_action = OrganizationCounters.seat_holders.delete({staff_id})
    with transaction({"staff": lambda: Conflict(_seat_conflict(principal, staff_id, subscribe))}) as tx:
        tx.update(
            staff, actions=[StaffSeat.subscribed.set(subscribe)], condition=staff_condition, add_version_condition=False, label="staff"
        )
        tx.update(org, actions=[org_action], condition=OrganizationCounters.pk.exists(), add_version_condition=False)
        tx.save(audit.event(principal, "subscription.seat_add" if subscribe else "subscription.seat_remove", f"staff/{staff_id}"))
    return get_subscription(principal)


def _seat_conflict(principal: StaffPrincipal, staff_id: str, subscribe: bool) -> str:
    from chalicelib.services.staff import get_staff

    member = get_staff(principal, staff_id)  # raises NotFound for an unknown id
    if member.status == "deactivated":
        return "Deactivated staff members cannot hold a seat."
    return "This staff member already holds a seat." if subscribe else "This staff member does not hold a seat."
