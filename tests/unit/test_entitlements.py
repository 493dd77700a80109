from __future__ import annotations

import pytest

from chalicelib.auth.features import FEATURES, Feature, PracticeFacts, can_use, entitlements_of

ALL_ON = dict.fromkeys(FEATURES, True)


def facts(staff_count: int, seats: set[str], switches: dict[Feature, bool] | None = None) -> PracticeFacts:
    return PracticeFacts(
        id="org_1",
        name="Harbor",
        slug="harbor",
        time_zone="UTC",
        switches=switches or ALL_ON,
        staff_count=staff_count,
        seat_holders=frozenset(seats),
    )


@pytest.mark.parametrize("feature", [Feature.PAYMENTS, Feature.INTAKE_FORMS])
def test_payments_and_intake_are_included_for_every_therapist(feature: Feature) -> None:
    assert can_use(facts(5, set()), "stf_unseated", feature)


@pytest.mark.parametrize("feature", [Feature.SELF_SCHEDULING, Feature.MESSAGING])
def test_scheduling_and_messaging_need_a_seat(feature: Feature) -> None:
    assert not can_use(facts(5, {"stf_other"}), "stf_unseated", feature)
    assert can_use(facts(5, {"stf_seated"}), "stf_seated", feature)


def test_a_solo_practice_has_everything_at_no_cost() -> None:
    assert entitlements_of(facts(1, set()), "stf_solo") == ALL_ON
    assert facts(1, set()).solo and not facts(2, set()).solo


def test_a_switched_off_feature_is_off_even_with_a_seat() -> None:
    switches = {**ALL_ON, Feature.MESSAGING: False, Feature.PAYMENTS: False}
    result = entitlements_of(facts(3, {"stf_seated"}, switches), "stf_seated")
    assert result[Feature.MESSAGING] is False
    assert result[Feature.PAYMENTS] is False
    assert result[Feature.SELF_SCHEDULING] is True
