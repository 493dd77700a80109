"""Organizations (tenants) and the deployment-wide slug claims that make slugs unique."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from chalicelib.auth.features import Feature
from chalicelib.auth.second_factor import SecurityPolicy
from chalicelib.domain.messaging import MessagingPolicy
from chalicelib.domain.practice import PracticeSettings, logo_version
from chalicelib.tables.base import PortalModel

SHORT_NAME = "organizations"


class FeatureSwitches(MapAttribute[str, bool]):
    payments = BooleanAttribute(default=True)
    intake_forms = BooleanAttribute(default=True)
    self_scheduling = BooleanAttribute(default=True)
    messaging = BooleanAttribute(default=True)


class Organization(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="ORG")
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    slug = UnicodeAttribute()
    time_zone = UnicodeAttribute()
    contact_line = UnicodeAttribute(default="")
    features = FeatureSwitches(default=FeatureSwitches)
    # Lets prospective clients create a portal account from the login page (off unless an administrator allows it).
    self_signup = BooleanAttribute(default=False)
    # The second-factor policy (auth/second_factor.py: SecurityPolicy reads a missing value as the legacy default).
    staff_second_factor = BooleanAttribute(null=True)  # required for staff; on for practices created since
    client_second_factor = UnicodeAttribute(null=True)  # "off" | "offered" | "required"
    passkey_sign_in = BooleanAttribute(null=True)  # a passkey alone (with user verification) may sign in
    # Kept in the same transactions that change staff, so entitlements need one read, not a Query.
    staff_count = NumberAttribute(default=0)  # staff members not deactivated (invited or active)
    administrator_count = NumberAttribute(default=0)  # never drops below one (conditional write)
    # The administrators counted above (invited or active): who a payment notice goes to, read with the practice.
    administrator_ids = UnicodeSetAttribute(null=True)
    seat_holders = UnicodeSetAttribute(null=True)  # staff ids on the portal subscription
    # Secure messaging (absent: the defaults of chalicelib.domain.messaging): how long a message may stay unread
    # before its recipient gets a mail, that mail's subject and sender name, and the crisis text of auto-replies.
    message_notice_minutes = NumberAttribute(null=True)
    message_mail_subject = UnicodeAttribute(null=True)
    message_mail_sender = UnicodeAttribute(null=True)
    crisis_text = UnicodeAttribute(null=True)
    # Each therapist's after-hours auto-reply, {staff_id: {...}}: written through ``PracticeOfficeHours``.
    office_hours = JSONAttribute(null=True)
    office_hours_revision = NumberAttribute(null=True)
    # Branding: the accent colour (checked for contrast) is a setting; the logo is written through
    # ``PracticeBranding`` (services/branding.py), with copies on the slug claim for the public logo route.
    accent_color = UnicodeAttribute(null=True)  # "#rrggbb"; absent: the product's own blue
    logo_key = UnicodeAttribute(null=True)
    logo_type = UnicodeAttribute(null=True)  # "image/png" | "image/jpeg"
    logo_sha256 = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()


class OrganizationCounters(PortalModel):
    """The counters of the organization record, without its version: counter updates are not edits of the settings,
    and a key-only update through the versioned model would reset ``version``."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="ORG")
    staff_count = NumberAttribute(default=0)
    administrator_count = NumberAttribute(default=0)
    administrator_ids = UnicodeSetAttribute(null=True)
    seat_holders = UnicodeSetAttribute(null=True)


class PracticeOfficeHours(PortalModel):
    """The therapists' after-hours auto-replies on the organization record, without its version: a therapist saving
    their own hours is not an edit of the practice's settings. ``office_hours_revision`` guards the read-modify-write
    (the request already read the map with the practice)."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="ORG")
    office_hours = JSONAttribute(null=True)
    office_hours_revision = NumberAttribute(null=True)


class PracticeBranding(PortalModel):
    """The practice's logo on the organization record, without its version: replacing the logo is not an edit of the
    settings form (and must not make an administrator's open form stale)."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="ORG")
    logo_key = UnicodeAttribute(null=True)
    logo_type = UnicodeAttribute(null=True)
    logo_sha256 = UnicodeAttribute(null=True)


class SlugClaim(PortalModel):
    """``SLUG#{slug}`` → organization id. Written with attribute_not_exists, so a slug has one owner."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="SLUG")
    org_id = UnicodeAttribute()
    # Copies of what public entry points need, so they need no second read; changed in the same transaction.
    org_name = UnicodeAttribute()
    self_signup = BooleanAttribute(default=False)
    time_zone = UnicodeAttribute(null=True)
    # Copies of the second-factor policy: a sign-in answers with the session's stage without reading the practice.
    staff_second_factor = BooleanAttribute(null=True)
    client_second_factor = UnicodeAttribute(null=True)
    passkey_sign_in = BooleanAttribute(null=True)
    # Copies of the logo, so the public logo route is one read.
    logo_key = UnicodeAttribute(null=True)
    logo_type = UnicodeAttribute(null=True)
    logo_sha256 = UnicodeAttribute(null=True)


def settings_of(item: Organization) -> PracticeSettings:
    return PracticeSettings(
        id=item.id,
        name=item.name,
        slug=item.slug,
        time_zone=item.time_zone,
        contact_line=item.contact_line,
        features={feature: bool(getattr(item.features, feature.value)) for feature in Feature},
        self_signup=bool(item.self_signup),
        version=int(item.version or 0),
        messaging=MessagingPolicy.of(item),
        security=SecurityPolicy.of(item),
        accent_color=item.accent_color,
        logo_version=logo_version(item.logo_sha256),
    )
