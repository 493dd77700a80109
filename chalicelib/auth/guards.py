"""Turn a request into a principal and refuse what that principal may not do — called only by ``handlers.api``.

The order is fixed: a session (401), the CSRF token on unsafe methods (403), the session's second-factor stage (403
``/problems/second-factor-required`` or ``-set-up-required`` unless the route admits that stage), the route's access
level (403), then
the route's feature: the practice's switch (403 ``/problems/feature-disabled``) and, for seat features, the staff
member's seat (403 ``/problems/seat-required``). Every refusal of a signed-in person is audited before it is raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import NoReturn

from chalicelib import audit, context
from chalicelib.auth import sessions
from chalicelib.auth.access import Access
from chalicelib.auth.features import FEATURE_TITLES, SEAT_FEATURES, Feature
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.auth.second_factor import Stage
from chalicelib.auth.tokens import same
from chalicelib.config import get_settings
from chalicelib.errors import FeatureDisabled, Forbidden, SeatRequired, SecondFactorRequired, SecondFactorSetUpRequired, Unauthenticated

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "x-csrf-token"


def session_token(headers: Mapping[str, str]) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    try:
        cookies = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = cookies.get(get_settings().cookie_name)
    return morsel.value if morsel else None


def authenticate(method: str, headers: Mapping[str, str], *, refresh: bool = True) -> sessions.Authenticated:
    token = session_token(headers)
    if not token:
        raise Unauthenticated("Please sign in.")
    found = sessions.authenticate(token, refresh=refresh)
    context.current().idle_expires_in = sessions.idle_expires_in(found.session)
    if method in UNSAFE_METHODS:
        sent = headers.get(CSRF_HEADER, "")
        if not sent or not same(sent, found.session.csrf_token):
            audit.record(found.principal, "request.csrf_rejected", context.current().route, outcome="denied")
            raise Forbidden("This request is missing its security token. Reload the page and try again.")
    return found


STAGES_ADMITTED: dict[Access, frozenset[Stage]] = {
    Access.ANY_SESSION: frozenset(Stage),
    Access.PROVING_FACTOR: frozenset({Stage.COMPLETE, Stage.VERIFY}),
    Access.SETTING_UP_FACTOR: frozenset({Stage.COMPLETE, Stage.SET_UP}),
}


def admit_stage(found: sessions.Authenticated, access: Access) -> None:
    """A session still waiting for its second factor (or for setting one up) may call only the routes that declare
    so; every other route is refused — 403 with a problem type the page acts on — and the refusal is audited."""
    stage = found.second_factor.stage
    if stage in STAGES_ADMITTED.get(access, frozenset({Stage.COMPLETE})):
        return
    route = context.current().route
    if stage is Stage.VERIFY:
        audit.record(found.principal, "request.second_factor_required", route, outcome="denied")
        raise SecondFactorRequired("Confirm it's you with your authenticator app, a passkey or a recovery code first.")
    audit.record(found.principal, "request.second_factor_set_up_required", route, outcome="denied")
    raise SecondFactorSetUpRequired("Your practice requires a second factor. Set one up to continue.")


def admit(principal: Principal, access: Access, feature: Feature | None) -> None:
    if not admits(principal, access):
        deny(principal, "Your role does not allow this.")
    if feature is not None:
        gate(principal, feature)


def admits(principal: Principal, access: Access) -> bool:
    if access in {Access.SIGNED_IN, Access.ANY_SESSION, Access.PROVING_FACTOR, Access.SETTING_UP_FACTOR}:
        return True
    if access is Access.CLIENT:
        return isinstance(principal, ClientPrincipal)
    if not isinstance(principal, StaffPrincipal):
        return False
    if access is Access.INVITER:
        return principal.may_invite_clients
    if access is Access.ADMINISTRATOR:
        return principal.is_administrator
    return access is Access.STAFF


def gate(principal: Principal, feature: Feature) -> None:
    """The one feature gate: the practice's switch for everyone, and a seat for staff on seat features."""
    title = FEATURE_TITLES[feature]
    if not principal.practice.switched_on(feature):
        audit.record(principal, "request.feature_disabled", context.current().route, outcome="denied")
        raise FeatureDisabled(f"{title} is turned off for your practice.")
    if isinstance(principal, StaffPrincipal) and feature in SEAT_FEATURES and not principal.practice.seated(principal.id):
        audit.record(principal, "request.seat_required", context.current().route, outcome="denied")
        raise SeatRequired(f"{title} needs a seat on the portal subscription. Ask your administrator to add you.")


def deny(principal: Principal, message: str) -> NoReturn:
    audit.record(principal, "request.denied", context.current().route, outcome="denied")
    raise Forbidden(message)
