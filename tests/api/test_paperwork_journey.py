"""Intake paperwork through the API: send → save → consent → sign → signed PDF in S3 → staff download."""

from __future__ import annotations

import io
import urllib.request
from typing import Any

from pypdf import PdfReader

from chalicelib.tables.intake import FormRequest
from tests.conftest import Browser, Practice

CLIENT_PASSWORD = "harbor lights at dusk"
INTAKE = "std-intake-questionnaire"
CONSENT = "std-informed-consent"
PRIVACY = "std-privacy-notice"


def active_client(practice: Practice) -> tuple[Browser, Browser, str]:
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    client_id = therapist.post("/api/clients", {"name": "Jordan Lee", "email": "jordan@example.test"}).json["id"]
    assert therapist.post(f"/api/clients/{client_id}/invitation", {"form_ids": []}).status == 200
    person = practice.new_browser()
    token = practice.mailbox.token_for("jordan@example.test")
    assert person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200
    return therapist, person, client_id


def full_intake_answers() -> dict[str, Any]:
    return {
        "legal_name": "Jordan Lee",
        "date_of_birth": "1990-04-12",
        "phone": "+1 555 010 0100",
        "email": "jordan@example.test",
        "address": "1 Harbor Way\nSpringfield",
        "emergency_name": "Casey Lee",
        "emergency_relationship": "Sibling",
        "emergency_phone": "+1 555 010 0101",
        "reason_now": "Trouble sleeping since a move.",
        "prior_therapy": False,
        "hospitalized": False,
        "takes_medications": True,
        "medications": "Melatonin 3 mg",
        "payment": "Self-pay",
    }


def test_a_client_completes_and_signs_the_intake_and_staff_open_the_signed_pdf(practice: Practice) -> None:
    # Given an active client and the three standard forms sent to them
    therapist, person, client_id = active_client(practice)
    sent = therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [INTAKE, CONSENT, PRIVACY]})
    assert sent.status == 201, sent.json
    intake_id = next(r["id"] for r in sent.json["items"] if r["form_id"] == INTAKE)
    assert [r["status"] for r in person.get("/api/portal/form-requests").json["items"]] == ["pending"] * 3

    # When the client opens the intake and saves part of it
    opened = person.get(f"/api/portal/form-requests/{intake_id}")
    assert opened.status == 200, opened.json
    assert opened.json["definition"]["title"] == "Standard Intake Questionnaire"
    partial = {"legal_name": "Jordan Lee", "takes_medications": True}
    assert person.put(f"/api/portal/form-requests/{intake_id}/answers", {"answers": partial}).json["status"] == "in_progress"

    # Then signing an incomplete form, or signing without consent, is refused by the server
    incomplete = person.post(f"/api/portal/form-requests/{intake_id}/signature", {"full_name": "Jordan Lee", "attested": True})
    assert incomplete.status == 422
    assert any(e["field"] == "answers.medications" for e in incomplete.json["errors"])
    person.put(f"/api/portal/form-requests/{intake_id}/answers", {"answers": full_intake_answers()})
    unsigned = person.post(f"/api/portal/form-requests/{intake_id}/signature", {"full_name": "Jordan Lee", "attested": True})
    assert unsigned.status == 422 and unsigned.json["errors"][0]["field"] == "consent"

    # When they consent to sign electronically and sign
    version = opened.json["disclosure"]["version"]
    assert person.post(f"/api/portal/form-requests/{intake_id}/consent", {"disclosure_version": version, "agree": True}).status == 200
    signed = person.post(f"/api/portal/form-requests/{intake_id}/signature", {"full_name": "Jordan A. Lee", "attested": True})

    # Then the request is completed, immutable, and its PDF is stored with its hash
    assert signed.status == 200, signed.json
    assert signed.json["status"] == "completed"
    again = person.put(f"/api/portal/form-requests/{intake_id}/answers", {"answers": {"legal_name": "Changed"}})
    assert again.status == 409
    stored = next(r for r in FormRequest.query(f"ORG#{practice.org_id}") if r.id == intake_id)
    assert stored.document_key and stored.document_sha256 and stored.content_sha256

    # And the assigned therapist is told, without PHI
    [notice] = practice.mailbox.to("theo@harbor.test")[-1:]
    assert "completed paperwork" in notice["subject"] and "Jordan" not in notice["body"]

    # When the therapist opens General Documents and downloads the signed PDF
    documents = therapist.get(f"/api/clients/{client_id}/documents").json["items"]
    assert [d["id"] for d in documents] == [intake_id]
    link = therapist.get(f"/api/clients/{client_id}/documents/{intake_id}/download")
    assert link.status == 200, link.json
    pdf = urllib.request.urlopen(link.json["url"]).read()

    # Then it is a valid PDF with the answers, the typed signature and the signing certificate
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Standard Intake Questionnaire" in text
    assert "Melatonin 3 mg" in text
    assert "/s/ Jordan A. Lee" in text
    assert "Signing certificate" in text and stored.content_sha256 in text
    assert "jordan@example.test" in text


def test_forms_chosen_in_the_invitation_wait_on_the_new_clients_home(practice: Practice) -> None:
    # Given a client invited with the consent and privacy forms
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    client_id = therapist.post("/api/clients", {"name": "Sam Rivera", "email": "sam@example.test"}).json["id"]
    invited = therapist.post(f"/api/clients/{client_id}/invitation", {"form_ids": [CONSENT, PRIVACY]})
    assert invited.status == 200, invited.json
    assert invited.json["portal"]["form_ids"] == [CONSENT, PRIVACY]

    # When the client creates their account
    person = practice.new_browser()
    token = practice.mailbox.token_for("sam@example.test")
    assert person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200

    # Then both forms are pending on their home, and staff see them as not started
    pending = person.get("/api/portal/home").json["pending"]
    assert [p["title"] for p in pending] == ["Informed Consent for Psychotherapy", "Notice of Privacy Practices"]
    statuses = [r["status"] for r in therapist.get(f"/api/clients/{client_id}/form-requests").json["items"]]
    assert statuses == ["pending", "pending"]


def test_pending_paperwork_is_reminded_after_the_configured_days_and_never_after_signing(frozen_clock: None, practice: Practice) -> None:
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.services.paperwork.reminders import send_due_reminders as run_reminders

    def send_due_reminders() -> int:
        return run_reminders().reminded

    # Given the privacy notice sent to an active client
    therapist, person, client_id = active_client(practice)
    sent = therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY]}).json["items"][0]
    mails = len(practice.mailbox.to("jordan@example.test"))

    # When the reminder job runs before the reminder is due, nothing goes out
    clock.advance(timedelta(days=2))
    assert send_due_reminders() == 0

    # When it runs after three days, the client is reminded once (no PHI in the mail)
    clock.advance(timedelta(days=1, minutes=1))
    assert send_due_reminders() == 1
    reminder = practice.mailbox.to("jordan@example.test")[-1]
    assert len(practice.mailbox.to("jordan@example.test")) == mails + 1
    assert "Reminder" in reminder["subject"] and "Privacy" not in reminder["body"]
    assert send_due_reminders() == 0  # the next one is three days later

    # When the client signs in again and signs, no reminder follows
    person = practice.new_browser()
    signed_in = person.post(f"/api/orgs/{practice.slug}/sign-in", {"email": "jordan@example.test", "password": CLIENT_PASSWORD})
    assert signed_in.status == 200
    version = person.get(f"/api/portal/form-requests/{sent['id']}").json["disclosure"]["version"]
    person.post(f"/api/portal/form-requests/{sent['id']}/consent", {"disclosure_version": version, "agree": True})
    signed = person.post(
        f"/api/portal/form-requests/{sent['id']}/signature",
        {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}},
    )
    assert signed.status == 200, signed.json
    clock.advance(timedelta(days=10))
    assert send_due_reminders() == 0


def test_administrators_reorder_and_retire_standard_forms(practice: Practice) -> None:
    # Given the three standard forms in their default order
    ids = [f["id"] for f in practice.admin.get("/api/forms").json["items"]]
    assert ids == [INTAKE, CONSENT, PRIVACY]

    # When the administrator puts the privacy notice first and retires the consent form
    reordered = practice.admin.put("/api/form-order", {"form_ids": [PRIVACY, INTAKE, CONSENT]})
    retired = practice.admin.post(f"/api/forms/{CONSENT}/retire")

    # Then the order and status hold, and a retired form cannot be sent
    assert reordered.status == 200, reordered.json
    assert retired.status == 200 and retired.json["status"] == "retired"
    forms = practice.admin.get("/api/forms").json["items"]
    assert [f["id"] for f in forms] == [PRIVACY, INTAKE, CONSENT]
    client_id = practice.admin.post("/api/clients", {"name": "Sam Rivera", "email": "sam@example.test"}).json["id"]
    refused = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [CONSENT]})
    assert refused.status == 422
    assert practice.admin.post(f"/api/forms/{CONSENT}/restore").json["status"] == "active"
    assert practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [CONSENT]}).status == 201


def test_editing_a_form_makes_a_new_version_and_sent_requests_keep_theirs(practice: Practice) -> None:
    # Given the practice's own copy of the privacy notice, sent to a client
    copy = practice.admin.post("/api/forms", {"copy_of": PRIVACY}).json
    assert copy["current_version"] == 1 and not copy["standard"] and copy["status"] == "draft"
    copy = practice.admin.post(f"/api/forms/{copy['id']}/restore").json
    _, person, client_id = active_client(practice)
    sent = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [copy["id"]]}).json["items"][0]

    # When the administrator edits it
    form = practice.admin.get(f"/api/forms/{copy['id']}").json
    definition = form["definition"]
    definition["fields"].insert(
        0, {"id": "preferred_contact", "type": "single_choice", "label": "Contact me by", "options": ["Phone", "Email"]}
    )
    edited = practice.admin.put(f"/api/forms/{copy['id']}", {"head_version": copy["head_version"], "definition": definition})

    # Then it is version 2, the request already sent keeps version 1, and a new request gets version 2
    assert edited.status == 200, edited.json
    assert edited.json["current_version"] == 2
    opened = person.get(f"/api/portal/form-requests/{sent['id']}").json
    assert opened["request"]["form_version"] == 1
    assert "preferred_contact" not in [f["id"] for f in opened["definition"]["fields"]]
    other_client = practice.admin.post("/api/clients", {"name": "Sam Rivera", "email": "sam@example.test"}).json["id"]
    again = practice.admin.post(f"/api/clients/{other_client}/form-requests", {"form_ids": [copy["id"]]}).json["items"][0]
    assert again["form_version"] == 2
    # And a stale edit or an edit of a standard form is refused
    stale = practice.admin.put(f"/api/forms/{copy['id']}", {"head_version": copy["head_version"], "definition": definition})
    assert stale.status == 409
    assert practice.admin.put(f"/api/forms/{PRIVACY}", {"head_version": 0, "definition": definition}).status == 409


def test_a_form_already_waiting_is_not_sent_twice(practice: Practice) -> None:
    # Given the privacy notice waiting for a client
    therapist, _, client_id = active_client(practice)
    assert therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY]}).status == 201

    # When it is sent again, alone or with another form
    again = therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY]})
    mixed = therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY, CONSENT]})

    # Then the repeat is refused, only the new form is added, and the client has one of each
    assert again.status == 409
    assert mixed.status == 201 and [r["form_id"] for r in mixed.json["items"]] == [CONSENT]
    titles = [r["form_id"] for r in therapist.get(f"/api/clients/{client_id}/form-requests").json["items"]]
    assert sorted(titles) == sorted([PRIVACY, CONSENT])
