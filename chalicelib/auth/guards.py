"""Turn an HTTP request into a principal, and refuse what that principal may not do.

Handlers call exactly one guard. A refusal of a signed-in principal is audited before it is raised.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import NoReturn

from chalice.app import Request

from chalicelib import context
from chalicelib.auth import sessions
from chalicelib.auth.principals import ClientPrincipal, Principal, Role, StaffPrincipal
from chalicelib.auth.tokens import same
from chalicelib.config import get_settings
from chalicelib.errors import Forbidden, Unauthenticated
from chalicelib.services import audit
from chalicelib.tables.sessions import Session

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "x-csrf-token"


def session_secret(request: Request) -> str | None:
    raw = request.headers.get("cookie")
    if not raw:
        return None
    try:
        cookies = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = cookies.get(get_settings().cookie_name)
    return morsel.value if morsel else None


def current_session(request: Request) -> Session:
    secret = session_secret(request)
    if not secret:
        raise Unauthenticated("Please sign in.")
    record = sessions.authenticate(secret)
    context.current().idle_expires_in = sessions.idle_expires_in(record)
    if request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not same(sent, record.csrf_token):
            principal = sessions.principal_of(record)
            audit.record(principal, "request.csrf_rejected", context.current().route, outcome="denied")
            raise Forbidden("This request is missing its security token. Reload the page and try again.")
    return record


def require_principal(request: Request) -> Principal:
    return sessions.principal_of(current_session(request))


def require_staff(request: Request) -> StaffPrincipal:
    principal = require_principal(request)
    if not isinstance(principal, StaffPrincipal):
        deny(principal)
    return principal


def require_administrator(request: Request) -> StaffPrincipal:
    principal = require_staff(request)
    if principal.role is not Role.ADMINISTRATOR:
        deny(principal)
    return principal


def require_inviter(request: Request) -> StaffPrincipal:
    """Administrators, and therapists an administrator has allowed to send client invitations."""
    principal = require_staff(request)
    if not (principal.is_administrator or principal.can_invite_clients):
        deny(principal)
    return principal


def require_client(request: Request) -> ClientPrincipal:
    principal = require_principal(request)
    if not isinstance(principal, ClientPrincipal):
        deny(principal)
    return principal


def deny(principal: Principal) -> NoReturn:
    audit.record(principal, "request.denied", context.current().route, outcome="denied")
    raise Forbidden("Your role does not allow this.")
