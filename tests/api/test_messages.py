"""Secure messaging between a client and their care team: writing, reading, unread counts, read receipts, paging,
the one-call poll, immutability and bad input."""

from __future__ import annotations

from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.messaging import Conversation, MessageItem
from tests.api.messaging_world import Team, another_client, client_writes, messaging_team, poll, staff_writes
from tests.conftest import Practice, audit_of_client, audit_trail, table_size


def stored_messages(team: Team, client_id: str | None = None) -> list[MessageItem]:
    client_id = client_id or team.client_id
    prefix = keys.messages_prefix(client_id)
    return list(MessageItem.query(keys.org_pk(team.practice.org_id), MessageItem.sk.startswith(prefix), consistent_read=True))


def account(team: Team, account_id: str) -> Login:
    return Login.get(keys.org_pk(team.practice.org_id), keys.account_sk(account_id), consistent_read=True)


def test_a_client_writes_and_their_therapist_reads_and_answers(practice: Practice) -> None:
    # Given Jordan, a client of Theo's with a portal account
    team = messaging_team(practice)

    # When Jordan writes to his care team
    sent = client_writes(team)

    # Then the message is stored and Theo has one unread message, in his inbox and his navigation
    assert sent.status == 201, sent.json
    assert [m["text"] for m in sent.json["items"]] == ["Can we move Thursday's session?"]
    assert [m.text for m in stored_messages(team)] == ["Can we move Thursday's session?"]
    assert account(team, team.theo_id).unread_messages == 1
    inbox = team.theo.get("/api/messages/inbox")
    assert inbox.status == 200, inbox.json
    assert [(i["client_name"], i["unread"]) for i in inbox.json["items"]] == [("Jordan Lee", 1)]
    assert team.theo.get("/api/messages/poll").json["unread"] == 1

    # When Theo opens the conversation and answers
    opened = team.theo.get(team.conversation())
    answered = staff_writes(team)

    # Then he read it (no unread left), and Jordan has the answer waiting
    assert opened.status == 200, opened.json
    assert [m["sender_name"] for m in opened.json["items"]] == ["Jordan Lee"]
    assert opened.json["unread"] == 1 and opened.json["time_zone"] == "America/Chicago"
    assert answered.status == 201, answered.json
    assert account(team, team.theo_id).unread_messages == 0
    assert account(team, team.client_id).unread_messages == 1
    mine = team.client.get("/api/portal/messages")
    assert [m["text"] for m in mine.json["items"]] == ["Of course — 3 pm works.", "Can we move Thursday's session?"]
    assert [m["sender_kind"] for m in mine.json["items"]] == ["staff", "client"]
    assert account(team, team.client_id).unread_messages == 0


def test_read_receipts_show_when_the_other_side_saw_a_message(practice: Practice) -> None:
    # Given Jordan wrote and Theo answered
    team = messaging_team(practice)
    client_writes(team)

    # Before Theo opens it, Jordan's message is not seen
    assert team.client.get("/api/portal/messages").json["items"][0]["seen"] is False

    # When Theo opens the conversation
    team.theo.get(team.conversation())

    # Then Jordan sees it was seen, and when
    page = team.client.get("/api/portal/messages").json
    assert page["items"][0]["seen"] is True and page["seen_at"] is not None

    # And Theo's answer is seen once Jordan opened the conversation after it arrived
    staff_writes(team)
    assert team.theo.get(team.conversation()).json["items"][0]["seen"] is False
    team.client.get("/api/portal/messages")
    page = team.theo.get(team.conversation()).json
    assert page["items"][0]["seen"] is True and page["seen_at"] is not None
    stored = Conversation.get(keys.org_pk(practice.org_id), keys.conversation_sk(team.client_id), consistent_read=True)
    assert stored.client_read_through == page_sort_key(team, page["items"][0]["id"])


def page_sort_key(team: Team, message_id: str) -> str:
    return next(m.sk for m in stored_messages(team) if m.id == message_id)


def test_a_long_conversation_pages_newest_first_with_a_cursor(practice: Practice) -> None:
    # Given 60 messages (a page holds 50)
    team = messaging_team(practice)
    for number in range(60):
        assert client_writes(team, f"Message {number}").status == 201

    # When Theo reads the first page and follows the cursor
    first = team.theo.get(team.conversation()).json
    second = team.theo.get(f"{team.conversation()}?cursor={first['next_cursor']}").json

    # Then he gets all 60, newest first, with no overlap
    texts = [m["text"] for m in first["items"] + second["items"]]
    assert texts == [f"Message {n}" for n in reversed(range(60))]
    assert len(first["items"]) == 50

    # And the cursor is his alone: Jordan cannot use it
    refused = team.client.get(f"/api/portal/messages?cursor={first['next_cursor']}")
    assert refused.status == 400 and refused.problem_type == "/problems/invalid-cursor"


def test_a_cursor_for_one_clients_conversation_is_refused_on_another(practice: Practice) -> None:
    team = messaging_team(practice)
    _, sam_id = another_client(team, "Sam Rivera", "sam@client.test")
    for number in range(51):
        client_writes(team, f"Message {number}")
    cursor = team.theo.get(team.conversation()).json["next_cursor"]
    refused = team.theo.get(f"/api/clients/{sam_id}/conversation?cursor={cursor}")
    assert refused.status == 400 and refused.problem_type == "/problems/invalid-cursor"


def test_the_poll_answers_304_when_nothing_changed_and_the_new_version_when_something_did(practice: Practice) -> None:
    # Given Theo's poll and its ETag
    team = messaging_team(practice)
    first = poll(team.theo, "/api/messages/poll")
    etag = first.headers["etag"]
    assert first.status == 200 and first.json == {"version": "0", "unread": 0}

    # When nothing changed, the same ETag gets a 304 without a body
    unchanged = poll(team.theo, "/api/messages/poll", etag)
    assert unchanged.status == 304 and unchanged.body == b"" and unchanged.headers["etag"] == etag

    # When Jordan writes, Theo's next poll says so
    client_writes(team)
    changed = poll(team.theo, "/api/messages/poll", etag)
    assert changed.status == 200 and changed.json["unread"] == 1 and changed.headers["etag"] != etag

    # And Jordan's own poll changes when Theo reads (his "Seen" appears)
    client_etag = poll(team.client, "/api/portal/messages/poll").headers["etag"]
    team.theo.get(team.conversation())
    assert poll(team.client, "/api/portal/messages/poll", client_etag).status == 200


def test_polling_does_not_keep_a_session_alive(practice: Practice, frozen_clock: None) -> None:
    from datetime import timedelta

    from chalicelib import clock

    # Given Theo signed in, then only polling for 16 minutes (staff idle out after 15)
    team = messaging_team(practice)
    team.theo.get("/api/session")
    for _ in range(16):
        clock.advance(timedelta(minutes=1))
        response = poll(team.theo, "/api/messages/poll")
        if response.status == 401:
            break

    # Then the session ended for inactivity
    assert response.status == 401


def test_every_read_and_send_is_audited_with_ids_only(practice: Practice) -> None:
    team = messaging_team(practice)
    client_writes(team, "My private words")
    team.theo.get(team.conversation())
    trail = audit_of_client(practice.org_id, team.client_id)
    assert ("messages.send", "success") in trail and ("messages.read", "success") in trail
    assert all("private" not in e.resource for e in audit_trail(practice.org_id))


def test_messages_are_immutable_there_is_no_route_to_change_or_delete_one(practice: Practice) -> None:
    team = messaging_team(practice)
    message_id = client_writes(team).json["items"][0]["id"]
    for method in ("PUT", "PATCH", "DELETE"):
        response = team.client.request(method, f"/api/portal/messages/{message_id}", {"text": "changed"})
        assert response.status in {403, 404, 405}, method
    assert [m.text for m in stored_messages(team)] == ["Can we move Thursday's session?"]


def test_an_empty_or_oversized_message_is_refused_and_nothing_is_stored(practice: Practice) -> None:
    team = messaging_team(practice)
    for text in ("", "   \n ", "x" * 10_001):
        refused = client_writes(team, text)
        assert refused.status == 422, text[:5]
        assert refused.json["errors"][0]["field"] == "text"
    assert staff_writes(team, text="y" * 10_001).status == 422
    assert stored_messages(team) == []
    # And exactly 10,000 characters is fine
    assert client_writes(team, "z" * 10_000).status == 201


def test_a_message_to_a_client_without_portal_access_is_refused_and_nothing_is_stored(practice: Practice) -> None:
    team = messaging_team(practice)
    from tests.conftest import add_client

    no_portal = add_client(team.admin, "Alex Kim", therapist_ids=[team.theo_id])["id"]
    refused = staff_writes(team)
    assert refused.status == 201
    refused = team.theo.post(f"/api/clients/{no_portal}/conversation/messages", {"text": "Hello"})
    assert refused.status == 409 and "portal account" in refused.json["detail"]
    assert stored_messages(team, no_portal) == []
    assert team.theo.get(f"/api/clients/{no_portal}/conversation").json["can_write"] is False


def test_another_clients_conversation_is_not_found_for_an_unassigned_therapist(practice: Practice) -> None:
    # Given Riley, a therapist with a seat who is not Jordan's
    team = messaging_team(practice)
    riley, riley_id = practice.add_staff("Riley Rivera", "riley@harbor.test")
    team.admin.put(f"/api/subscription/seats/{riley_id}")
    client_writes(team)
    before = table_size(MessageItem)

    # Then Jordan's conversation is not found for her, audited as denied, and she cannot write there
    assert riley.get(team.conversation()).status == 404
    assert staff_writes(team, riley).status == 404
    assert ("client.read", "denied") in audit_of_client(practice.org_id, team.client_id)
    assert table_size(MessageItem) == before


def test_an_unassigned_therapist_loses_the_conversation_at_once_and_the_practice_keeps_it(practice: Practice) -> None:
    # Given Theo and Jordan exchanged messages, and Jordan's last one is unread
    team = messaging_team(practice)
    client_writes(team)
    team.theo.get(team.conversation())
    staff_writes(team)
    client_writes(team, "Thanks!")

    # When the administrator unassigns Theo from Jordan
    record = team.admin.get(f"/api/clients/{team.client_id}").json
    changed = team.admin.patch(f"/api/clients/{team.client_id}", {"version": record["version"], "therapist_ids": []})
    assert changed.status == 200, changed.json

    # Then Theo can no longer read or write there, and it leaves his inbox and his unread count
    assert team.theo.get(team.conversation()).status == 404
    assert staff_writes(team).status == 404
    assert team.theo.get("/api/messages/inbox").json["items"] == []
    assert team.theo.get("/api/messages/poll").json["unread"] == 0

    # And the practice keeps the whole history
    assert [m["text"] for m in team.admin.get(team.conversation()).json["items"]] == [
        "Thanks!",
        "Of course — 3 pm works.",
        "Can we move Thursday's session?",
    ]


def test_messages_and_reads_do_not_make_an_open_edit_form_stale(practice: Practice) -> None:
    # Given the administrator opened Jordan's and Theo's records for editing
    team = messaging_team(practice)
    client_version = team.admin.get(f"/api/clients/{team.client_id}").json["version"]
    theo_version = team.admin.get(f"/api/staff/{team.theo_id}").json["version"]

    # When messages come and go (counters and inbox versions change on both accounts)
    client_writes(team)
    team.theo.get(team.conversation())
    staff_writes(team)
    team.client.get("/api/portal/messages")

    # Then saving either form with the version it was opened with still works
    saved = team.admin.patch(f"/api/clients/{team.client_id}", {"version": client_version, "preferred_name": "Jo"})
    assert saved.status == 200, saved.json
    saved = team.admin.patch(f"/api/staff/{team.theo_id}", {"version": theo_version, "name": "Theo T."})
    assert saved.status == 200, saved.json
