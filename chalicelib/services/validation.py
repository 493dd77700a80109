"""Small value rules shared by services (emails, slugs, time zones)."""

from __future__ import annotations

import re
from functools import lru_cache

from chalicelib.errors import FieldError, ValidationFailed

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
RESERVED_SLUGS = frozenset({"api", "admin", "app", "assets", "dev", "static", "www", "help", "new", "o"})
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE_PATTERN = re.compile(r"^[0-9+().\- ]{5,40}$")


def normalise_email(value: str, field: str = "email") -> str:
    email = value.strip().lower()
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValidationFailed("Enter a valid email address.", [FieldError(field, "Enter a valid email address.")])
    return email


def check_slug(slug: str) -> str:
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        message = "Use 3–40 lowercase letters, digits and single hyphens, starting and ending with a letter or digit."
        raise ValidationFailed(message, [FieldError("slug", message)])
    if slug in RESERVED_SLUGS:
        raise ValidationFailed("That address is reserved.", [FieldError("slug", "That address is reserved.")])
    return slug


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def check_time_zone(name: str, field: str = "time_zone") -> str:
    if name not in _time_zones():
        raise ValidationFailed("Choose a valid time zone.", [FieldError(field, "Choose a valid time zone.")])
    return name


def check_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationFailed("This field is required.", [FieldError(field, "This field is required.")])
    if len(text) > max_length:
        message = f"Use at most {max_length} characters."
        raise ValidationFailed(message, [FieldError(field, message)])
    return text
