"""The notifications outbox: written with the change, delivered by a worker that retries, never loses a mail to a
throttle or an outage, marks refused addresses, sends each item once, and re-checks what may have changed."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from chalicelib import clock
from chalicelib.adapters.mail import SentMail, use_mailer
from chalicelib.errors import DeliveryFailed
from chalicelib.services import outbox
from chalicelib.tables import keys
from chalicelib.tables.base import transaction
from chalicelib.tables.outbox import OutboxItem
from chalicelib.templates import RenderedMail
from scripts.emulator import sent_mail
from tests.conftest import FailingMailer, Mailbox, Practice, add_client, invite, stored_client


class RefusingMailer:
    """SES refusing the address itself: retrying cannot help."""

    def send(self, to: str, mail: RenderedMail) -> SentMail:
        raise DeliveryFailed("refused", permanent=True, code="MessageRejected")


def items() -> list[OutboxItem]:
    from chalicelib.tables.base import connection

    raw = connection().scan(OutboxItem.Meta.table_name, consistent_read=True).get("Items", [])
    return [OutboxItem.from_raw_data(item) for item in raw]


def mail(to: str, template: str = "paperwork_waiting") -> outbox.Mail:
    return outbox.Mail(to, template, {"practice": "Harbor", "sign_in_link": "x"})


def item_to(email: str) -> Any:
    [item] = [i for i in items() if i.to == email]
    return item


def test_an_invitation_is_delivered_at_once_and_its_link_is_not_kept(practice: Practice, mailbox: Mailbox) -> None:
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).json["portal"]["invitation_delivery"] == "sent"
    item = item_to("jo@example.test")
    assert (item.status, item.due_at, item.attempts) == ("sent", None, 0)
    assert "link" not in (item.params or {}) and item.params["practice"] == "Harbor Counseling"
    assert len(mailbox.to("jo@example.test")) == 1


def test_a_throttled_mail_is_retried_with_backoff_and_not_lost(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given SES throttling when a client is invited
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    use_mailer(FailingMailer())
    response = invite(practice.admin, client["id"])

    # Then the invitation stands, shown as not delivered, and the mail waits for a retry
    assert response.json["portal"]["invitation_delivery"] == "failed"
    item = item_to("jo@example.test")
    assert (item.status, item.attempts) == ("pending", 1)
    assert item.due_at == clock.iso(clock.now() + timedelta(seconds=30))

    # When SES keeps failing, each retry waits twice as long
    clock.advance(timedelta(seconds=31))
    outbox.deliver_due()
    assert item_to("jo@example.test").due_at == clock.iso(clock.now() + timedelta(seconds=60))

    # When SES recovers, the next sweep delivers it and the client's page says so
    use_mailer(None)
    clock.advance(timedelta(seconds=61))
    assert outbox.deliver_due().sent == 1
    assert item_to("jo@example.test").status == "sent"
    assert stored_client(practice.org_id, client["id"]).invitation_delivery == "sent"
    assert len(mailbox.to("jo@example.test")) == 1


def test_a_refused_address_is_marked_at_once_and_visible_to_staff(practice: Practice) -> None:
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    use_mailer(RefusingMailer())
    response = invite(practice.admin, client["id"])
    assert response.json["portal"]["invitation_delivery"] == "failed"
    item = item_to("jo@example.test")
    assert (item.status, item.last_error, item.due_at) == ("rejected", "MessageRejected", None)
    assert practice.admin.get(f"/api/clients/{client['id']}").json["portal"]["invitation_delivery"] == "failed"


def test_after_the_last_attempt_a_mail_is_failed_not_retried_forever(frozen_clock: None, practice: Practice, settings: Any) -> None:
    from tests.conftest import lowered

    lowered(settings, outbox_max_attempts=2)
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    use_mailer(FailingMailer())
    invite(practice.admin, client["id"])
    clock.advance(timedelta(minutes=5))
    outbox.deliver_due()
    item = item_to("jo@example.test")
    assert (item.status, item.attempts, item.due_at) == ("failed", 2, None)


def test_a_replaced_link_is_not_mailed_when_its_retry_comes(frozen_clock: None, practice: Practice, mailbox: Mailbox) -> None:
    # Given an invitation whose mail failed, then a resend (a new link) that went out
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    use_mailer(FailingMailer())
    invite(practice.admin, client["id"])
    use_mailer(None)
    invite(practice.admin, client["id"])

    # When the first mail's retry comes round
    clock.advance(timedelta(minutes=5))
    run = outbox.deliver_due()

    # Then it is skipped: only the live link was mailed
    assert (run.sent, run.skipped) == (0, 1)
    assert len(mailbox.to("jo@example.test")) == 1


def test_two_workers_at_once_send_a_due_mail_once(practice: Practice) -> None:
    # Given a due mail
    with transaction() as tx:
        outbox.enqueue(
            tx, practice.org_id, outbox.Mail("someone@example.test", "paperwork_waiting", {"practice": "Harbor", "sign_in_link": "x"})
        )
    before = len(sent_mail())

    # When five workers sweep at the same moment
    threads = [threading.Thread(target=outbox.deliver_due) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then it went out once
    assert len(sent_mail()) == before + 1
    assert item_to("someone@example.test").status == "sent"


def test_a_delayed_mail_waits_and_a_recheck_can_cancel_it(frozen_clock: None, practice: Practice) -> None:
    # Given two mails due in 15 minutes; one re-checks a link that is no longer live
    dead_link = {"org_id": practice.org_id, "account_id": practice.admin_id, "token_hash": "not-a-live-link"}
    recheck = outbox.Hook("chalicelib.services.password_links:still_live", dead_link)
    with transaction() as tx:
        outbox.enqueue(tx, practice.org_id, mail("later@example.test"), delay=timedelta(minutes=15))
        outbox.enqueue(tx, practice.org_id, mail("rechecked@example.test"), delay=timedelta(minutes=15), recheck=recheck)

    # When the worker sweeps before they are due, nothing goes; after, the plain one goes and the re-checked one is skipped
    assert outbox.deliver_due().sent == 0
    clock.advance(timedelta(minutes=16))
    run = outbox.deliver_due()
    assert (run.sent, run.skipped) == (1, 1)
    assert item_to("rechecked@example.test").status == "skipped"


def test_events_coalesced_with_a_cooldown_make_one_mail_per_cooldown(frozen_clock: None, practice: Practice) -> None:
    def event() -> None:
        with transaction() as tx:
            outbox.enqueue(tx, practice.org_id, mail("batch@example.test", "paperwork_completed"), coalesce="test-batch",
                           cooldown=timedelta(minutes=15))  # fmt: skip
        outbox.deliver_due()

    # Three events within the cooldown make one mail; one after it makes the next
    before = len(sent_mail())
    for _ in range(3):
        event()
        clock.advance(timedelta(minutes=6))
    assert len(sent_mail()) == before + 1
    clock.advance(timedelta(minutes=10))
    event()
    assert len(sent_mail()) == before + 2


def test_the_stream_delivers_a_new_item_and_ignores_what_is_not_due(frozen_clock: None, practice: Practice) -> None:
    with transaction() as tx:
        now = outbox.enqueue(tx, practice.org_id, mail("now@example.test"))
        later = outbox.enqueue(tx, practice.org_id, mail("later@example.test"), delay=timedelta(hours=1))
    records = [{"eventName": "INSERT", "dynamodb": {"NewImage": q.item.serialize()}} for q in (now, later)]
    assert outbox.deliver_stream_records(records).sent == 1
    assert (item_to("now@example.test").status, item_to("later@example.test").status) == ("sent", "pending")


def test_a_bounce_reported_later_marks_the_invitation_failed(practice: Practice) -> None:
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    invite(practice.admin, client["id"])
    message_id = item_to("jo@example.test").message_id
    assert message_id and outbox.record_bounce(message_id, "Permanent")
    assert item_to("jo@example.test").status == "bounced"
    assert stored_client(practice.org_id, client["id"]).invitation_delivery == "failed"
    assert keys.outbox_pk("x").startswith("MAIL#")
