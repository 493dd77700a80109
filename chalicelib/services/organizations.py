"""Organizations: creation with a unique slug and a first administrator, public profile, portal settings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pynamodb.expressions.update import Action

from chalicelib import audit, clock
from chalicelib.auth.features import Feature
from chalicelib.auth.principals import Anonymous, Role, StaffPrincipal
from chalicelib.auth.second_factor import ClientPolicy, SecurityPolicy
from chalicelib.auth.tokens import new_id
from chalicelib.domain.people import Staff
from chalicelib.domain.practice import PracticeSettings
from chalicelib.errors import Conflict, FieldError, StaleVersion, ValidationFailed
from chalicelib.services import branding, outbox, password_links, validation
from chalicelib.services.second_factor.common import require_recent_factor as step_up
from chalicelib.tables import keys
from chalicelib.tables.accounts import EmailClaim, StaffMember, staff_of
from chalicelib.tables.base import get_or_not_found, transaction
from chalicelib.tables.organizations import FeatureSwitches, Organization, SlugClaim, settings_of


@dataclass(frozen=True)
class NewOrganization:
    name: str
    slug: str
    time_zone: str
    admin_name: str
    admin_email: str


@dataclass(frozen=True)
class CreatedOrganization:
    organization: PracticeSettings
    administrator: Staff


@dataclass(frozen=True)
class SettingsChange:
    version: int
    name: str | None = None
    time_zone: str | None = None
    contact_line: str | None = None
    features: dict[Feature, bool] | None = None
    self_signup: bool | None = None
    messaging: MessagingChange | None = None
    staff_second_factor: bool | None = None
    client_second_factor: ClientPolicy | None = None
    passkey_sign_in: bool | None = None
    accent_color: str | None = None  # "" puts the product's own colour back


@dataclass(frozen=True)
class MessagingChange:
    """Secure messaging's practice settings; None leaves a value as it is."""

    notice_minutes: int | None = None
    mail_subject: str | None = None
    mail_sender: str | None = None
    crisis_text: str | None = None


SENDER_NAME = re.compile(r"^[\w .,'&()-]{1,60}$")
MAX_NOTICE_MINUTES = 24 * 60


NEW_PRACTICE_POLICY = SecurityPolicy(staff_required=True, clients=ClientPolicy.OFFERED, passkey_sign_in=True)


def create_organization(request: NewOrganization) -> CreatedOrganization:
    """Slug claim, organization, first administrator, email claim, set-password link and audit: one transaction."""
    name = validation.check_text(request.name, "name", max_length=120)
    slug = validation.check_slug(request.slug)
    time_zone = validation.check_time_zone(request.time_zone)
    admin_name = validation.check_text(request.admin_name, "admin_name", max_length=120)
    admin_email = validation.normalise_email(request.admin_email, "admin_email")
    now = clock.now()
    org_id = new_id("org")
    admin_id = new_id("stf")
    org = Organization(
        keys.org_pk(org_id),
        id=org_id,
        name=name,
        slug=slug,
        time_zone=time_zone,
        features=FeatureSwitches(),
        staff_count=1,
        administrator_count=1,
        administrator_ids={admin_id},
        seat_holders=None,
        created_at=now,
        # New practices require a second factor of their staff: the first administrator sets one up at first sign-in.
        staff_second_factor=NEW_PRACTICE_POLICY.staff_required,
        client_second_factor=NEW_PRACTICE_POLICY.clients.value,
        passkey_sign_in=NEW_PRACTICE_POLICY.passkey_sign_in,
    )
    link = password_links.issue(password_links.Purpose.STAFF_INVITE, org_id, admin_id, org_name=name, org_slug=slug)
    admin = StaffMember(
        keys.org_pk(org_id),
        keys.staff_sk(admin_id),
        org_id=org_id,
        id=admin_id,
        name=admin_name,
        email=admin_email,
        email_key=keys.email_key(org_id, admin_email),
        role=str(Role.ADMINISTRATOR),
        can_invite_clients=True,
        status="invited",
        password_token_hash=link.token_hash,
        created_at=now,
    )
    founder = Anonymous(org_id=org_id)
    taken = Conflict("That address is already taken.", [FieldError("slug", "That address is already taken.")])
    with transaction({"slug": taken}) as tx:
        tx.save(
            SlugClaim(
                keys.slug_pk(slug),
                org_id=org_id,
                org_name=name,
                time_zone=time_zone,
                staff_second_factor=NEW_PRACTICE_POLICY.staff_required,
                client_second_factor=NEW_PRACTICE_POLICY.clients.value,
                passkey_sign_in=NEW_PRACTICE_POLICY.passkey_sign_in,
            ),
            condition=SlugClaim.pk.does_not_exist(),
            label="slug",
        )
        tx.save(org, condition=Organization.pk.does_not_exist())
        tx.save(admin, condition=StaffMember.pk.does_not_exist())
        tx.save(
            EmailClaim(keys.org_pk(org_id), keys.email_sk(admin_email), account_id=admin_id, kind="staff"),
            condition=EmailClaim.pk.does_not_exist(),
        )
        tx.save(link.record)
        tx.save(audit.event(founder, "organization.create", f"organization/{org_id}"))
        mail = password_links.mail_for(link, to=admin_email, practice=name, slug=slug, time_zone=time_zone, inviter=f"{name}'s portal")
        queued = password_links.enqueue(tx, link, mail, report=True)
    admin.invitation_delivery = "sent" if outbox.send_now(queued) == "sent" else "failed"
    return CreatedOrganization(organization=settings_of(org), administrator=staff_of(admin))


@dataclass(frozen=True)
class PublicProfile:
    org_id: str
    name: str
    slug: str
    time_zone: str
    contact_line: str
    features: dict[Feature, bool]
    self_signup: bool
    passkey_sign_in: bool
    accent_color: str | None = None
    logo_version: str | None = None


def org_id_for_slug(slug: str) -> SlugClaim:
    return get_or_not_found(
        SlugClaim, keys.slug_pk(slug.lower()), keys.SLUG_SK, message="We couldn't find that practice. Check the address you were given."
    )


def public_profile(slug: str) -> PublicProfile:
    org = settings_of(load(org_id_for_slug(slug).org_id))
    return PublicProfile(
        org_id=org.id,
        name=org.name,
        slug=org.slug,
        time_zone=org.time_zone,
        contact_line=org.contact_line,
        features=org.features,
        self_signup=org.self_signup,
        passkey_sign_in=org.security.passkey_sign_in,
        accent_color=org.accent_color,
        logo_version=org.logo_version,
    )


def load(org_id: str) -> Organization:
    return get_or_not_found(Organization, keys.org_pk(org_id), keys.ORGANIZATION_SK, message="That practice no longer exists.")


def portal_settings(principal: StaffPrincipal) -> PracticeSettings:
    return settings_of(load(principal.org_id))


def update_settings(principal: StaffPrincipal, change: SettingsChange) -> PracticeSettings:
    """Optimistically locked on ``version``. The slug claim carries copies of the name, time zone and self sign-up
    switch for the public entry points, so they change in the same transaction. A refused accent colour (too little
    contrast) is audited: branding is what clients see first."""
    if change.accent_color:
        try:
            branding.check_accent(change.accent_color)
        except ValidationFailed:
            audit.record(principal, "settings.update", f"organization/{principal.org_id}#accent_color", outcome="failure")
            raise
    actions, claim_actions, changed = _settings_actions(change)
    policy_actions, policy_claim_actions, policy_changed = _policy_actions(principal.practice.security, change)
    if policy_actions:
        # Changing who must prove a second factor is a sensitive action: the administrator's own, recently.
        step_up(principal)
    actions, claim_actions, changed = actions + policy_actions, claim_actions + policy_claim_actions, changed + policy_changed
    if not actions:
        return portal_settings(principal)
    current = Organization(keys.org_pk(principal.org_id), keys.ORGANIZATION_SK, version=change.version)
    # Both conditions fail only when the record moved on: the version, or the slug claim's owner.
    stale = StaleVersion("Someone else changed these settings first. Reload to see the latest values.")
    with transaction({"unlabelled": stale}) as tx:
        tx.update(current, actions=actions, condition=Organization.pk.exists())
        if claim_actions:
            tx.update(
                SlugClaim(keys.slug_pk(principal.org_slug), keys.SLUG_SK),
                actions=claim_actions,
                condition=SlugClaim.org_id == principal.org_id,
            )
        tx.save(audit.event(principal, "settings.update", f"organization/{principal.org_id}#{','.join(changed)}"))
    return portal_settings(principal)


def _policy_actions(current: SecurityPolicy, change: SettingsChange) -> tuple[list[Action], list[Action], list[str]]:
    """The second-factor policy's changes — only values that differ from the practice's current policy (read with
    the session), so saving other settings never asks for a second factor."""
    actions: list[Action] = []
    claim_actions: list[Action] = []
    changed: list[str] = []
    if change.staff_second_factor is not None and change.staff_second_factor != current.staff_required:
        actions.append(Organization.staff_second_factor.set(change.staff_second_factor))
        claim_actions.append(SlugClaim.staff_second_factor.set(change.staff_second_factor))
        changed.append("staff_second_factor")
    if change.client_second_factor is not None and change.client_second_factor is not current.clients:
        actions.append(Organization.client_second_factor.set(change.client_second_factor.value))
        claim_actions.append(SlugClaim.client_second_factor.set(change.client_second_factor.value))
        changed.append("client_second_factor")
    if change.passkey_sign_in is not None and change.passkey_sign_in != current.passkey_sign_in:
        actions.append(Organization.passkey_sign_in.set(change.passkey_sign_in))
        claim_actions.append(SlugClaim.passkey_sign_in.set(change.passkey_sign_in))
        changed.append("passkey_sign_in")
    return actions, claim_actions, changed


def _settings_actions(change: SettingsChange) -> tuple[list[Action], list[Action], list[str]]:
    actions: list[Action] = []
    claim_actions: list[Action] = []
    changed: list[str] = []
    if change.name is not None:
        name = validation.check_text(change.name, "name", max_length=120)
        actions.append(Organization.name.set(name))
        claim_actions.append(SlugClaim.org_name.set(name))
        changed.append("name")
    if change.time_zone is not None:
        time_zone = validation.check_time_zone(change.time_zone)
        actions.append(Organization.time_zone.set(time_zone))
        claim_actions.append(SlugClaim.time_zone.set(time_zone))
        changed.append("time_zone")
    if change.contact_line is not None:
        line = validation.check_text(change.contact_line, "contact_line", max_length=200, required=False)
        actions.append(Organization.contact_line.set(line))
        changed.append("contact_line")
    if change.self_signup is not None:
        actions.append(Organization.self_signup.set(change.self_signup))
        claim_actions.append(SlugClaim.self_signup.set(change.self_signup))
        changed.append("self_signup")
    if change.accent_color is not None:
        accent = branding.check_accent(change.accent_color) if change.accent_color else None
        actions.append(Organization.accent_color.set(accent) if accent else Organization.accent_color.remove())
        changed.append("accent_color")
    for feature, enabled in (change.features or {}).items():
        actions.append(getattr(Organization.features, feature.value).set(enabled))
        changed.append(f"features.{feature.value}")
    if change.messaging is not None:
        messaging_actions, messaging_changed = _messaging_actions(change.messaging)
        actions += messaging_actions
        changed += messaging_changed
    return actions, claim_actions, changed


def _messaging_actions(change: MessagingChange) -> tuple[list[Action], list[str]]:
    """How long a message may stay unread before its recipient gets a mail, that mail's subject and sender name
    (discreet by default: they are all a shared inbox sees), and the crisis text of after-hours auto-replies."""
    actions: list[Action] = []
    if change.notice_minutes is not None:
        if not 1 <= change.notice_minutes <= MAX_NOTICE_MINUTES:
            message = f"Choose between 1 and {MAX_NOTICE_MINUTES} minutes."
            raise ValidationFailed(message, [FieldError("messaging.notice_minutes", message)])
        actions.append(Organization.message_notice_minutes.set(change.notice_minutes))
    if change.mail_subject is not None:
        actions.append(
            Organization.message_mail_subject.set(validation.check_text(change.mail_subject, "messaging.mail_subject", max_length=120))
        )
    if change.mail_sender is not None:
        sender = validation.check_text(change.mail_sender, "messaging.mail_sender", max_length=60)
        if not SENDER_NAME.match(sender):
            message = "Use letters, digits, spaces and . , ' & ( ) - only."
            raise ValidationFailed(message, [FieldError("messaging.mail_sender", message)])
        actions.append(Organization.message_mail_sender.set(sender))
    if change.crisis_text is not None:
        actions.append(Organization.crisis_text.set(validation.check_text(change.crisis_text, "messaging.crisis_text", max_length=300)))
    named = ("notice_minutes", "mail_subject", "mail_sender", "crisis_text")
    return actions, [f"messaging.{name}" for name in named if getattr(change, name) is not None]
