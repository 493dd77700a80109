"""Mass messages: one message from an administrator to all portal clients or a filtered set, each in their own
private conversation, sent in batches that survive a failure halfway — nothing sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest

from chalicelib import clock
from chalicelib.errors import DependencyFailed
from chalicelib.services.messaging import campaigns
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.messaging import MessageItem
from tests.api.messaging_world import Team, messaging_team
from tests.conftest import Mailbox, Practice, add_client, audit_trail

TEXT = "Our office is closed on Friday for the holiday."


def active_client(team: Team, name: str, therapist_ids: list[str] | None = None) -> str:
    """A client record with an active portal account (the invitation and password steps are covered elsewhere)."""
    email = f"{name.lower().replace(' ', '.')}@client.test"
    client_id = str(add_client(team.admin, name, email=email, therapist_ids=therapist_ids or [])["id"])
    pk, sk = keys.org_pk(team.practice.org_id), keys.client_sk(client_id)
    Login(pk, sk).update(actions=[Login.status.set("active"), Login.email_key.set(keys.email_key(team.practice.org_id, email))])
    return client_id


def received(team: Team) -> dict[str, list[str]]:
    """Client id → the texts in their conversation (a test-only Scan)."""
    found: dict[str, list[str]] = {}
    pk = keys.org_pk(team.practice.org_id)
    for item in MessageItem.scan((MessageItem.pk == pk) & MessageItem.sk.startswith(keys.MESSAGE_PREFIX)):
        found.setdefault(item.client_id, []).append(item.text)
    return found


def start(team: Team, **body: Any) -> dict[str, Any]:
    started = team.admin.post("/api/messages/campaigns", {"text": TEXT, "audience": "all", **body})
    assert started.status == 202, started.json
    return dict(started.json)


def test_a_mass_message_reaches_every_portal_client_in_their_own_conversation(practice: Practice) -> None:
    # Given Jordan (active), two more active clients, one invited and one without a portal account
    team = messaging_team(practice)
    others = [active_client(team, name) for name in ("Ana Alves", "Ben Brooks")]
    add_client(team.admin, "Nadia Noportal")
    invited = add_client(team.admin, "Ivy Invited", email="ivy@client.test")["id"]
    assert team.admin.post(f"/api/clients/{invited}/invitation", {"form_ids": []}).status == 200

    # When the administrator sends a mass message and the job runs
    started = start(team)
    run = campaigns.send_due()

    # Then each active client has it once, in their own conversation; nobody else got it
    assert started["status"] == "sending"
    assert received(team) == {client_id: [TEXT] for client_id in (team.client_id, *others)}
    assert (run.sent, run.finished) == (3, 1)
    listed = team.admin.get("/api/messages/campaigns").json["items"]
    assert [(c["status"], c["sent"]) for c in listed] == [("sent", 3)]

    # And Jordan sees it from the administrator, with no trace of the other recipients
    mine = team.client.get("/api/portal/messages").json["items"]
    assert [(m["text"], m["sender_name"], m["mass"]) for m in mine] == [(TEXT, "Ada Admin", True)]
    assert [e.action for e in audit_trail(practice.org_id)].count("messages.send") == 3


def test_a_therapists_clients_only(practice: Practice) -> None:
    team = messaging_team(practice)
    active_client(team, "Ana Alves")
    start(team, audience="therapist", therapist_id=team.theo_id)
    campaigns.send_due()
    assert received(team) == {team.client_id: [TEXT]}


def test_clients_with_pending_paperwork_only(practice: Practice) -> None:
    # Given Jordan has two forms waiting and Ana none
    team = messaging_team(practice)
    active_client(team, "Ana Alves")
    forms = ["std-intake-questionnaire", "std-privacy-notice"]
    assert team.admin.post(f"/api/clients/{team.client_id}/form-requests", {"form_ids": forms}).status == 201

    # When a mass message goes to clients with pending paperwork
    start(team, audience="pending_paperwork")
    campaigns.send_due()

    # Then Jordan gets it once (not once per form), and Ana not at all
    assert received(team) == {team.client_id: [TEXT]}


def test_a_run_that_fails_halfway_resumes_and_sends_nothing_twice(practice: Practice, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given eight active clients, batches of three, and a failure during the second batch
    team = messaging_team(practice)
    everyone = [team.client_id, *(active_client(team, f"Client {n}") for n in range(7))]
    monkeypatch.setattr(campaigns, "BATCH", 3)
    original = campaigns._message
    calls = [0]

    def failing(*args: Any) -> None:
        calls[0] += 1
        if calls[0] == 5:
            raise DependencyFailed("DynamoDB is unavailable")
        original(*args)

    monkeypatch.setattr(campaigns, "_message", failing)
    start(team)

    # When the job runs and fails halfway
    failed = campaigns.send_due()

    # Then the first batch was sent in full and nothing of the second; the campaign is still sending
    assert (failed.failed, failed.complete) == (1, False)
    assert sum(len(texts) for texts in received(team).values()) == 3
    assert team.admin.get("/api/messages/campaigns").json["items"][0]["status"] == "sending"

    # When the next run comes
    run = campaigns.send_due()

    # Then everyone has the message exactly once, and the campaign is done
    assert received(team) == {client_id: [TEXT] for client_id in everyone}
    assert run.finished == 1
    assert team.admin.get("/api/messages/campaigns").json["items"][0]["sent"] == 8


def test_two_runs_at_the_same_moment_send_nothing_twice(
    serializable_dynamodb: None, practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = messaging_team(practice)
    everyone = [team.client_id, *(active_client(team, f"Client {n}") for n in range(5))]
    monkeypatch.setattr(campaigns, "BATCH", 2)
    start(team)
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        campaigns.send_due()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    campaigns.send_due()  # whatever a run that stepped aside left
    assert received(team) == {client_id: [TEXT] for client_id in everyone}


def test_each_recipient_gets_one_notice_when_it_stays_unread(practice: Practice, mailbox: Mailbox, frozen_clock: None) -> None:
    team = messaging_team(practice)
    start(team)
    campaigns.send_due()
    clock.advance(timedelta(minutes=16))
    assert len([m for m in mailbox.to("jordan@client.test") if "secure message" in str(m["body"])]) == 1


def test_replies_to_a_mass_message_reach_the_administrator(practice: Practice) -> None:
    team = messaging_team(practice)
    start(team)
    campaigns.send_due()
    assert team.client.post("/api/portal/messages", {"text": "Thanks for letting me know"}).status == 201
    assert team.admin.get("/api/messages/poll").json["unread"] == 1


def test_bad_mass_messages_are_refused(practice: Practice) -> None:
    team = messaging_team(practice)
    bad: list[dict[str, str]] = [
        {"text": "", "audience": "all"},
        {"text": "Hi", "audience": "everyone"},
        {"text": "Hi", "audience": "therapist"},
        {"text": "Hi", "audience": "therapist", "therapist_id": "stf_0000000000000000"},
    ]
    for body in bad:
        assert team.admin.post("/api/messages/campaigns", body).status == 422, body
    assert team.admin.get("/api/messages/campaigns").json["items"] == []
