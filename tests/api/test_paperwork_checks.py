"""Paperwork's checks, each with a test that fails when the check is removed: audit events of every read, the hash
check before a download link, the intake switch on the reminder job, the reminder cap, one mail per packet."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib import clock
from chalicelib.adapters.storage import get_storage
from chalicelib.services.paperwork.reminders import MAX_REMINDERS, send_due_reminders
from chalicelib.tables.intake import FormRequest
from tests.api.test_paperwork_journey import CLIENT_PASSWORD, CONSENT, INTAKE, PRIVACY, active_client
from tests.conftest import Browser, Mailbox, Practice, add_client, audit_of_client, audit_trail, invite, sign_in, stored_organization

ANSWERS = {PRIVACY: {"ack_received": True}, CONSENT: {"ack_read": True, "ack_questions": True, "ack_consent": True}}


def send(therapist: Browser, client_id: str, *form_ids: str) -> list[str]:
    sent = therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": list(form_ids)})
    assert sent.status == 201, sent.json
    return [r["id"] for r in sent.json["items"]]


def sign(person: Browser, request_id: str, form_id: str) -> None:
    version = person.get(f"/api/portal/form-requests/{request_id}").json["disclosure"]["version"]
    assert person.post(f"/api/portal/form-requests/{request_id}/consent", {"disclosure_version": version, "agree": True}).status == 200
    body = {"full_name": "Jordan Lee", "attested": True, "answers": ANSWERS[form_id]}
    assert person.post(f"/api/portal/form-requests/{request_id}/signature", body).status == 200


def last_action(practice: Practice, client_id: str) -> tuple[str, str]:
    return audit_of_client(practice.org_id, client_id)[-1]


# --------------------------------------------------------------------------------------------------------- audit


def test_every_read_of_paperwork_is_audited(practice: Practice) -> None:
    # Given a signed form
    therapist, person, client_id = active_client(practice)
    [request_id] = send(therapist, client_id, PRIVACY)
    sign(person, request_id, PRIVACY)

    # Then each read writes its own event, filed under the client
    person.get(f"/api/portal/form-requests/{request_id}")
    assert last_action(practice, client_id) == ("forms.open", "success")
    person.get("/api/portal/form-requests")
    assert last_action(practice, client_id) == ("forms.list", "success")
    therapist.get(f"/api/clients/{client_id}/form-requests")
    assert last_action(practice, client_id) == ("forms.list", "success")
    therapist.get(f"/api/clients/{client_id}/documents")
    assert last_action(practice, client_id) == ("documents.list", "success")
    therapist.get(f"/api/clients/{client_id}/documents/{request_id}/download")
    assert last_action(practice, client_id) == ("documents.download", "success")
    person.get(f"/api/portal/documents/{request_id}/download")
    assert last_action(practice, client_id) == ("documents.download", "success")
    staff_reads = [e for e in audit_trail(practice.org_id) if e.subject_client_id == client_id and e.actor_role == "therapist"]
    assert {e.action for e in staff_reads} >= {"forms.list", "documents.list", "documents.download"}


def test_a_stored_document_that_changed_gets_no_link(practice: Practice) -> None:
    # Given a signed form whose stored PDF was altered afterwards
    therapist, person, client_id = active_client(practice)
    [request_id] = send(therapist, client_id, PRIVACY)
    sign(person, request_id, PRIVACY)
    stored = next(r for r in FormRequest.query(f"ORG#{practice.org_id}") if r.id == request_id)
    get_storage().put(stored.document_key, b"%PDF-1.4 altered", "application/pdf")

    # When staff or the client ask for a link
    staff = therapist.get(f"/api/clients/{client_id}/documents/{request_id}/download")
    client = person.get(f"/api/portal/documents/{request_id}/download")

    # Then no link is issued, and the failed check is audited
    assert (staff.status, client.status) == (503, 503)
    assert "url" not in (staff.json or {}) and "does not match" in staff.json["detail"]
    assert last_action(practice, client_id) == ("documents.download", "failure")


def test_an_unassigned_therapist_cannot_download(practice: Practice) -> None:
    therapist, person, client_id = active_client(practice)
    [request_id] = send(therapist, client_id, PRIVACY)
    sign(person, request_id, PRIVACY)
    other, _ = practice.add_staff("Una Unassigned", "una@harbor.test")
    response = other.get(f"/api/clients/{client_id}/documents/{request_id}/download")
    assert response.status == 404
    assert last_action(practice, client_id) == ("client.read", "denied")


def test_links_can_open_in_the_browser_instead_of_downloading(practice: Practice) -> None:
    therapist, person, client_id = active_client(practice)
    [request_id] = send(therapist, client_id, PRIVACY)
    sign(person, request_id, PRIVACY)
    inline = therapist.get(f"/api/clients/{client_id}/documents/{request_id}/download?inline=true").json["url"]
    attachment = therapist.get(f"/api/clients/{client_id}/documents/{request_id}/download").json["url"]
    assert "inline" in inline and "attachment" in attachment


# ------------------------------------------------------------------------------------------------ staff notices


def test_a_packet_of_forms_is_one_mail_to_each_assigned_therapist(practice: Practice, mailbox: Mailbox) -> None:
    # Given two forms sent to a client
    therapist, person, client_id = active_client(practice)
    ids = send(therapist, client_id, PRIVACY, CONSENT)
    before = len(mailbox.to("theo@harbor.test"))

    # When the client signs both, one after the other
    sign(person, ids[0], PRIVACY)
    sign(person, ids[1], CONSENT)

    # Then Theo gets one mail for the packet, naming nobody
    notices = mailbox.to("theo@harbor.test")[before:]
    assert [n["subject"] for n in notices] == ["A client completed paperwork at Harbor Counseling"]
    assert "Jordan" not in notices[0]["body"]


def test_a_later_packet_is_a_new_mail(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    therapist, person, client_id = active_client(practice)
    [first] = send(therapist, client_id, PRIVACY)
    sign(person, first, PRIVACY)
    before = len(mailbox.to("theo@harbor.test"))
    clock.advance(timedelta(minutes=14))
    mailbox.messages()  # the therapist's session stays alive (idle timeout 15 minutes)
    therapist.get("/api/session")
    person.get("/api/session")
    clock.advance(timedelta(minutes=2))  # past the notice window (15 minutes since the last mail)
    [second] = send(therapist, client_id, CONSENT)
    sign(person, second, CONSENT)
    assert len(mailbox.to("theo@harbor.test")) == before + 1


# ---------------------------------------------------------------------------------------------- the reminder job


def overdue(practice: Practice, client_id: str, therapist: Browser, *form_ids: str) -> list[str]:
    ids = send(therapist, client_id, *form_ids)
    clock.advance(timedelta(days=3, minutes=1))
    return ids


def test_the_job_reminds_everything_due_however_many_there_are(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given 120 active clients each with an overdue form (more than one page of the index)
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    clients = [add_client(therapist, f"Client {i}", email=f"c{i}@example.test")["id"] for i in range(120)]
    for client_id in clients:
        activate(practice, client_id)
        FormRequestsFor(practice, therapist, client_id)
    clock.advance(timedelta(days=3, minutes=1))

    # When the job runs once
    run = send_due_reminders()

    # Then every one is reminded (not only the first hundred), each audited, and a second run finds nothing due
    assert (run.reminded + run.invited, run.finished) == (120, True)
    assert sum(1 for e in audit_trail(practice.org_id) if e.action == "forms.remind") == 120
    assert send_due_reminders().invited == 0


def activate(practice: Practice, client_id: str) -> None:
    """A shortcut past 120 invitations: the record as an accepted invitation leaves it."""
    from chalicelib.tables.accounts import ClientInvitation
    from chalicelib.tables.keys import client_sk, org_pk

    ClientInvitation(org_pk(practice.org_id), client_sk(client_id)).update(actions=[ClientInvitation.status.set("active")])


def FormRequestsFor(practice: Practice, therapist: Browser, client_id: str) -> None:
    assert therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY]}).status == 201


def test_a_job_out_of_time_stops_and_the_next_run_resumes(frozen_clock: None, practice: Practice) -> None:
    therapist, _, client_id = active_client(practice)
    overdue(practice, client_id, therapist, PRIVACY, CONSENT, INTAKE)
    stopped = send_due_reminders(seconds=-1)
    assert (stopped.reminded, stopped.finished) == (0, False)
    resumed = send_due_reminders()
    assert (resumed.reminded, resumed.finished) == (3, True)


def test_an_active_client_is_reminded_to_sign_in_through_the_outbox(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    therapist, _, client_id = active_client(practice)
    overdue(practice, client_id, therapist, PRIVACY)
    before = len(mailbox.to("jordan@example.test"))
    assert send_due_reminders().reminded == 1
    reminder = mailbox.to("jordan@example.test")[before:]
    assert [m["subject"] for m in reminder] == ["Reminder: paperwork from Harbor Counseling is waiting"]
    assert "Privacy" not in reminder[0]["body"] and "/o/harbor" in reminder[0]["body"]
    assert last_action(practice, client_id) == ("forms.remind", "success")


def test_an_invited_client_gets_their_invitation_link_again(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given an invited client (no password yet) with an overdue form
    therapist, _ = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    client_id = add_client(therapist, "Riley Lee", email="riley@example.test")["id"]
    assert invite(therapist, client_id, form_ids=[PRIVACY]).status == 200
    old_token = mailbox.token_for("riley@example.test")
    clock.advance(timedelta(days=3, minutes=1))

    # When the job runs
    assert send_due_reminders().invited == 1

    # Then the reminder is an invitation with a fresh link that works (the earlier one no longer does)
    new_token = mailbox.token_for("riley@example.test")
    assert new_token != old_token
    redeem = practice.new_browser().post("/api/password-tokens/redeem", {"token": new_token, "password": CLIENT_PASSWORD})
    assert redeem.status == 200
    assert practice.new_browser().post("/api/password-tokens/inspect", {"token": old_token}).status == 410


def test_with_intake_switched_off_the_job_mails_nobody(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given an overdue form, and the practice switching intake off
    therapist, _, client_id = active_client(practice)
    [request_id] = overdue(practice, client_id, therapist, PRIVACY)
    admin, _ = sign_in(practice.client, practice.slug, practice.admin_email)
    version = stored_organization(practice.org_id).version
    assert admin.patch("/api/organization/settings", {"version": version, "features": {"intake_forms": False}}).status == 200
    before = len(mailbox.messages())

    # When the job runs
    run = send_due_reminders()

    # Then nothing is sent or counted, and the reminder waits (a day) for the switch
    assert (run.reminded, run.invited, run.skipped) == (0, 0, 1)
    assert len(mailbox.messages()) == before
    stored = next(r for r in FormRequest.query(f"ORG#{practice.org_id}") if r.id == request_id)
    assert int(stored.reminders_sent) == 0 and stored.reminder_due_at is not None


def test_reminders_stop_after_the_cap(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    therapist, _, client_id = active_client(practice)
    overdue(practice, client_id, therapist, PRIVACY)
    reminded = 0
    for _ in range(MAX_REMINDERS + 3):
        reminded += send_due_reminders().reminded
        clock.advance(timedelta(days=3, minutes=1))
    assert reminded == MAX_REMINDERS


@pytest.mark.parametrize("signed", [True])
def test_a_signed_form_is_never_reminded(frozen_clock: None, practice: Practice, signed: bool, **_: Any) -> None:
    therapist, person, client_id = active_client(practice)
    [request_id] = send(therapist, client_id, PRIVACY)
    sign(person, request_id, PRIVACY)
    clock.advance(timedelta(days=30))
    assert send_due_reminders().reminded == 0
