"""Branding: the practice's logo (uploaded, checked by its bytes, served from the app's own origin). The display name
and the accent colour are portal settings (``PATCH /organization/settings``)."""

from __future__ import annotations

from chalice.app import Response
from pydantic import Field

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.practice import Branding
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.message_views import UploadRequest, UploadTicketView
from chalicelib.handlers.views import logo_url
from chalicelib.services import branding
from chalicelib.text import Line

router = Router(__name__)


class LogoRequest(Strict):
    upload_id: Line = Field(max_length=64)


class LogoQuery(Strict):
    # The logo's version: a new logo has a new address, so a browser may cache each one.
    v: Line | None = Field(default=None, max_length=32)


class BrandingView(View):
    accent_color: str | None
    logo_url: str | None

    @classmethod
    def of(cls, slug: str, found: Branding) -> BrandingView:
        return cls(accent_color=found.accent_color, logo_url=logo_url(slug, found.logo_version))


@endpoint(router, "/organization/logo/uploads", "POST", access=Access.ADMINISTRATOR, summary="Start uploading a logo",
          body=UploadRequest, response=UploadTicketView, status=201,
          note="Own practice only; PNG or JPEG up to 256 KB, straight to storage through a presigned POST.")  # fmt: skip
def start_logo_upload(principal: StaffPrincipal, body: UploadRequest) -> UploadTicketView:
    ticket = branding.start_logo_upload(principal, content_type=body.content_type, size=body.size, filename=body.filename)
    return UploadTicketView.of(ticket)


@endpoint(router, "/organization/logo", "PUT", access=Access.ADMINISTRATOR, summary="Use an uploaded image as the logo",
          body=LogoRequest, response=BrandingView,
          note=(
              "Own practice only; the caller's own upload, checked by its bytes (a file that is not a PNG or JPEG is "
              "refused with 422, removed and audited); used once."
          ))  # fmt: skip
def set_logo(principal: StaffPrincipal, body: LogoRequest) -> BrandingView:
    return BrandingView.of(principal.org_slug, branding.set_logo(principal, body.upload_id))


@endpoint(router, "/organization/logo", "DELETE", access=Access.ADMINISTRATOR, summary="Remove the logo", response=BrandingView,
          note="Own practice only; audited.")  # fmt: skip
def remove_logo(principal: StaffPrincipal) -> BrandingView:
    return BrandingView.of(principal.org_slug, branding.remove_logo(principal))


@endpoint(router, "/orgs/{slug}/logo", "GET", access=Access.ANYONE, summary="A practice's logo", query=LogoQuery, status=302,
          note=(
              "Public, like the sign-in page that shows it: a redirect to a five-minute link on the app's own origin; "
              "404 without a logo."
          ))  # fmt: skip
def logo(slug: str, query: LogoQuery) -> Response:
    # Every API answer is "no-store" (observability.SECURITY_HEADERS), the redirect too: each page view asks again.
    return Response(body="", status_code=302, headers={"Location": branding.logo_link(slug).url})
