"""Wiring only: the Chalice app, its middleware and the route map. Handler modules load on first use."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice, Rate

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
