"""The session cookie: __Host- prefixed, HttpOnly, Secure, SameSite=Strict, Path=/."""

from __future__ import annotations

from chalicelib.config import get_settings


def session_cookie(secret: str, max_age_seconds: int) -> str:
    name = get_settings().cookie_name
    return f"{name}={secret}; Path=/; Max-Age={max_age_seconds}; Secure; HttpOnly; SameSite=Strict"


def cleared_cookie() -> str:
    return f"{get_settings().cookie_name}=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict"
