"""Bounces and complaints SES reports after accepting a mail (its configuration set publishes them to an SNS topic
that invokes ``mail_events``): a bounced invitation shows as failed; anything else changes nothing."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.jobs import mail_event_outcome
from tests.api.test_outbox import item_to
from tests.conftest import Practice, add_client, invite, stored_client


def ses_event(event_type: str, message_id: str, **detail: Any) -> str:
    """An SES event notification as a configuration set's SNS destination publishes it (trimmed headers)."""
    mail = {
        "timestamp": "2026-11-20T14:05:02.012Z",
        "source": "no-reply@portal.example.org",
        "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/portal.example.org",
        "sendingAccountId": "123456789012",
        "messageId": message_id,
        "destination": ["jo@example.test"],
        "headersTruncated": False,
        "headers": [{"name": "From", "value": "no-reply@portal.example.org"}, {"name": "To", "value": "jo@example.test"}],
        "commonHeaders": {"from": ["no-reply@portal.example.org"], "to": ["jo@example.test"], "messageId": message_id},
        "tags": {"ses:configuration-set": ["portal-prod-mail"], "ses:source-ip": ["192.0.2.0"]},
    }
    return json.dumps({"eventType": event_type, "mail": mail, **detail})


def permanent_bounce(message_id: str) -> str:
    return ses_event(
        "Bounce",
        message_id,
        bounce={
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {"emailAddress": "jo@example.test", "action": "failed", "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 user unknown"}
            ],
            "timestamp": "2026-11-20T14:05:03.669Z",
            "feedbackId": "0100017f-feedback-000000",
            "reportingMTA": "dsn; a8-70.smtp-out.amazonses.com",
        },
    )


def transient_bounce(message_id: str) -> str:
    return ses_event(
        "Bounce",
        message_id,
        bounce={
            "bounceType": "Transient",
            "bounceSubType": "MailboxFull",
            "bouncedRecipients": [{"emailAddress": "jo@example.test", "action": "delayed", "status": "4.2.2"}],
            "timestamp": "2026-11-20T14:05:03.669Z",
            "feedbackId": "0100017f-feedback-000001",
        },
    )


def complaint(message_id: str) -> str:
    return ses_event(
        "Complaint",
        message_id,
        complaint={
            "complainedRecipients": [{"emailAddress": "jo@example.test"}],
            "timestamp": "2026-11-20T15:00:00.000Z",
            "feedbackId": "0100017f-feedback-000002",
            "userAgent": "ExampleCorp Feedback Loop (V0.01)",
            "complaintFeedbackType": "abuse",
            "arrivalDate": "2026-11-20T14:59:59.000Z",
        },
    )


def delivered(message_id: str) -> str:
    return ses_event(
        "Delivery",
        message_id,
        delivery={
            "timestamp": "2026-11-20T14:05:03.000Z",
            "processingTimeMillis": 546,
            "recipients": ["jo@example.test"],
            "smtpResponse": "250 ok",
        },
    )


def publish(practice: Practice, message: str) -> Any:
    """SNS invoking the function with one notification, as the topic's subscription does."""
    client = practice.client
    return client.lambda_.invoke("mail_events", client.events.generate_sns_event(message=message, subject=""))


def invited_client(practice: Practice) -> tuple[str, str]:
    client = add_client(practice.admin, "Jordan Lee", email="jo@example.test")
    assert invite(practice.admin, client["id"]).json["portal"]["invitation_delivery"] == "sent"
    message_id = item_to("jo@example.test").message_id
    assert message_id
    return client["id"], message_id


def test_a_permanent_bounce_shows_the_invitation_as_failed(practice: Practice) -> None:
    # Given an invitation SES accepted
    client_id, message_id = invited_client(practice)

    # When SES reports that it bounced for good
    publish(practice, permanent_bounce(message_id))

    # Then staff see the invitation as failed, and the outbox item records the bounce
    shown = practice.admin.get(f"/api/clients/{client_id}")
    assert shown.status == 200
    assert shown.json["portal"]["invitation_delivery"] == "failed"
    assert stored_client(practice.org_id, client_id).invitation_delivery == "failed"
    assert (item_to("jo@example.test").status, item_to("jo@example.test").last_error) == ("bounced", "bounce")


def test_a_complaint_is_recorded_like_a_bounce(practice: Practice) -> None:
    # Given an invitation SES delivered
    client_id, message_id = invited_client(practice)

    # When the recipient marks it as spam
    publish(practice, complaint(message_id))

    # Then it counts as failed: the practice should not keep mailing that address
    assert stored_client(practice.org_id, client_id).invitation_delivery == "failed"
    assert (item_to("jo@example.test").status, item_to("jo@example.test").last_error) == ("bounced", "complaint")


def test_a_transient_bounce_or_a_delivery_changes_nothing(practice: Practice) -> None:
    # Given an invitation SES accepted
    client_id, message_id = invited_client(practice)

    # When SES reports a full mailbox it keeps retrying, and then the delivery
    publish(practice, transient_bounce(message_id))
    publish(practice, delivered(message_id))

    # Then the invitation still shows as sent
    assert stored_client(practice.org_id, client_id).invitation_delivery == "sent"
    assert item_to("jo@example.test").status == "sent"


def test_a_notification_for_a_message_we_did_not_send_is_ignored(practice: Practice) -> None:
    # Given an invitation SES accepted
    client_id, _ = invited_client(practice)

    # When a bounce arrives for another message id, and a notification that is not JSON at all
    publish(practice, permanent_bounce("0100017f-not-ours-000000"))
    publish(practice, "not an SES notification")

    # Then nothing changed (and nothing raised, so SNS does not deliver them again)
    assert stored_client(practice.org_id, client_id).invitation_delivery == "sent"
    assert item_to("jo@example.test").status == "sent"


def test_identity_notifications_are_read_as_well() -> None:
    # SES identity notifications (the older feed) say notificationType instead of eventType.
    notification = json.loads(permanent_bounce("m-1"))
    notification["notificationType"] = notification.pop("eventType")
    assert mail_event_outcome(json.dumps(notification)) == ("m-1", "bounce")
    assert mail_event_outcome(json.dumps({"eventType": "Bounce", "mail": {}})) is None
    assert mail_event_outcome(json.dumps(["Bounce"])) is None
