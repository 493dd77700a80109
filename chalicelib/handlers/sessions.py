"""Sign-in, the current session, sign-out, password change and set-password links."""

from __future__ import annotations

from chalice.app import Request, Response
from pydantic import Field

from chalicelib.auth import guards
from chalicelib.auth.sessions import NewSession
from chalicelib.config import get_settings
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint, json_response, parse
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


def _signed_in(session: NewSession) -> Response:
    max_age = get_settings().session_absolute_seconds
    return json_response(SessionView.of(session.record), headers={"Set-Cookie": session_cookie(session.secret, max_age)})


@endpoint(router, "/orgs/{slug}/sign-in", "POST", access=Access.ANYONE, summary="Sign in", body=SignInRequest, response=SessionView)
def sign_in(request: Request, slug: str) -> Response:
    body = parse(request, SignInRequest)
    return _signed_in(authentication.sign_in(slug, body.email, body.password))


@endpoint(router, "/orgs/{slug}/password-reset", "POST", access=Access.ANYONE, summary="Request a password reset link",
          body=ResetRequest, response=Message, status=202)  # fmt: skip
def request_password_reset(request: Request, slug: str) -> Response:
    body = parse(request, ResetRequest)
    authentication.request_password_reset(slug, body.email)
    text = "If that email belongs to an account here, we sent it a link to choose a new password."
    return json_response(Message(message=text), status=202)


@endpoint(router, "/password-tokens/inspect", "POST", access=Access.ANYONE, summary="Describe a set-password link",
          body=TokenRequest, response=LinkView)  # fmt: skip
def inspect_token(request: Request) -> Response:
    body = parse(request, TokenRequest)
    link = authentication.inspect_link(body.token)
    return json_response(LinkView(purpose=link.purpose, email=link.email, organization={"name": link.org_name, "slug": link.org_slug}))


@endpoint(router, "/password-tokens/redeem", "POST", access=Access.ANYONE, summary="Set a password from a link and sign in",
          body=RedeemRequest, response=SessionView)  # fmt: skip
def redeem_token(request: Request) -> Response:
    body = parse(request, RedeemRequest)
    return _signed_in(authentication.redeem_link(body.token, body.password))


@endpoint(router, "/session", "GET", access=Access.SIGNED_IN, summary="The current session", response=SessionView)
def current_session(request: Request) -> Response:
    return json_response(SessionView.of(guards.current_session(request)))


@endpoint(router, "/session/keepalive", "POST", access=Access.SIGNED_IN, summary="Keep the session alive", response=SessionView)
def keepalive(request: Request) -> Response:
    return json_response(SessionView.of(guards.current_session(request)))


@endpoint(router, "/session", "DELETE", access=Access.SIGNED_IN, summary="Sign out", status=204)
def sign_out(request: Request) -> Response:
    principal = guards.require_principal(request)
    authentication.sign_out(principal)
    return json_response(None, status=204, headers={"Set-Cookie": cleared_cookie()})


@endpoint(router, "/account/password", "POST", access=Access.SIGNED_IN, summary="Change my password", body=PasswordChange,
          status=204)  # fmt: skip
def change_password(request: Request) -> Response:
    principal = guards.require_principal(request)
    body = parse(request, PasswordChange)
    authentication.change_password(principal, body.current_password, body.new_password)
    return json_response(None, status=204)
