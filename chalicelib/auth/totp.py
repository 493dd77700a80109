"""Authenticator codes (TOTP, RFC 6238: SHA-1, six digits, 30-second steps), through pyotp — imported only here,
inside the functions that need it (a cold start loads none of it).

A code is accepted for the current step and one step either side (clock drift on phones), and only for a step later
than the last one accepted: the caller stores the matched step in a write conditioned on it, so a code is accepted
once, even by two requests at the same moment.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps either side of now
ISSUER = "Client Portal"
CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """160 random bits, base32 (what authenticator apps expect to be typed)."""
    import pyotp

    return str(pyotp.random_base32(32))


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    import pyotp

    return str(pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(step * STEP_SECONDS))


def normalise(code: str) -> str:
    """People type codes with spaces ("123 456"); anything else is not a code."""
    return re.sub(r"\s", "", code)


def matching_step(secret: str, code: str, now: datetime, last_step: int = 0) -> int | None:
    """The time step ``code`` belongs to within the window, if it is later than ``last_step``; else None."""
    code = normalise(code)
    if not CODE.match(code):
        return None
    current = step_at(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step > last_step and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account_name: str, issuer: str) -> str:
    import pyotp

    return str(pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=account_name, issuer_name=issuer))


def qr_svg(data: str) -> str:
    """An SVG QR code of ``data`` (segno, imported only here), dark on light, with its quiet zone."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=4, border=4, xmldecl=False, svgns=True, dark="#000", light="#fff")
    return buffer.getvalue().decode("utf-8")
