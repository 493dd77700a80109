from __future__ import annotations

import pytest

from chalicelib.errors import ValidationFailed
from chalicelib.services import validation


@pytest.mark.parametrize("slug", ["demo", "harbor-counseling", "a1b", "x" * 40])
def test_good_slugs(slug: str) -> None:
    assert validation.check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["ab", "-lead", "trail-", "double--hyphen", "Upper", "with space", "x" * 41, "api", "dev"])
def test_bad_or_reserved_slugs(slug: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        validation.check_slug(slug)
    assert raised.value.errors[0].field == "slug"


def test_emails_are_normalised() -> None:
    assert validation.normalise_email("  Dana@Clinic.TEST ") == "dana@clinic.test"


@pytest.mark.parametrize("email", ["", "no-at-sign", "two@@signs.test", "a@b", "a b@c.test"])
def test_invalid_emails(email: str) -> None:
    with pytest.raises(ValidationFailed):
        validation.normalise_email(email)


def test_time_zones_are_iana_names() -> None:
    assert validation.check_time_zone("America/Chicago") == "America/Chicago"
    with pytest.raises(ValidationFailed):
        validation.check_time_zone("Mars/Olympus")
