"""The notification mail: after the practice's delay, one per recipient per batch, only while something is unread,
and never a word of what was written or by whom."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from chalicelib.config import Settings
from tests.api.messaging_world import client_writes, messaging_team, staff_writes
from tests.conftest import Mailbox, Practice, lowered

THEO = "theo@harbor.test"
JORDAN = "jordan@client.test"


def notices(mailbox: Mailbox, email: str) -> list[dict[str, object]]:
    return [m for m in mailbox.to(email) if "secure message" in str(m["body"])]


def later(minutes: float) -> None:
    clock.advance(timedelta(minutes=minutes))


def test_a_message_read_before_the_delay_sends_no_mail(practice: Practice, mailbox: Mailbox, frozen_clock: None) -> None:
    # Given Jordan wrote to Theo
    team = messaging_team(practice)
    client_writes(team)

    # When Theo reads it ten minutes later, and the 15-minute delay passes
    later(10)
    team.theo.get(team.conversation())
    later(10)

    # Then Theo gets no mail
    assert notices(mailbox, THEO) == []


def test_unread_messages_send_exactly_one_mail_per_batch_with_no_details(practice: Practice, mailbox: Mailbox, frozen_clock: None) -> None:
    # Given Jordan wrote three messages, with an attachment name and his words in them
    team = messaging_team(practice)
    for text in ("I feel anxious about Thursday", "Also the bill", "Sorry, one more thing"):
        client_writes(team, text)
        later(1)

    # Before the delay, nothing is sent
    later(10)
    assert notices(mailbox, THEO) == []

    # After it, exactly one mail — discreet: neutral subject and sender, no text, no name, no role
    later(5)
    sent = notices(mailbox, THEO)
    assert len(sent) == 1
    mail = sent[0]
    assert mail["subject"] == "You have a new secure message"
    assert str(mail["source"]).startswith("Secure Messages <")
    body = str(mail["body"])
    for secret in ("anxious", "bill", "Jordan", "Lee", "client", "Therapist", "Harbor"):
        assert secret not in body and secret not in str(mail["subject"]), secret
    assert f"{practice.slug}" in body  # the sign-in link, nothing more

    # And nothing more is sent later for the same batch
    later(60)
    assert len(notices(mailbox, THEO)) == 1


def test_a_new_message_after_a_batch_starts_the_next_batch(practice: Practice, mailbox: Mailbox, frozen_clock: None) -> None:
    team = messaging_team(practice)
    client_writes(team)
    later(16)
    assert len(notices(mailbox, THEO)) == 1
    client_writes(team, "Are you there?")
    later(16)
    assert len(notices(mailbox, THEO)) == 2


def test_the_client_is_told_of_an_unread_answer_too(practice: Practice, mailbox: Mailbox, frozen_clock: None) -> None:
    team = messaging_team(practice)
    staff_writes(team)
    later(16)
    sent = notices(mailbox, JORDAN)
    assert len(sent) == 1 and "3 pm" not in str(sent[0]["body"]) and "Theo" not in str(sent[0]["body"])


def test_the_practice_sets_the_delay_subject_and_sender_name(practice: Practice, mailbox: Mailbox, frozen_clock: None) -> None:
    # Given the administrator chose a 5-minute delay and their own wording
    team = messaging_team(practice)
    settings = team.admin.get("/api/organization/settings").json
    assert settings["messaging"] == {
        "notice_minutes": 15,
        "mail_subject": "You have a new secure message",
        "mail_sender": "Secure Messages",
        "crisis_text": "If this is an emergency, call 988 or 911.",
    }
    change = {"notice_minutes": 5, "mail_subject": "New portal notification", "mail_sender": "Portal"}
    changed = team.admin.patch("/api/organization/settings", {"version": settings["version"], "messaging": change})
    assert changed.status == 200, changed.json
    assert changed.json["messaging"]["notice_minutes"] == 5

    # When Jordan writes and Theo does not read it
    client_writes(team)
    later(6)

    # Then the mail went out after five minutes, with the practice's subject and sender name
    sent = notices(mailbox, THEO)
    assert [(m["subject"], str(m["source"]).split(" <")[0]) for m in sent] == [("New portal notification", "Portal")]


def test_bad_messaging_settings_are_refused(practice: Practice) -> None:
    version = practice.admin.get("/api/organization/settings").json["version"]
    for change in ({"notice_minutes": 0}, {"notice_minutes": 100_000}, {"mail_sender": "Dr <evil@x.test>"}, {"mail_subject": ""}):
        refused = practice.admin.patch("/api/organization/settings", {"version": version, "messaging": change})
        assert refused.status == 422, change


def test_the_deployment_can_shorten_the_delay_for_demos_and_tests(
    practice: Practice, mailbox: Mailbox, settings: Settings, frozen_clock: None
) -> None:
    lowered(settings, message_notice_seconds=5)
    team = messaging_team(practice)
    client_writes(team)
    clock.advance(timedelta(seconds=6))
    assert len(notices(mailbox, THEO)) == 1
