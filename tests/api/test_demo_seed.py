from __future__ import annotations

from chalicelib.config import Settings
from chalicelib.services.organizations import org_id_for_slug
from chalicelib.tables.accounts import ClientRecord, StaffMember
from chalicelib.tables.audit import AuditEvent
from chalicelib.tables.keys import org_pk
from chalicelib.tables.organizations import Organization
from scripts.seed import ADMINISTRATOR, CLIENTS, DEMO_PASSWORD, DEMO_SLUG, STAFF, seed_demo
from tests.conftest import Browser


def _snapshot(org_id: str) -> tuple[list[tuple[str, str, bool]], int, int]:
    staff = sorted((m.email, m.status, bool(m.subscribed)) for m in StaffMember.query(org_pk(org_id), StaffMember.sk.startswith("STAFF#")))
    org = Organization.get(f"ORG#{org_id}", "ORG")
    events = sum(1 for _ in AuditEvent.query(f"ORG#{org_id}"))
    return staff, int(org.version), events


def test_seeding_twice_changes_nothing(settings: Settings) -> None:
    # Given the demo practice was seeded
    assert seed_demo() is True
    org_id = org_id_for_slug(DEMO_SLUG).org_id
    before = _snapshot(org_id)

    # When the seed runs again
    assert seed_demo() is False

    # Then nothing changed: same staff, same organization version, no new audit events
    assert _snapshot(org_id) == before
    assert {email for email, _, _ in before[0]} == {ADMINISTRATOR.email, *(p.email for p in STAFF)}


def test_demo_sign_ins_work(settings: Settings, browser: Browser) -> None:
    seed_demo()
    for person in (ADMINISTRATOR, *(p for p in STAFF if p.sets_password)):
        response = Browser(browser.client).post(f"/api/orgs/{DEMO_SLUG}/sign-in", {"email": person.email, "password": DEMO_PASSWORD})
        assert response.status == 200, (person.email, response.json)
        assert response.json["principal"]["role"] == person.role


def test_demo_includes_invited_and_active_clients(settings: Settings, browser: Browser) -> None:
    # Given the demo practice
    seed_demo()
    org_id = org_id_for_slug(DEMO_SLUG).org_id

    # Then its clients have the portal states the demo promises
    stored = {c.name: c.status for c in ClientRecord.query(org_pk(org_id), ClientRecord.sk.startswith("CLIENT#"))}
    assert stored == {c.name: c.portal for c in CLIENTS}
    assert {"invited", "active"} <= set(stored.values())

    # And the active client can sign in to the portal
    active = next(c for c in CLIENTS if c.portal == "active")
    response = Browser(browser.client).post(f"/api/orgs/{DEMO_SLUG}/sign-in", {"email": active.email, "password": DEMO_PASSWORD})
    assert response.status == 200, response.json
    assert response.json["principal"]["kind"] == "client"


def test_the_active_demo_client_has_signed_forms_whose_pdfs_open(settings: Settings, browser: Browser) -> None:
    import io
    import urllib.request

    from pypdf import PdfReader

    # Given the demo practice, with Theo (Jordan's therapist) signed in
    seed_demo()
    theo = Browser(browser.client)
    assert theo.post(f"/api/orgs/{DEMO_SLUG}/sign-in", {"email": "therapist@demo.test", "password": DEMO_PASSWORD}).status == 200
    jordan = next(c for c in theo.get("/api/clients").json["items"] if c["name"] == "Jordan Lee")

    # When Theo opens Jordan's General Documents
    documents = theo.get(f"/api/clients/{jordan['id']}/documents").json["items"]

    # Then the consent and privacy forms are there, signed, and each PDF opens with the signature in it
    assert sorted(d["title"] for d in documents) == ["Informed Consent for Psychotherapy", "Notice of Privacy Practices"]
    for document in documents:
        link = theo.get(f"/api/clients/{jordan['id']}/documents/{document['id']}/download").json["url"]
        pdf = PdfReader(io.BytesIO(urllib.request.urlopen(link).read()))
        assert "/s/ Jordan Lee" in "\n".join(page.extract_text() for page in pdf.pages)


def test_theo_takes_bookings_and_jordan_has_appointments_one_pending(settings: Settings, browser: Browser) -> None:
    # Given the demo practice
    seed_demo()

    # When Theo signs in and looks at his schedule
    theo = Browser(browser.client)
    assert theo.post(f"/api/orgs/{DEMO_SLUG}/sign-in", {"email": "therapist@demo.test", "password": DEMO_PASSWORD}).status == 200
    booking = theo.get("/api/scheduling/settings").json
    requests = theo.get("/api/scheduling/requests").json["items"]

    # Then he takes bookings on weekdays, and Jordan's request waits for him among his appointments (one attended)
    assert booking["booking_enabled"] and booking["services"] and len(booking["weekly"]) == 5
    assert [r["client_name"] for r in requests] == ["Jordan Lee"]
    jordan = Browser(browser.client)
    assert jordan.post(f"/api/orgs/{DEMO_SLUG}/sign-in", {"email": "jordan@demo.test", "password": DEMO_PASSWORD}).status == 200
    statuses = sorted(a["status"] for a in jordan.get("/api/portal/appointments").json["items"])
    # (plus one later today when the day still has room at seeding time: the dashboards' "today")
    assert statuses in (["attended", "confirmed", "confirmed", "pending"], ["attended", "confirmed", "confirmed", "confirmed", "pending"])
    # And last week's attended session is waiting to be invoiced
    jordan_id = next(c["id"] for c in theo.get("/api/clients").json["items"] if c["name"] == "Jordan Lee")
    billable = theo.get(f"/api/clients/{jordan_id}/billable-appointments").json["items"]
    assert [(b["status"], b["price_cents"]) for b in billable] == [("attended", 15000)]


def test_jordan_and_theo_have_a_short_conversation_with_one_unread_message(settings: Settings, browser: Browser) -> None:
    # Given the demo practice
    seed_demo()

    # When Theo signs in
    theo = Browser(browser.client)
    assert theo.post(f"/api/orgs/{DEMO_SLUG}/sign-in", {"email": "therapist@demo.test", "password": DEMO_PASSWORD}).status == 200

    # Then one message from Jordan waits for him, in a short conversation
    assert theo.get("/api/messages/poll").json["unread"] == 1
    inbox = theo.get("/api/messages/inbox").json["items"]
    assert [(i["client_name"], i["unread"]) for i in inbox] == [("Jordan Lee", 1)]
    conversation = theo.get(f"/api/clients/{inbox[0]['client_id']}/conversation").json["items"]
    assert [m["sender_kind"] for m in conversation] == ["client", "staff", "client"]
    assert conversation[1]["seen"] is True  # Jordan read Theo's answer


def test_the_demo_practice_has_its_logo_and_accent_colour(settings: Settings, browser: Browser) -> None:
    import urllib.request

    from scripts.seed import DEMO_ACCENT, DEMO_LOGO

    # Given the demo practice
    seed_demo()

    # When a visitor opens its sign-in page
    profile = Browser(browser.client).get(f"/api/orgs/{DEMO_SLUG}").json

    # Then it is branded: its teal, and its logo served from the app's origin
    assert profile["accent_color"] == DEMO_ACCENT
    redirect = Browser(browser.client).get(profile["logo_url"])
    assert redirect.status == 302
    with urllib.request.urlopen(redirect.headers["location"]) as logo:
        assert logo.read() == DEMO_LOGO.read_bytes()
