"""Seed the demo practice through the same services people use. Idempotent: a second run changes nothing.

Set-password links are taken from the mail the services send (captured here instead of going to SES), then
redeemed exactly as a person following the link would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chalicelib.adapters.mail import SentMail, use_mailer
from chalicelib.auth import sessions
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.auth.sessions import SignedIn
from chalicelib.errors import NotFound
from chalicelib.services import authentication, client_invitations, clients, organizations, staff, subscription
from chalicelib.services.paperwork import filling, signing
from chalicelib.templates import RenderedMail

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-portal-2026"
# The demo administrator's authenticator app key (printed by `make run`): add it to an authenticator app to sign in.
DEMO_AUTHENTICATOR_KEY = "DEMOPRACTICEAVERYADMINKEY2345674"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    role: str
    can_invite_clients: bool = False
    subscribed: bool = False
    sets_password: bool = True


ADMINISTRATOR = DemoPerson("Avery Admin", "admin@demo.test", "administrator")


@dataclass(frozen=True)
class DemoClient:
    name: str
    preferred_name: str | None
    email: str | None
    therapist_email: str
    portal: str  # "not_invited" | "invited" | "active"


CLIENTS = (
    DemoClient("Jordan Lee", "Jo", "jordan@demo.test", "therapist@demo.test", "active"),
    DemoClient("Sam Rivera", None, "sam@demo.test", "therapist@demo.test", "invited"),
    DemoClient("Alex Kim", None, None, "riley@demo.test", "not_invited"),
)

STAFF = (
    DemoPerson("Theo Therapist", "therapist@demo.test", "therapist", can_invite_clients=True, subscribed=True),
    DemoPerson("Riley Rivera", "riley@demo.test", "therapist"),
    DemoPerson("Noor Newhire", "noor@demo.test", "therapist", sets_password=False),
)


@dataclass
class CapturingMailer:
    sent: list[tuple[str, RenderedMail]] = field(default_factory=list)

    def send(self, to: str, mail: RenderedMail) -> SentMail:
        self.sent.append((to, mail))
        return SentMail(message_id=f"captured-{len(self.sent)}")

    def token_for(self, email: str) -> str:
        for to, mail in reversed(self.sent):
            match = re.search(r"#token=([A-Za-z0-9_\-]+)", mail.text)
            if to == email and match:
                return match.group(1)
        raise LookupError(f"no set-password mail for {email}")


def seed_demo() -> bool:
    """Returns True when the demo practice was created, False when it already existed."""
    try:
        organizations.public_profile(DEMO_SLUG)
        return False
    except NotFound:
        pass
    mailer = CapturingMailer()
    use_mailer(mailer)
    try:
        created = organizations.create_organization(
            organizations.NewOrganization(
                name="Demo Practice",
                slug=DEMO_SLUG,
                time_zone="America/New_York",
                admin_name=ADMINISTRATOR.name,
                admin_email=ADMINISTRATOR.email,
            )
        )
        admin = _administrator_with_authenticator(authentication.redeem_link(mailer.token_for(ADMINISTRATOR.email), DEMO_PASSWORD))
        org = organizations.portal_settings(admin)
        # Staff stay password-only until the administrator switches the requirement on (new practices have it on).
        organizations.update_settings(
            admin,
            organizations.SettingsChange(version=org.version, contact_line="Call (555) 010-0199 to reschedule.", staff_second_factor=False),
        )
        staff_ids = {person.email: _add(admin, person, mailer) for person in STAFF}
        for client in CLIENTS:
            _add_client(admin, client, staff_ids[client.therapist_email], mailer)
        assert created.organization.slug == DEMO_SLUG
        return True
    finally:
        use_mailer(None)


def _administrator_with_authenticator(signed_in: SignedIn) -> StaffPrincipal:
    """The demo administrator sets up an authenticator app with the printed key, as the set-up screen would."""
    from chalicelib import clock
    from chalicelib.auth import totp
    from chalicelib.services.second_factor import authenticators

    found = sessions.authenticate(signed_in.token)
    authenticators.begin_set_up(found, secret=DEMO_AUTHENTICATOR_KEY)
    # The step before the current one: a person signing in right after `make run` can use the code on screen.
    authenticators.confirm_set_up(found, totp.code_at(DEMO_AUTHENTICATOR_KEY, totp.step_at(clock.now()) - 1))
    admin = sessions.authenticate(signed_in.token).principal
    assert isinstance(admin, StaffPrincipal)
    return admin


def _principal(signed_in: SignedIn) -> Principal:
    """The person a fresh session belongs to, as a request of theirs would see them."""
    return sessions.authenticate(signed_in.token).principal


def _add(admin: StaffPrincipal, person: DemoPerson, mailer: CapturingMailer) -> str:
    member = staff.invite_staff(admin, staff.NewStaff(person.name, person.email, person.role, person.can_invite_clients))
    if person.sets_password:
        authentication.redeem_link(mailer.token_for(person.email), DEMO_PASSWORD)
    if person.subscribed:
        subscription.add_seat(admin, member.id)
    return str(member.id)


def _add_client(admin: StaffPrincipal, demo: DemoClient, therapist_id: str, mailer: CapturingMailer) -> None:
    record = clients.create_client(
        admin,
        clients.NewClient(name=demo.name, preferred_name=demo.preferred_name, email=demo.email, therapist_ids=[therapist_id]),
    )
    if demo.portal == "not_invited" or not demo.email:
        return
    forms = list(STANDARD_FORM_IDS) if demo.portal in {"active", "invited"} else []
    client_invitations.invite_client(admin, record.id, client_invitations.InvitationRequest(form_ids=forms))
    if demo.portal == "active":
        client = _principal(authentication.redeem_link(mailer.token_for(demo.email), DEMO_PASSWORD))
        assert isinstance(client, ClientPrincipal)
        _complete_paperwork(client)


STANDARD_FORM_IDS = ("std-intake-questionnaire", "std-informed-consent", "std-privacy-notice")
SIGNED_ANSWERS = {
    "std-informed-consent": {"ack_read": True, "ack_questions": True, "ack_consent": True},
    "std-privacy-notice": {"ack_received": True},
}


def _complete_paperwork(client: ClientPrincipal) -> None:
    """The active demo client signed the consent and privacy forms; the intake questionnaire is still open."""
    for request in filling.my_requests(client):
        answers = SIGNED_ANSWERS.get(request.form_id)
        if answers is None:
            continue
        filling.give_consent(client, request.id, filling.DISCLOSURE_VERSION)
        signing.submit(client, request.id, signing.Signature(full_name="Jordan Lee", attested=True, answers=answers))
