"""Sign-in, the current session, sign-out, password change and set-password links."""

from __future__ import annotations

from chalice.app import Response
from pydantic import Field

from chalicelib.auth.principals import Principal
from chalicelib.auth.sessions import Authenticated, SignedIn, keep_alive
from chalicelib.config import get_settings
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint, json_response
from chalicelib.handlers.cookies import cleared_cookie, session_cookie
from chalicelib.handlers.views import SessionView
from chalicelib.services import authentication

router = Router(__name__)


class SignInRequest(Strict):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class ResetRequest(Strict):
    email: str = Field(max_length=254)


class Message(View):
    message: str


class TokenRequest(Strict):
    token: str = Field(min_length=16, max_length=256)


class RedeemRequest(Strict):
    token: str = Field(min_length=16, max_length=256)
    password: str = Field(max_length=1024)


class LinkView(View):
    purpose: str
    email: str
    organization: dict[str, str]


class PasswordChange(Strict):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


def signed_in_response(signed_in: SignedIn) -> Response:
    """A new session: its view, and the cookie that carries it."""
    max_age = get_settings().session_absolute_seconds
    return json_response(SessionView.of(signed_in), headers={"Set-Cookie": session_cookie(signed_in.token, max_age)})


@endpoint(router, "/orgs/{slug}/sign-in", "POST", access=Access.ANYONE, summary="Sign in", body=SignInRequest, response=SessionView,
          note=(
              "Same 401 for every wrong email or password; throttled per account and per IP (429). A person with a "
              "second factor (or one to set up) gets a session that may call only the second-factor routes until "
              "it is proven (`second_factor.stage`)."
          ))  # fmt: skip
def sign_in(slug: str, body: SignInRequest) -> Response:
    return signed_in_response(authentication.sign_in(slug, body.email, body.password))


@endpoint(router, "/orgs/{slug}/password-reset", "POST", access=Access.ANYONE, summary="Request a password reset link",
          body=ResetRequest, response=Message, status=202,
          note="Same 202 whether or not the email has an account; works for staff and clients.")  # fmt: skip
def request_password_reset(slug: str, body: ResetRequest) -> Message:
    authentication.request_password_reset(slug, body.email)
    return Message(message="If that email belongs to an account here, we sent it a link to choose a new password.")


@endpoint(router, "/password-tokens/inspect", "POST", access=Access.ANYONE, summary="Describe a set-password link",
          body=TokenRequest, response=LinkView,
          note=(
              "Possession of a live set-password link (staff or client invitation, reset) is the authorization; 410 "
              "otherwise."
          ))  # fmt: skip
def inspect_token(body: TokenRequest) -> LinkView:
    link = authentication.inspect_link(body.token)
    return LinkView(purpose=link.purpose, email=link.email, organization={"name": link.org_name, "slug": link.org_slug})


@endpoint(router, "/password-tokens/redeem", "POST", access=Access.ANYONE, summary="Set a password from a link and sign in",
          body=RedeemRequest, response=SessionView, note="As inspect; the link is single-use.")  # fmt: skip
def redeem_token(body: RedeemRequest) -> Response:
    return signed_in_response(authentication.redeem_link(body.token, body.password))


@endpoint(router, "/session", "GET", access=Access.ANY_SESSION, summary="The current session", response=SessionView,
          note="The caller's own session only.")  # fmt: skip
def current_session(session: Authenticated) -> SessionView:
    return SessionView.of(session)


@endpoint(router, "/session/keepalive", "POST", access=Access.ANY_SESSION, summary="Keep the session alive", response=SessionView,
          note="The caller's own session only.")  # fmt: skip
def keepalive(session: Authenticated) -> SessionView:
    keep_alive(session)
    return SessionView.of(session)


@endpoint(router, "/session", "DELETE", access=Access.ANY_SESSION, summary="Sign out", status=204, note="Ends the caller's own session.")
def sign_out(principal: Principal) -> Response:
    authentication.sign_out(principal)
    return json_response(None, status=204, headers={"Set-Cookie": cleared_cookie()})


@endpoint(router, "/account/password", "POST", access=Access.SIGNED_IN, summary="Change my password", body=PasswordChange, status=204,
          note="Own account only, staff or client; needs the current password; the caller's other sessions end.")  # fmt: skip
def change_password(session: Authenticated, body: PasswordChange) -> None:
    authentication.change_password(session.principal, session.account, session.session, body.current_password, body.new_password)
