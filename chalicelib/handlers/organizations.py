"""Organizations: creation, the public profile behind each login link, and portal settings."""

from __future__ import annotations

from typing import Literal

from chalice.app import Request
from pydantic import Field

from chalicelib.auth.features import Feature
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.second_factor import ClientPolicy, SecurityPolicy
from chalicelib.auth.tokens import same
from chalicelib.config import get_settings, provisioning_key
from chalicelib.domain.practice import PracticeSettings
from chalicelib.errors import Forbidden
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.views import Features, StaffView, logo_url
from chalicelib.services import organizations
from chalicelib.text import Line

router = Router(__name__)


class NewOrganizationRequest(Strict):
    name: str = Field(max_length=120)
    slug: str = Field(max_length=40)
    time_zone: str = Field(max_length=64)
    admin_name: str = Field(max_length=120)
    admin_email: str = Field(max_length=254)


class OrganizationView(View):
    id: str
    name: str
    slug: str
    time_zone: str


class CreatedView(View):
    organization: OrganizationView
    administrator: StaffView
    sign_in_path: str


class PublicProfileView(View):
    name: str
    slug: str
    time_zone: str
    contact_line: str
    features: Features
    self_signup: bool
    passkey_sign_in: bool
    accent_color: str | None  # "#rrggbb", or None for the product's own colour
    logo_url: str | None  # same-origin; None when the practice has no logo


class SecurityView(View):
    """The practice's second-factor policy."""

    staff_second_factor: bool  # required for every staff member
    client_second_factor: Literal["off", "offered", "required"]
    passkey_sign_in: bool  # a passkey alone (with user verification) may sign a person in

    @classmethod
    def of(cls, policy: SecurityPolicy) -> SecurityView:
        return cls(
            staff_second_factor=policy.staff_required,
            client_second_factor=policy.clients.value,
            passkey_sign_in=policy.passkey_sign_in,
        )


class MessagingSettingsView(View):
    notice_minutes: int
    mail_subject: str
    mail_sender: str
    crisis_text: str


class SettingsView(View):
    name: str
    slug: str
    time_zone: str
    contact_line: str
    features: Features
    self_signup: bool
    messaging: MessagingSettingsView
    security: SecurityView
    accent_color: str | None
    logo_url: str | None
    version: int

    @classmethod
    def of(cls, org: PracticeSettings) -> SettingsView:
        return cls(
            name=org.name,
            slug=org.slug,
            time_zone=org.time_zone,
            contact_line=org.contact_line,
            features=Features.of(org.features),
            self_signup=org.self_signup,
            messaging=MessagingSettingsView(
                notice_minutes=org.messaging.notice_minutes,
                mail_subject=org.messaging.mail_subject,
                mail_sender=org.messaging.mail_sender,
                crisis_text=org.messaging.crisis_text,
            ),
            security=SecurityView.of(org.security),
            accent_color=org.accent_color,
            logo_url=logo_url(org.slug, org.logo_version),
            version=org.version,
        )


class MessagingChanges(Strict):
    notice_minutes: int | None = None
    mail_subject: Line | None = Field(default=None, max_length=120)
    mail_sender: Line | None = Field(default=None, max_length=60)
    crisis_text: str | None = Field(default=None, max_length=300)


class FeatureChanges(Strict):
    payments: bool | None = None
    intake_forms: bool | None = None
    self_scheduling: bool | None = None
    messaging: bool | None = None


class SecurityChanges(Strict):
    staff_second_factor: bool | None = None
    client_second_factor: Literal["off", "offered", "required"] | None = None
    passkey_sign_in: bool | None = None


class SettingsChangeRequest(Strict):
    version: int = Field(ge=0)
    name: str | None = Field(default=None, max_length=120)
    time_zone: str | None = Field(default=None, max_length=64)
    contact_line: str | None = Field(default=None, max_length=200)
    features: FeatureChanges | None = None
    self_signup: bool | None = None
    messaging: MessagingChanges | None = None
    security: SecurityChanges | None = None
    # "#rrggbb" with at least 4.5:1 contrast against white (422 otherwise, saying why); "" for the product's own.
    accent_color: str | None = Field(default=None, max_length=7)


def _may_create_organizations(request: Request) -> None:
    settings = get_settings()
    if settings.organization_signup_open:
        return
    sent = request.headers.get("x-provisioning-key", "")
    expected = provisioning_key() if sent else None  # read from Secrets Manager only when someone presents a key
    if not (expected and sent and same(sent, expected)):
        raise Forbidden("New practices are created by this deployment's operator.")


@endpoint(router, "/organizations", "POST", access=Access.ANYONE, summary="Create a practice and invite its first administrator",
          body=NewOrganizationRequest, response=CreatedView, status=201,
          note="While sign-up is open; otherwise only with the deployment's `X-Provisioning-Key` (403 without it).")  # fmt: skip
def create_organization(request: Request, body: NewOrganizationRequest) -> CreatedView:
    _may_create_organizations(request)
    created = organizations.create_organization(organizations.NewOrganization(**body.model_dump()))
    org = created.organization
    return CreatedView(
        organization=OrganizationView(id=org.id, name=org.name, slug=org.slug, time_zone=org.time_zone),
        administrator=StaffView.of(created.administrator),
        sign_in_path=f"/o/{org.slug}",
    )


@endpoint(router, "/orgs/{slug}", "GET", access=Access.ANYONE, summary="A practice's public profile", response=PublicProfileView,
          note="Public profile behind a practice's login link; no internal ids.")  # fmt: skip
def public_profile(slug: str) -> PublicProfileView:
    profile = organizations.public_profile(slug)
    return PublicProfileView(
        name=profile.name,
        slug=profile.slug,
        time_zone=profile.time_zone,
        contact_line=profile.contact_line,
        features=Features.of(profile.features),
        self_signup=profile.self_signup,
        passkey_sign_in=profile.passkey_sign_in,
        accent_color=profile.accent_color,
        logo_url=logo_url(profile.slug, profile.logo_version),
    )


@endpoint(router, "/organization/settings", "GET", access=Access.STAFF, summary="Portal settings", response=SettingsView,
          note="Own practice only; therapists may read.")  # fmt: skip
def get_settings_view(principal: StaffPrincipal) -> SettingsView:
    return SettingsView.of(organizations.portal_settings(principal))


@endpoint(router, "/organization/settings", "PATCH", access=Access.ADMINISTRATOR, summary="Change portal settings",
          body=SettingsChangeRequest, response=SettingsView,
          note=(
              "Own practice only. Changing the second-factor policy (`security`) needs the administrator's own second "
              "factor proven within 15 minutes (403 `/problems/step-up-required`)."
          ))  # fmt: skip
def update_settings(principal: StaffPrincipal, body: SettingsChangeRequest) -> SettingsView:
    features = {Feature(k): v for k, v in (body.features.model_dump() if body.features else {}).items() if v is not None}
    security = body.security or SecurityChanges()
    change = organizations.SettingsChange(
        version=body.version,
        name=body.name,
        time_zone=body.time_zone,
        contact_line=body.contact_line,
        features=features,
        self_signup=body.self_signup,
        messaging=organizations.MessagingChange(**body.messaging.model_dump()) if body.messaging else None,
        staff_second_factor=security.staff_second_factor,
        client_second_factor=ClientPolicy(security.client_second_factor) if security.client_second_factor else None,
        passkey_sign_in=security.passkey_sign_in,
        accent_color=body.accent_color,
    )
    return SettingsView.of(organizations.update_settings(principal, change))
