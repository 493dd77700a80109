"""The client side of the portal: self sign-up from the practice's page, and the signed-in client's home."""

from __future__ import annotations

from pydantic import Field

from chalicelib.auth.principals import ClientPrincipal
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.views import Features
from chalicelib.services import client_account, client_home, client_invitations
from chalicelib.text import Line

router = Router(__name__)

SIGN_UP_MESSAGE = "Thank you. Check your email for a link to create your portal account."


class SignUpRequest(Strict):
    name: Line = Field(max_length=120)
    email: Line = Field(max_length=254)


class Message(View):
    message: str


class ClientName(View):
    name: str
    preferred_name: str | None


class Practice(View):
    name: str
    slug: str
    contact_line: str


class PendingItemView(View):
    kind: str
    id: str
    title: str


class HomeView(View):
    client: ClientName
    practice: Practice
    features: Features
    pending: list[PendingItemView]
    time_zone: str = Field(description="The client's own time zone: their times are shown in it")


@endpoint(router, "/orgs/{slug}/sign-up", "POST", access=Access.ANYONE, summary="Sign up as a new client (if the practice allows)",
          body=SignUpRequest, response=Message, status=202,
          note=(
              "Only when the practice switched self sign-up on (otherwise 403 `/problems/feature-disabled`); the "
              "same 202 whatever the email; an existing client gets an invitation, never a second record."
          ))  # fmt: skip
def sign_up(slug: str, body: SignUpRequest) -> Message:
    client_invitations.self_sign_up(slug, body.name, body.email)
    return Message(message=SIGN_UP_MESSAGE)


@endpoint(router, "/portal/home", "GET", access=Access.CLIENT, summary="The signed-in client's home", response=HomeView,
          note="The signed-in client's own home only; staff are refused.")  # fmt: skip
def home(principal: ClientPrincipal) -> HomeView:
    result = client_home.home(principal)
    return HomeView(
        client=ClientName(name=result.name, preferred_name=result.preferred_name),
        practice=Practice(name=result.practice_name, slug=result.practice_slug, contact_line=result.contact_line),
        features=Features.of(result.features),
        pending=[PendingItemView(kind=p.kind, id=p.id, title=p.title) for p in result.pending],
        time_zone=principal.time_zone,
    )


class AccountChange(Strict):
    time_zone: Line = Field(max_length=64)


class AccountView(View):
    time_zone: str


@endpoint(router, "/portal/account", "PATCH", access=Access.CLIENT, summary="Change my time zone", body=AccountChange,
          response=AccountView, note="The signed-in client's own record only; audited.")  # fmt: skip
def change_account(principal: ClientPrincipal, body: AccountChange) -> AccountView:
    return AccountView(time_zone=client_account.set_time_zone(principal, body.time_zone))
