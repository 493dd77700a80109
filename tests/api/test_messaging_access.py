"""Who may message whom: the feature switch and seats on every route, who receives a client's messages, and the
counters staying exact when people write and read at the same moment."""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.errors import DomainError
from chalicelib.services.messaging import conversations, sending
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.messaging import Conversation, InboxEntry
from tests.api.messaging_world import client_writes, messaging_team, staff_writes
from tests.conftest import Practice, add_client, audit_trail, open_portal_account, principal_of_browser


def unread_of(practice: Practice, account_id: str) -> int:
    return int(Login.get(keys.org_pk(practice.org_id), keys.account_sk(account_id), consistent_read=True).unread_messages or 0)


def switch_messaging(practice: Practice, on: bool) -> None:
    version = practice.admin.get("/api/organization/settings").json["version"]
    assert practice.admin.patch("/api/organization/settings", {"version": version, "features": {"messaging": on}}).status == 200


def test_with_messaging_switched_off_nobody_can_use_it(practice: Practice) -> None:
    team = messaging_team(practice)
    switch_messaging(practice, False)
    for response in (client_writes(team), team.client.get("/api/portal/messages"), team.client.get("/api/portal/messages/poll"),
                     staff_writes(team), team.theo.get("/api/messages/inbox"), team.admin.get(team.conversation())):  # fmt: skip
        assert response.status == 403 and response.problem_type == "/problems/feature-disabled"
    assert audit_trail(practice.org_id)[0].action == "request.feature_disabled"


def test_a_therapist_without_a_seat_cannot_message(practice: Practice) -> None:
    # Given Theo lost his seat
    team = messaging_team(practice)
    assert team.admin.delete(f"/api/subscription/seats/{team.theo_id}").status == 200

    # Then every messaging route refuses him, audited
    for response in (staff_writes(team), team.theo.get(team.conversation()), team.theo.get("/api/messages/poll")):
        assert response.status == 403 and response.problem_type == "/problems/seat-required"
    assert audit_trail(practice.org_id)[0].action == "request.seat_required"

    # And Jordan has no one to write to: a clear refusal, nothing stored
    refused = client_writes(team)
    assert refused.status == 409 and "No one at your practice" in refused.json["detail"]
    assert team.client.get("/api/portal/messages").json["can_write"] is False


def test_an_administrator_without_a_seat_cannot_message_or_send_mass_messages(practice: Practice) -> None:
    team = messaging_team(practice, admin_seat=False)
    for response in (team.admin.get(team.conversation()), staff_writes(team, team.admin),
                     team.admin.post("/api/messages/campaigns", {"text": "Hello all", "audience": "all"})):  # fmt: skip
        assert response.status == 403 and response.problem_type == "/problems/seat-required"


def test_a_solo_practitioner_needs_no_seat(practice: Practice) -> None:
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@client.test")["id"]
    open_portal_account(practice, practice.admin, client_id, "jordan@client.test")
    sent = practice.admin.post(f"/api/clients/{client_id}/conversation/messages", {"text": "Welcome!"})
    assert sent.status == 201, sent.json


def test_an_administrator_may_write_to_any_client_and_then_receives_the_replies(practice: Practice) -> None:
    # Given Jordan is Theo's client, and the administrator writes to him
    team = messaging_team(practice)
    assert staff_writes(team, team.admin, "Your invoice is ready.").status == 201

    # When Jordan replies
    client_writes(team, "Thanks")

    # Then both the administrator and Theo have it unread
    assert unread_of(practice, practice.admin_id) == 1 and unread_of(practice, team.theo_id) == 1
    assert [i["client_id"] for i in team.admin.get("/api/messages/inbox").json["items"]] == [team.client_id]


def test_a_client_cannot_read_or_write_anyone_elses_conversation(practice: Practice) -> None:
    # Given Jordan's conversation, and Sam, another client
    team = messaging_team(practice)
    staff_writes(team, text="For Jordan only")
    sam_id = add_client(practice.admin, "Sam Rivera", email="sam@client.test", therapist_ids=[team.theo_id])["id"]
    sam = open_portal_account(practice, practice.admin, sam_id, "sam@client.test")

    # Then Sam's conversation is his own, and the staff routes are not for clients
    assert sam.get("/api/portal/messages").json["items"] == []
    assert sam.get(team.conversation()).status == 403
    assert sam.post(f"{team.conversation()}/messages", {"text": "hi"}).status == 403


def test_simultaneous_messages_are_all_counted(serializable_dynamodb: None, practice: Practice) -> None:
    # Given Jordan sends five messages at the same moment
    team = messaging_team(practice)
    jordan = principal_of_browser(team.client)
    barrier = threading.Barrier(5)
    errors: list[Any] = []

    def send(number: int) -> None:
        barrier.wait()
        try:
            sending.client_send(jordan, f"Message {number}", [])
        except DomainError as error:
            errors.append(error)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every one that succeeded is counted, in Theo's total, his inbox entry and the conversation
    sent = 5 - len(errors)
    assert sent >= 1
    entry = InboxEntry.get(keys.org_pk(practice.org_id), keys.inbox_sk(team.theo_id, team.client_id), consistent_read=True)
    head = Conversation.get(keys.org_pk(practice.org_id), keys.conversation_sk(team.client_id), consistent_read=True)
    assert unread_of(practice, team.theo_id) == entry.unread == head.message_count == sent


def test_two_tabs_reading_at_once_never_count_below_zero(serializable_dynamodb: None, practice: Practice) -> None:
    # Given Theo has two unread messages, and two tabs that open the conversation at the same moment
    team = messaging_team(practice)
    client_writes(team, "One")
    client_writes(team, "Two")
    theo = principal_of_browser(team.theo)
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def read() -> None:
        barrier.wait()
        try:
            outcomes.append(conversations.staff_conversation(theo, team.client_id).unread)
        except DomainError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then both tabs showed the conversation, and the count is exactly zero — not minus two
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert unread_of(practice, team.theo_id) == 0
    entry = InboxEntry.get(keys.org_pk(practice.org_id), keys.inbox_sk(team.theo_id, team.client_id), consistent_read=True)
    assert entry.unread == 0
