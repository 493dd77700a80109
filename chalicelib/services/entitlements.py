"""Which portal features a staff member may use.

Payments and intake forms are included for every therapist. Self-scheduling and secure messaging need the staff
member to hold a seat on the portal subscription — except in an organization with a single staff member, where
everything is included at no cost. Every feature also needs the organization's switch to be on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from chalicelib.errors import FeatureDisabled

if TYPE_CHECKING:
    from chalicelib.auth.principals import StaffPrincipal
    from chalicelib.tables.organizations import Organization


class Feature(StrEnum):
    PAYMENTS = "payments"
    INTAKE_FORMS = "intake_forms"
    SELF_SCHEDULING = "self_scheduling"
    MESSAGING = "messaging"


FEATURES = tuple(Feature)
SEAT_FEATURES = frozenset({Feature.SELF_SCHEDULING, Feature.MESSAGING})
FEATURE_TITLES = {
    Feature.PAYMENTS: "Payments",
    Feature.INTAKE_FORMS: "Intake forms",
    Feature.SELF_SCHEDULING: "Self-scheduling",
    Feature.MESSAGING: "Secure messaging",
}


@dataclass(frozen=True)
class OrganizationFacts:
    """What entitlements depend on; built from one Organization read."""

    switches: dict[Feature, bool]
    staff_count: int
    seat_holders: frozenset[str]

    @classmethod
    def of(cls, org: Organization) -> OrganizationFacts:
        return cls(
            switches={feature: bool(getattr(org.features, feature.value)) for feature in FEATURES},
            staff_count=int(org.staff_count),
            seat_holders=frozenset(org.seat_holders or ()),
        )

    @property
    def solo(self) -> bool:
        return self.staff_count <= 1


def can_use(facts: OrganizationFacts, staff_id: str, feature: Feature) -> bool:
    if not facts.switches.get(feature, False):
        return False
    if feature not in SEAT_FEATURES:
        return True
    return facts.solo or staff_id in facts.seat_holders


def entitlements_of(facts: OrganizationFacts, staff_id: str) -> dict[Feature, bool]:
    return {feature: can_use(facts, staff_id, feature) for feature in FEATURES}


def for_principal(principal: StaffPrincipal) -> dict[Feature, bool]:
    from chalicelib.services.organizations import load

    return entitlements_of(OrganizationFacts.of(load(principal.org_id)), principal.id)


def require_switch(facts: OrganizationFacts, feature: Feature) -> None:
    """403 feature-disabled when the practice switched the feature off (no seat check: for clients, intake)."""
    if not facts.switches.get(feature, False):
        raise FeatureDisabled(f"{FEATURE_TITLES[feature]} is turned off for your practice.")


def require_feature(principal: StaffPrincipal, feature: Feature) -> OrganizationFacts:
    """For later capabilities: one read, then 403 feature-disabled if the switch is off or no seat is held."""
    from chalicelib.services.organizations import load

    facts = OrganizationFacts.of(load(principal.org_id))
    require_switch(facts, feature)
    if not can_use(facts, principal.id, feature):
        raise FeatureDisabled(f"{FEATURE_TITLES[feature]} needs a seat on the portal subscription. Ask your administrator to add you.")
    return facts
