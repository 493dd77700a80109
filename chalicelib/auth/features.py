"""Which portal features a person may use — the one feature gate's rules.

Payments and intake forms are included for every therapist. Self-scheduling and secure messaging need the staff
member to hold a seat on the portal subscription — except in an organization with a single staff member, where
everything is included at no cost. Every feature also needs the organization's switch to be on. Clients use a
feature whenever the practice has it switched on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chalicelib.auth.second_factor import SecurityPolicy
from chalicelib.domain.messaging import MessagingPolicy


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
class PracticeFacts:
    """What a request knows of its practice, from the one organization read every signed-in request makes."""

    id: str
    name: str
    slug: str
    time_zone: str
    switches: dict[Feature, bool]
    staff_count: int
    seat_holders: frozenset[str]
    contact_line: str = ""
    messaging: MessagingPolicy = field(default_factory=MessagingPolicy)
    security: SecurityPolicy = field(default_factory=SecurityPolicy)
    accent_color: str | None = None
    logo_key: str | None = None  # the logo's S3 object (PDF letterheads read it)
    logo_sha256: str | None = None

    @classmethod
    def of(cls, org: Any) -> PracticeFacts:
        """From an ``Organization`` item (typed loosely: auth sits below the table modules' users)."""
        return cls(
            id=str(org.id),
            name=str(org.name),
            slug=str(org.slug),
            time_zone=str(org.time_zone),
            switches={feature: bool(getattr(org.features, feature.value)) for feature in FEATURES},
            staff_count=int(org.staff_count),
            seat_holders=frozenset(org.seat_holders or ()),
            contact_line=str(org.contact_line or ""),
            messaging=MessagingPolicy.of(org),
            security=SecurityPolicy.of(org),
            accent_color=org.accent_color,
            logo_key=org.logo_key,
            logo_sha256=org.logo_sha256,
        )

    @property
    def solo(self) -> bool:
        return self.staff_count <= 1

    def switched_on(self, feature: Feature) -> bool:
        return self.switches.get(feature, False)

    def seated(self, staff_id: str) -> bool:
        return self.solo or staff_id in self.seat_holders


def can_use(facts: PracticeFacts, staff_id: str, feature: Feature) -> bool:
    if not facts.switched_on(feature):
        return False
    return feature not in SEAT_FEATURES or facts.seated(staff_id)


def entitlements_of(facts: PracticeFacts, staff_id: str) -> dict[Feature, bool]:
    return {feature: can_use(facts, staff_id, feature) for feature in FEATURES}
