"""The staff dashboards through the API: who needs attention (invitations not accepted, paperwork waiting and
overdue), newly signed documents, today's appointments and requests — a therapist their own clients, an administrator
the practice — and the counters the client lists show."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.errors import DomainError
from chalicelib.services.paperwork import sending, signing
from chalicelib.tables.worklist import SignedEntry, WorkEntry
from tests.api.scheduling_world import booking_world
from tests.api.test_paperwork_checks import ANSWERS, send, sign
from tests.api.test_paperwork_journey import CONSENT, PRIVACY
from tests.conftest import (
    CLIENT_PASSWORD,
    PASSWORD,
    Browser,
    Practice,
    add_client,
    audit_trail,
    invite,
    open_portal_account,
    principal_of_browser,
    sign_in,
    stored_client,
)


def worklist(browser: Browser) -> list[dict[str, Any]]:
    response = browser.get("/api/dashboard/worklist")
    assert response.status == 200, response.json
    return list(response.json["items"])


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def entries_of(org_id: str, client_id: str) -> list[str]:
    """The viewers whose worklist names the client, read straight from the table."""
    from chalicelib.tables.keys import org_pk

    found = WorkEntry.query(org_pk(org_id), WorkEntry.sk.startswith("TODO#"), consistent_read=True)
    return sorted(entry.sk.split("#")[1] for entry in found if entry.client_id == client_id)


def therapists(practice: Practice) -> tuple[Browser, str, Browser, str]:
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    riley, riley_id = practice.add_staff("Riley Rivera", "riley@harbor.test")
    return theo, theo_id, riley, riley_id


# ------------------------------------------------------------------------------------------------- invitations


def test_an_invited_client_is_on_the_practices_and_their_therapists_worklist_until_they_accept(practice: Practice) -> None:
    # Given Jordan, assigned to Theo, and Riley, who is not Jordan's therapist
    theo, theo_id, riley, _ = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    assert worklist(practice.admin) == [] and worklist(theo) == []

    # When the administrator invites Jordan
    assert invite(practice.admin, jordan).status == 200

    # Then Jordan waits on the administrator's and Theo's lists with the invitation, and not on Riley's
    [item] = worklist(practice.admin)
    assert (item["client_id"], item["name"], item["paperwork"]) == (jordan, "Jordan Lee", None)
    assert item["invitation"]["expired"] is False and item["invitation"]["invited_at"]
    assert names(worklist(theo)) == ["Jordan Lee"]
    assert worklist(riley) == []
    assert entries_of(practice.org_id, jordan) == sorted(["all", theo_id])

    # When Jordan accepts the invitation
    person = practice.new_browser()
    token = practice.mailbox.token_for("jordan@example.test")
    assert person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200

    # Then nothing waits any more, on any list
    assert worklist(practice.admin) == [] and worklist(theo) == []
    assert entries_of(practice.org_id, jordan) == []


def test_an_invitation_past_its_link_shows_as_expired(frozen_clock: None, practice: Practice) -> None:
    # Given a client invited eight days ago (links last seven)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    assert invite(practice.admin, jordan).status == 200
    clock.advance(timedelta(days=8))

    # When the administrator looks at the worklist
    admin, _ = sign_in(practice.client, practice.slug, practice.admin_email, PASSWORD)
    [item] = worklist(admin)

    # Then the invitation is shown as expired, to be sent again
    assert item["invitation"]["expired"] is True


def test_disabling_a_pending_invitation_takes_the_client_off_the_worklist(practice: Practice) -> None:
    # Given an invited client
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    assert invite(practice.admin, jordan).status == 200

    # When the administrator disables their portal access
    assert practice.admin.post(f"/api/clients/{jordan}/portal-access/disable").status == 200

    # Then they no longer wait on anyone's list
    assert worklist(practice.admin) == []
    assert entries_of(practice.org_id, jordan) == []


def test_a_self_signed_up_client_waits_on_the_practices_list(practice: Practice) -> None:
    # Given a practice that lets clients sign themselves up
    settings = practice.admin.get("/api/organization/settings").json
    assert practice.admin.patch("/api/organization/settings", {"version": settings["version"], "self_signup": True}).status == 200

    # When a new person signs up
    assert (
        practice.new_browser().post(f"/api/orgs/{practice.slug}/sign-up", {"name": "Quinn Newman", "email": "quinn@example.test"}).status
        == 202
    )

    # Then the administrator sees the invitation waiting to be accepted
    [item] = worklist(practice.admin)
    assert item["name"] == "Quinn Newman" and item["invitation"] is not None


# -------------------------------------------------------------------------------------------------- paperwork


def test_paperwork_waiting_shows_progress_turns_overdue_and_leaves_with_the_last_signature(frozen_clock: None, practice: Practice) -> None:
    # Given an active client of Theo's with two forms sent
    theo, theo_id, _, _ = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    privacy, consent = send(theo, jordan, PRIVACY, CONSENT)

    # Then both wait on Theo's list, not overdue yet
    [item] = worklist(theo)
    assert item["invitation"] is None
    assert {k: item["paperwork"][k] for k in ("waiting", "signed", "overdue")} == {"waiting": 2, "signed": 0, "overdue": False}

    # When eight days pass (overdue after seven)
    clock.advance(timedelta(days=8))
    theo, _ = sign_in(practice.client, practice.slug, "theo@harbor.test", PASSWORD)
    person, _ = sign_in(practice.client, practice.slug, "jordan@example.test", CLIENT_PASSWORD)

    # Then the paperwork is overdue
    assert worklist(theo)[0]["paperwork"]["overdue"] is True

    # When Jordan signs one of the two
    sign(person, privacy, PRIVACY)

    # Then one waits, one is signed, and the signed one is new on Theo's and the administrator's dashboards
    assert {k: worklist(theo)[0]["paperwork"][k] for k in ("waiting", "signed")} == {"waiting": 1, "signed": 1}
    [document] = theo.get("/api/dashboard/signed").json["items"]
    assert (document["client_name"], document["request_id"], document["title"]) == ("Jordan Lee", privacy, "Notice of Privacy Practices")
    admin, _ = sign_in(practice.client, practice.slug, practice.admin_email, PASSWORD)
    assert [d["request_id"] for d in admin.get("/api/dashboard/signed").json["items"]] == [privacy]

    # When Jordan signs the other
    sign(person, consent, CONSENT)

    # Then nothing waits; the record counts two of two signed and Jordan's last activity is the signing
    assert worklist(theo) == [] and worklist(admin) == []
    record = stored_client(practice.org_id, jordan)
    assert (record.forms_open, record.forms_signed, record.waiting_since) == (0, 2, None)
    assert record.last_activity_at == clock.now()
    listed = next(c for c in theo.get("/api/clients").json["items"] if c["id"] == jordan)
    assert listed["paperwork"] == {"waiting": 0, "signed": 2, "waiting_since": None}
    assert listed["last_activity_at"] is not None and listed["therapist_ids"] == [theo_id]


def test_forms_sent_with_an_invitation_keep_the_client_on_the_list_after_they_accept(practice: Practice) -> None:
    # Given a client invited with two forms
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    assert invite(practice.admin, jordan, form_ids=[PRIVACY, CONSENT]).status == 200
    [item] = worklist(practice.admin)
    assert item["invitation"] is not None and item["paperwork"]["waiting"] == 2

    # When Jordan accepts the invitation
    person = practice.new_browser()
    token = practice.mailbox.token_for("jordan@example.test")
    assert person.post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD}).status == 200

    # Then the paperwork still waits (the invitation no longer does)
    [item] = worklist(practice.admin)
    assert item["invitation"] is None and item["paperwork"]["waiting"] == 2


def test_paperwork_is_left_out_while_intake_forms_are_switched_off(practice: Practice) -> None:
    # Given an active client with a form waiting
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]
    open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    send(practice.admin, jordan, PRIVACY)
    assert names(worklist(practice.admin)) == ["Jordan Lee"]

    # When the administrator switches intake forms off
    settings = practice.admin.get("/api/organization/settings").json
    features = {**settings["features"], "intake_forms": False}
    assert practice.admin.patch("/api/organization/settings", {"version": settings["version"], "features": features}).status == 200

    # Then the client no longer shows, and the signed documents list is refused
    assert worklist(practice.admin) == []
    refused = practice.admin.get("/api/dashboard/signed")
    assert (refused.status, refused.problem_type) == (403, "/problems/feature-disabled")


# ------------------------------------------------------------------------------------------------- assignment


def test_reassigning_a_client_moves_their_items_to_the_new_therapist(practice: Practice) -> None:
    # Given Jordan, Theo's client, with a form signed and one waiting
    theo, theo_id, riley, riley_id = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    privacy, _ = send(theo, jordan, PRIVACY, CONSENT)
    sign(person, privacy, PRIVACY)
    assert names(worklist(theo)) == ["Jordan Lee"] and len(theo.get("/api/dashboard/signed").json["items"]) == 1

    # When the administrator assigns Jordan to Riley instead
    version = practice.admin.get(f"/api/clients/{jordan}").json["version"]
    assert practice.admin.patch(f"/api/clients/{jordan}", {"version": version, "therapist_ids": [riley_id]}).status == 200

    # Then Riley sees the waiting paperwork and Theo sees nothing of Jordan any more — not even the older signature
    assert names(worklist(riley)) == ["Jordan Lee"]
    assert worklist(theo) == []
    assert theo.get("/api/dashboard/signed").json["items"] == []
    assert entries_of(practice.org_id, jordan) == sorted(["all", riley_id])


# ---------------------------------------------------------------------------------------------------- audit


def test_each_dashboard_list_is_audited(practice: Practice) -> None:
    # Given an administrator with a seat, in a practice using every feature
    assert practice.admin.put(f"/api/subscription/seats/{practice.admin_id}").status == 200

    # When they open each list
    for path in ("/api/dashboard/worklist", "/api/dashboard/signed", "/api/dashboard/appointments"):
        assert practice.admin.get(path).status == 200, path

    # Then each read is in the audit trail
    actions = [e.action for e in audit_trail(practice.org_id)[:3]]
    assert actions == ["appointment.day", "dashboard.signed", "dashboard.worklist"]


# ------------------------------------------------------------------------------------------------ appointments


def test_the_day_is_the_practices_for_administrators_and_their_own_for_therapists(frozen_clock: None, practice: Practice) -> None:
    # Given Theo with a client's request waiting, and an appointment today made by staff for each of two therapists
    world = booking_world(practice)
    riley, riley_id = practice.add_staff("Riley Rivera", "riley@harbor.test")
    for staff_id in (riley_id, practice.admin_id):
        assert practice.admin.put(f"/api/subscription/seats/{staff_id}").status == 200
    sam = add_client(practice.admin, "Sam Rivera", email="sam@example.test", therapist_ids=[riley_id])["id"]
    requested = world.book(world.slots()["starts"][0])
    assert requested.status == 201, requested.json
    today = clock.now().replace(hour=18, minute=0)  # noon in Chicago, the practice's zone
    for browser, client_id in ((world.theo, world.client_id), (riley, sam)):
        made = browser.post(
            f"/api/clients/{client_id}/appointments", {"start": today.isoformat().replace("+00:00", "Z"), "duration_minutes": 50}
        )
        assert made.status == 201, made.json

    # When each opens the day
    theirs = world.theo.get("/api/dashboard/appointments").json
    practice_day = practice.admin.get("/api/dashboard/appointments").json

    # Then Theo sees his own appointment and the request; the administrator sees both appointments and the request
    assert [a["client_name"] for a in theirs["appointments"]] == ["Jordan Lee"] and theirs["practice_wide"] is False
    assert [a["id"] for a in theirs["requests"]] == [requested.json["id"]]
    assert sorted(a["client_name"] for a in practice_day["appointments"]) == ["Jordan Lee", "Sam Rivera"]
    assert [a["id"] for a in practice_day["requests"]] == [requested.json["id"]] and practice_day["practice_wide"] is True
    assert practice_day["day"] == "2026-11-23" and practice_day["time_zone"] == "America/Chicago"

    # When Theo confirms the request
    confirmed = world.theo.post(f"/api/clients/{world.client_id}/appointments/{requested.json['id']}/confirm")
    assert confirmed.status == 200, confirmed.json

    # Then it waits on no one's list of requests
    assert practice.admin.get("/api/dashboard/appointments").json["requests"] == []
    assert world.theo.get("/api/dashboard/appointments").json["requests"] == []


# ---------------------------------------------------------------------------------------------------- races


def test_the_last_signature_racing_a_new_form_leaves_the_list_true_to_the_record(serializable_dynamodb: None, practice: Practice) -> None:
    # Given an active client with one form waiting, about to sign it while Theo sends another
    theo, theo_id, _, _ = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    [privacy] = send(theo, jordan, PRIVACY)
    version = person.get(f"/api/portal/form-requests/{privacy}").json["disclosure"]["version"]
    assert person.post(f"/api/portal/form-requests/{privacy}/consent", {"disclosure_version": version, "agree": True}).status == 200
    client, staff = principal_of_browser(person), principal_of_browser(theo)
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def attempt(name: str, work: Any) -> None:
        barrier.wait()
        try:
            outcomes[name] = work()
        except DomainError as error:
            outcomes[name] = error

    signature = signing.Signature(full_name="Jordan Lee", attested=True, answers=ANSWERS[PRIVACY])
    runs = {
        "sign": lambda: signing.submit(client, privacy, signature),
        "send": lambda: sending.send_forms(staff, jordan, [CONSENT]),
    }
    threads = [threading.Thread(target=attempt, args=item) for item in runs.items()]

    # When both run at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then at least one succeeded, and the list holds Jordan exactly while the record says something waits
    assert any(not isinstance(outcome, DomainError) for outcome in outcomes.values()), outcomes
    record = stored_client(practice.org_id, jordan)
    waiting = sum(1 for r in theo.get(f"/api/clients/{jordan}/form-requests").json["items"] if r["status"] != "completed")
    assert int(record.forms_open or 0) == waiting
    assert entries_of(practice.org_id, jordan) == (sorted(["all", theo_id]) if waiting else [])


def test_two_forms_signed_at_once_count_each_signature_once(serializable_dynamodb: None, practice: Practice) -> None:
    # Given a client with two forms waiting, consented, signing both at the same moment
    theo, theo_id, _, _ = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    requests = dict(zip((PRIVACY, CONSENT), send(theo, jordan, PRIVACY, CONSENT), strict=True))
    for request_id in requests.values():
        version = person.get(f"/api/portal/form-requests/{request_id}").json["disclosure"]["version"]
        assert person.post(f"/api/portal/form-requests/{request_id}/consent", {"disclosure_version": version, "agree": True}).status == 200
    client = principal_of_browser(person)
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def attempt(form_id: str) -> None:
        barrier.wait()
        try:
            signature = signing.Signature(full_name="Jordan Lee", attested=True, answers=ANSWERS[form_id])
            outcomes[form_id] = signing.submit(client, requests[form_id], signature)
        except DomainError as error:
            outcomes[form_id] = error

    threads = [threading.Thread(target=attempt, args=(form_id,)) for form_id in requests]

    # When both signatures run
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then the counters match what was signed, and the list holds Jordan while a form waits
    signed = [form_id for form_id, outcome in outcomes.items() if not isinstance(outcome, DomainError)]
    assert signed, outcomes
    record = stored_client(practice.org_id, jordan)
    assert (int(record.forms_signed or 0), int(record.forms_open or 0)) == (len(signed), 2 - len(signed))
    assert entries_of(practice.org_id, jordan) == (sorted(["all", theo_id]) if len(signed) < 2 else [])
    feed = SignedEntry.query(f"ORG#{practice.org_id}", SignedEntry.sk.startswith(f"SIGNED#{theo_id}#"), consistent_read=True)
    assert sorted(entry.request_id for entry in feed) == sorted(requests[form_id] for form_id in signed)


def test_a_signature_goes_through_when_staff_edit_the_client_while_it_is_made(monkeypatch: Any, practice: Practice) -> None:
    # Given a client with two forms waiting, and Theo editing the client's phone while the first is being signed
    # (between the signing's read of the record and its write: the PDF is made then)
    theo, theo_id, _, _ = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    person = open_portal_account(practice, practice.admin, jordan, "jordan@example.test")
    privacy, _consent = send(theo, jordan, PRIVACY, CONSENT)
    from chalicelib.services import branding

    real_logo = branding.logo_bytes
    edits: list[int] = []

    def edit_meanwhile(practice_ref: Any) -> Any:
        if not edits:
            version = theo.get(f"/api/clients/{jordan}").json["version"]
            edits.append(theo.patch(f"/api/clients/{jordan}", {"version": version, "phone": "555 0199"}).status)
        return real_logo(practice_ref)

    monkeypatch.setattr(branding, "logo_bytes", edit_meanwhile)

    # When Jordan signs
    sign(person, privacy, PRIVACY)

    # Then the edit went through, the signature too (the record read again), and the counters count it once
    assert edits == [200]
    record = stored_client(practice.org_id, jordan)
    assert (record.phone, int(record.forms_signed or 0), int(record.forms_open or 0)) == ("555 0199", 1, 1)
    assert entries_of(practice.org_id, jordan) == sorted(["all", theo_id])


def test_an_invitation_is_accepted_when_staff_edit_the_client_while_it_is(monkeypatch: Any, practice: Practice) -> None:
    # Given an invited client, and Theo editing their phone while they set their password (after the link is read)
    from chalicelib.auth import passwords

    theo, theo_id, _, _ = therapists(practice)
    jordan = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[theo_id])["id"]
    assert invite(practice.admin, jordan).status == 200
    real_hash = passwords.hash_password
    edits: list[int] = []

    def edit_meanwhile(password: str) -> str:
        if not edits:
            version = theo.get(f"/api/clients/{jordan}").json["version"]
            edits.append(theo.patch(f"/api/clients/{jordan}", {"version": version, "phone": "555 0199"}).status)
        return str(real_hash(password))

    monkeypatch.setattr(passwords, "hash_password", edit_meanwhile)

    # When Jordan accepts the invitation
    token = practice.mailbox.token_for("jordan@example.test")
    accepted = practice.new_browser().post("/api/password-tokens/redeem", {"token": token, "password": CLIENT_PASSWORD})

    # Then both went through: the link was still live, so it was tried again; nothing waits on any list
    assert edits == [200]
    assert accepted.status == 200, accepted.json
    assert stored_client(practice.org_id, jordan).phone == "555 0199"
    assert entries_of(practice.org_id, jordan) == []
