"""Wiring only: the Chalice app, its middleware and the route map. Handler modules load on first use."""

from __future__ import annotations

from chalice.app import Chalice

from chalicelib.observability import install
from chalicelib.routes import register_routes

app = Chalice(app_name="client-portal", configure_logs=False)  # powertools writes the logs (JSON, request id)
app.api.binary_types = []  # every response is text (JSON, CSV); nothing needs base64
install(app)
register_routes(app)
