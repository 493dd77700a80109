"""Wiring only: the Chalice app, its middleware, the route map and the jobs. Handler modules load on first use."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice, Rate

from chalicelib.config import get_settings
from chalicelib.observability import install
from chalicelib.routes import register_routes

app = Chalice(app_name="client-portal", configure_logs=False)  # powertools writes the logs (JSON, request id)
app.api.binary_types = []  # every response is text (JSON, CSV); nothing needs base64
install(app)
register_routes(app)


@app.schedule(Rate(1, unit=Rate.HOURS), name="intake_reminders")
def intake_reminders(event: Any) -> None:
    from chalicelib.jobs import send_intake_reminders

    send_intake_reminders()


@app.schedule(Rate(15, unit=Rate.MINUTES), name="appointment_reminders")
def appointment_reminders(event: Any) -> None:
    from chalicelib.jobs import send_appointment_reminders

    send_appointment_reminders()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="outbox_sweep")
def outbox_sweep(event: Any) -> None:
    from chalicelib.jobs import deliver_mail

    deliver_mail()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="mass_messages")
def mass_messages(event: Any) -> None:
    from chalicelib.jobs import send_mass_messages

    send_mass_messages(seconds=15)  # within the function's 20-second limit; the next run resumes after the last batch


# The CloudFormation template points this at the outbox table's stream (the ARN is only known once deployed).
@app.on_dynamodb_record(stream_arn=get_settings().outbox_stream_arn, name="outbox_stream", batch_size=25)
def outbox_stream(event: Any) -> None:
    from chalicelib.jobs import deliver_new_mail

    deliver_new_mail(event.to_dict().get("Records", []))


# SES's configuration set publishes bounces and complaints to this topic; the CloudFormation template creates the
# topic (named after the stack) and points the subscription at it.
@app.on_sns_message(topic="portal-mail-events", name="mail_events")
def mail_events(event: Any) -> None:
    from chalicelib.jobs import record_mail_events

    record_mail_events([event.message])
