"""The accent colour's contrast check (WCAG 2.x relative luminance and contrast ratio)."""

from __future__ import annotations

import pytest

from chalicelib.errors import ValidationFailed
from chalicelib.services.branding import MINIMUM_CONTRAST, check_accent, contrast_ratio, relative_luminance


def test_black_on_white_is_21_to_1_and_a_colour_on_itself_is_1_to_1() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#1d4ed8", "#1d4ed8") == pytest.approx(1.0)


def test_the_ratio_does_not_depend_on_the_order_of_the_colours() -> None:
    assert contrast_ratio("#0f766e", "#ffffff") == pytest.approx(contrast_ratio("#ffffff", "#0f766e"))


@pytest.mark.parametrize(
    ("color", "luminance"),
    [("#ffffff", 1.0), ("#000000", 0.0), ("#808080", 0.2159), ("#ff0000", 0.2126), ("#00ff00", 0.7152), ("#0000ff", 0.0722)],
)
def test_relative_luminance_follows_wcag(color: str, luminance: float) -> None:
    assert relative_luminance(color) == pytest.approx(luminance, abs=1e-4)


@pytest.mark.parametrize(("color", "ratio"), [("#1d4ed8", 6.70), ("#767676", 4.54), ("#0f766e", 5.47)])
def test_known_ratios_against_white(color: str, ratio: float) -> None:
    assert contrast_ratio(color, "#ffffff") == pytest.approx(ratio, abs=0.01)


def test_a_dark_enough_colour_is_accepted_and_normalised() -> None:
    assert check_accent(" #0F766E ") == "#0f766e"


@pytest.mark.parametrize("color", ["#facc15", "#60a5fa", "#757575", "#ffffff"])
def test_a_colour_below_4_5_to_1_on_white_or_on_the_page_is_refused_with_its_ratio(color: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_accent(color)

    assert refused.value.errors[0].field == "accent_color"
    assert f"{MINIMUM_CONTRAST}:1" in str(refused.value.errors[0].message)


def test_the_ratio_in_the_refusal_is_rounded_down_so_it_never_reads_as_enough() -> None:
    # #757575 is 4.6:1 on white but 4.29:1 on the page's grey: the message says 4.2, not 4.3 or 4.5
    with pytest.raises(ValidationFailed) as refused:
        check_accent("#757575")

    assert "4.2:1" in refused.value.errors[0].message


@pytest.mark.parametrize("color", ["teal", "#12345", "#1234567", "1d4ed8", "#ggghhh"])
def test_anything_but_a_six_digit_hex_colour_is_refused(color: str) -> None:
    with pytest.raises(ValidationFailed):
        check_accent(color)
