"""Seed the demo practice through the same services people use. Idempotent: a second run changes nothing.

Set-password links are taken from the mail the services send (captured here instead of going to SES), then
redeemed exactly as a person following the link would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from chalicelib.adapters.mail import SentMail, use_mailer
from chalicelib.auth import sessions
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.auth.sessions import SignedIn
from chalicelib.errors import NotFound
from chalicelib.services import authentication, client_invitations, clients, organizations, staff, subscription
from chalicelib.services.messaging import conversations, sending
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
    date_of_birth: str | None = None
    phone: str | None = None
    # Invited this many days before the seed ran: the dashboards show an expired invitation and overdue paperwork.
    invited_days_ago: int = 0


CLIENTS = (
    # Jordan's record has a date of birth and a phone: the open intake questionnaire comes pre-filled with them.
    DemoClient("Jordan Lee", "Jo", "jordan@demo.test", "therapist@demo.test", "active", "1990-04-12", "+1 555 010 0142"),
    DemoClient("Sam Rivera", None, "sam@demo.test", "therapist@demo.test", "invited"),
    DemoClient("Alex Kim", None, None, "riley@demo.test", "not_invited"),
    DemoClient("Casey Morgan", None, "casey@demo.test", "riley@demo.test", "invited", invited_days_ago=9),
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
        _seed_scheduling()  # a practice seeded before self-scheduling existed gets its demo schedule once
        _seed_branding()  # and one seeded before branding existed gets its logo and colour once
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
        _seed_branding()
        staff_ids = {person.email: _add(admin, person, mailer) for person in STAFF}
        portal_clients = [_add_client(admin, client, staff_ids[client.therapist_email], mailer) for client in CLIENTS]
        _seed_scheduling()
        _converse()
        _seed_payments(admin, next(c for c in portal_clients if c is not None))
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


def _add_client(admin: StaffPrincipal, demo: DemoClient, therapist_id: str, mailer: CapturingMailer) -> ClientPrincipal | None:
    with _days_ago(demo.invited_days_ago):
        record = clients.create_client(
            admin,
            clients.NewClient(
                name=demo.name,
                preferred_name=demo.preferred_name,
                email=demo.email,
                phone=demo.phone,
                date_of_birth=demo.date_of_birth,
                therapist_ids=[therapist_id],
            ),
        )
        if demo.portal == "not_invited" or not demo.email:
            return None
        forms = list(STANDARD_FORM_IDS) if demo.portal in {"active", "invited"} else []
        client_invitations.invite_client(admin, record.id, client_invitations.InvitationRequest(form_ids=forms))
    if demo.portal == "active":
        client = _principal(authentication.redeem_link(mailer.token_for(demo.email), DEMO_PASSWORD))
        assert isinstance(client, ClientPrincipal)
        _complete_paperwork(client)
        return client
    return None


@contextmanager
def _days_ago(days: int) -> Iterator[None]:
    """Run the services as if ``days`` ago (the clock every service reads), then return to the present — or to a
    test's frozen clock."""
    from chalicelib import clock

    if not days:
        yield
        return
    with clock.set_back_to(clock.now() - timedelta(days=days)):
        yield


# Jordan and Theo's secure messages; Jordan's last one is still unread when Theo signs in.
CONVERSATION = (
    ("client", "Hi Theo, could we move my next session to the afternoon?"),
    ("staff", "Of course. Would 3 pm work for you?"),
    ("client", "3 pm is perfect. Thank you!"),
)


def _converse() -> None:
    theo = _signed_in(STAFF[0].email)
    jordan = _signed_in(str(CLIENTS[0].email))
    assert isinstance(theo, StaffPrincipal) and isinstance(jordan, ClientPrincipal)
    for side, text in CONVERSATION:
        if side == "client":
            sending.client_send(jordan, text, [])
        else:
            conversations.staff_conversation(theo, jordan.id)  # Theo reads what Jordan wrote, then answers
            sending.staff_send(theo, jordan.id, text, [])
            conversations.client_conversation(jordan)


def _signed_in(email: str) -> Principal:
    return _principal(authentication.sign_in(DEMO_SLUG, email, DEMO_PASSWORD))


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


# -------------------------------------------------------------------------------------------------- branding

DEMO_ACCENT = "#0f766e"  # a teal with 5.5:1 against white
DEMO_LOGO = Path(__file__).resolve().parent / "demo" / "logo.png"


def _seed_branding() -> None:
    """The demo practice's teal and its logo, set as its administrator would (the logo uploaded, checked by its
    bytes, then used). Once: a practice that has either keeps what it has."""
    from chalicelib.adapters.storage import get_storage
    from chalicelib.services import branding
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import EmailClaim, Login
    from chalicelib.tables.base import get_or_none
    from chalicelib.tables.files import Upload
    from chalicelib.tables.organizations import Organization, SlugClaim

    claim = get_or_none(SlugClaim, keys.slug_pk(DEMO_SLUG), "SLUG")
    if claim is None:
        return
    pk = keys.org_pk(claim.org_id)
    org = Organization.get(pk, keys.ORGANIZATION_SK, consistent_read=True)
    admin_claim = get_or_none(EmailClaim, pk, keys.email_sk(ADMINISTRATOR.email))
    if org.accent_color or org.logo_key or admin_claim is None:
        return
    admin = sessions.principal_for(org, Login.get(pk, keys.account_sk(admin_claim.account_id)))
    assert isinstance(admin, StaffPrincipal)
    organizations.update_settings(admin, organizations.SettingsChange(version=int(org.version or 0), accent_color=DEMO_ACCENT))
    logo = DEMO_LOGO.read_bytes()
    ticket = branding.start_logo_upload(admin, content_type="image/png", size=len(logo), filename="logo.png")
    # What the browser's presigned POST does: the bytes land under the upload's key.
    record = Upload.get(pk, keys.upload_sk(ticket.upload_id), consistent_read=True)
    get_storage().put(record.key, logo, "image/png")
    branding.set_logo(admin, ticket.upload_id)


# ------------------------------------------------------------------------------------------------ scheduling

DEMO_POLICY = "Cancellations less than 24 hours ahead are charged in full, unless there is an emergency."


def _seed_scheduling() -> None:
    """Theo takes bookings on weekdays; Jordan has two confirmed appointments and one request waiting. Once only."""
    from chalicelib.domain.scheduling import Service
    from chalicelib.services.scheduling import appointments, booking, settings
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import EmailClaim, Login
    from chalicelib.tables.base import get_or_none
    from chalicelib.tables.organizations import Organization, SlugClaim
    from chalicelib.tables.scheduling import Schedule

    claim = get_or_none(SlugClaim, keys.slug_pk(DEMO_SLUG), "SLUG")
    if claim is None:
        return
    pk = keys.org_pk(claim.org_id)
    theo_claim = get_or_none(EmailClaim, pk, keys.email_sk("therapist@demo.test"))
    jordan_claim = get_or_none(EmailClaim, pk, keys.email_sk("jordan@demo.test"))
    if theo_claim is None or jordan_claim is None or get_or_none(Schedule, pk, keys.schedule_sk(theo_claim.account_id)) is not None:
        return
    org = Organization.get(pk, keys.ORGANIZATION_SK)
    theo = sessions.principal_for(org, Login.get(pk, keys.account_sk(theo_claim.account_id)))
    jordan = sessions.principal_for(org, Login.get(pk, keys.account_sk(jordan_claim.account_id)))
    assert isinstance(theo, StaffPrincipal) and isinstance(jordan, ClientPrincipal)
    base = settings.defaults(theo.id, org.time_zone)
    services = (
        Service("", "Individual session", 50, 15000, "telehealth"),
        Service("", "Individual session (in person)", 50, 15000, "in_person"),
    )
    wanted = replace(base, booking_enabled=True, services=services, late_cancel_policy=DEMO_POLICY)
    saved = settings.save_settings(theo, settings.SettingsChange(version=0, settings=wanted))
    service = saved.services[0]
    free = list(booking.list_slots(jordan, theo.id, service.id, None, 14).starts)
    if len(free) < 12:
        return
    for start in (free[1], free[6]):
        appointments.create(theo, jordan.id, appointments.NewAppointment(start=start, service_id=service.id))
    booking.book(jordan, theo.id, service.id, free[11])
    _attended_last_week(theo, jordan, service.id)
    _later_today(theo, jordan.id, service.id, org.time_zone)


def _attended_last_week(theo: StaffPrincipal, jordan: ClientPrincipal, service_id: str) -> None:
    """A session Jordan attended a week ago, not invoiced yet: "New invoice" offers to bill it. Made as Theo would
    have made it then (the clock set back for the booking), then marked attended now."""
    from chalicelib import clock
    from chalicelib.services.scheduling import appointments

    now = clock.now()
    start = (now - timedelta(days=7)).replace(hour=16, minute=0, second=0, microsecond=0)
    with clock.set_back_to(start - timedelta(days=1)):
        made = appointments.create(theo, jordan.id, appointments.NewAppointment(start=start, service_id=service_id))
    appointments.record_outcome(theo, jordan.id, made.id, "attended")


def _later_today(theo: StaffPrincipal, client_id: str, service_id: str, time_zone: str) -> None:
    """An appointment later today, when the day has room left, so the dashboards show today's schedule."""
    from zoneinfo import ZoneInfo

    from chalicelib import clock
    from chalicelib.errors import DomainError
    from chalicelib.services.scheduling import appointments

    now = clock.now()
    start = (now + timedelta(minutes=90)).replace(second=0, microsecond=0)
    start += timedelta(minutes=-start.minute % 15)
    zone = ZoneInfo(time_zone)
    if start.astimezone(zone).date() != now.astimezone(zone).date() or (start + timedelta(minutes=50)).astimezone(zone).hour == 0:
        return
    try:
        appointments.create(theo, client_id, appointments.NewAppointment(start=start, service_id=service_id))
    except DomainError:
        return  # that time is taken: the day's schedule has something already


# ------------------------------------------------------------------------------------------------- payments

# The demo practice's keys at the embedded fake Stripe server (test-mode shapes; they open nothing anywhere else).
DEMO_STRIPE_SECRET_KEY = "sk_test_demo_practice_local"
DEMO_STRIPE_PUBLISHABLE_KEY = "pk_test_demo_practice_local"
DEMO_STRIPE_WEBHOOK_SECRET = "whsec_demo_practice_local"


def _seed_payments(admin: StaffPrincipal, jordan: ClientPrincipal) -> None:
    """Jordan Lee has one paid and one open invoice. Only against the embedded fake Stripe server: a stage with real
    keys never gets demo payments."""
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.config import get_settings
    from chalicelib.domain.payments import InvoiceLine
    from chalicelib.handlers.api import claim_event
    from chalicelib.services.payments import connection, events, invoices, paying
    from scripts import fake_stripe

    api_base = get_settings().stripe_api_base
    if not api_base:
        return
    connection.connect(
        admin,
        connection.ConnectionChange(DEMO_STRIPE_SECRET_KEY, DEMO_STRIPE_PUBLISHABLE_KEY, DEMO_STRIPE_WEBHOOK_SECRET, True, "usd"),
    )
    today = clock.now().date()
    paid = invoices.create(
        admin,
        jordan.id,
        invoices.Draft([InvoiceLine("Individual session (50 min)", (today - timedelta(days=21)).isoformat(), 15000)], None),
    )
    invoices.issue(admin, jordan.id, paid.id)
    lines = [
        InvoiceLine("Individual session (50 min)", (today - timedelta(days=7)).isoformat(), 15000),
        InvoiceLine("Treatment plan review", (today - timedelta(days=7)).isoformat(), 4500),
    ]
    unpaid = invoices.create(admin, jordan.id, invoices.Draft(lines, "Thank you. Payment is due within 30 days."))
    invoices.issue(admin, jordan.id, unpaid.id)

    # Jordan pays the first by card: the card step the fake Stripe.js does in the browser, then the portal's own pay.
    setup = paying.card_setup(jordan, paid.id)
    method = fake_stripe.confirm_card_setup(api_base, setup.client_secret, DEMO_STRIPE_PUBLISHABLE_KEY)
    outcome = paying.pay(jordan, paid.id, paying.PayRequest(15000, method))
    # Stripe's own event arrives once the app serves requests; the demo should not wait for it, so the same event
    # (the PaymentIntent as the fake server has it, signed with the practice's secret) is delivered here.
    intent_id = _intent_of(jordan, paid.id, outcome.payment.id)
    headers, body = fake_stripe.signed_event(
        DEMO_STRIPE_WEBHOOK_SECRET,
        events.SUCCEEDED,
        fake_stripe.intent(api_base, intent_id, DEMO_STRIPE_SECRET_KEY),
        event_id=f"evt_seed_{outcome.payment.id}",
        at=int(clock.now().timestamp()),
    )
    delivery = events.read_and_verify(headers, body)
    from chalicelib.handlers.api import VerifiedEvent

    verified = VerifiedEvent(delivery.event.id, delivery.event.type, {}, jordan.org_id)
    events.process(delivery, lambda tx: claim_event(tx, events.SOURCE, verified))


def _intent_of(jordan: ClientPrincipal, invoice_id: str, payment_id: str) -> str:
    from chalicelib.tables import keys
    from chalicelib.tables.payments import PaymentItem

    item = PaymentItem.get(keys.org_pk(jordan.org_id), keys.payment_sk(jordan.id, invoice_id, payment_id), consistent_read=True)
    return str(item.intent_id)
