"""The webhook route kind: a raw body from a machine, no session or CSRF, a signature the handler verifies, and each
event processed once. Exercised with a route declared here (payments declares Stripe's)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.app import Chalice

from chalicelib import audit
from chalicelib.auth.principals import Anonymous
from chalicelib.errors import SignatureInvalid
from chalicelib.handlers.api import ROUTES, Received, Router, VerifiedEvent, claim_event, webhook
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.webhooks import ProcessedEvent
from tests.conftest import Practice, audit_trail

SECRET = b"whsec_test"
TOLERANCE = 300


def verify(headers: dict[str, str], body: bytes, params: dict[str, str]) -> VerifiedEvent:
    """Stripe's scheme: t=<unix time>,v1=<HMAC-SHA256 of "t.body">; five minutes of tolerance."""
    parts = dict(part.split("=", 1) for part in headers.get("x-signature", "").split(",") if "=" in part)
    expected = hmac.new(SECRET, f"{parts.get('t', '')}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(parts.get("v1", ""), expected):
        raise SignatureInvalid("The signature does not match.")
    if abs(time.time() - int(parts.get("t", "0"))) > TOLERANCE:
        raise SignatureInvalid("The signature is too old.")
    payload = json.loads(body)
    return VerifiedEvent(event_id=payload["id"], event_type=payload["type"], payload=payload, tenant=payload.get("org"))


router = Router("tests.api.test_webhook_kind")


@webhook(router, "/test-hooks", verify=verify, summary="A test webhook", response=Received)
def receive(event: VerifiedEvent) -> Received:
    with transaction() as tx:
        claim_event(tx, "test", event)
        tx.save(audit.event(Anonymous(org_id=str(event.tenant), id="webhook", role="system"), "test.event", f"event/{event.event_id}"))
    return Received(received=True)


ROUTES.remove(next(spec for spec in ROUTES if spec.path == "/api/test-hooks"))  # declared here, not a route of the product


@pytest.fixture
def hooks(settings: Any) -> Iterator[Any]:
    from chalice.test import Client

    app = Chalice("webhook-test")
    handler = router.endpoints[("POST", "/api/test-hooks")]

    @app.route("/api/test-hooks", methods=["POST"], content_types=["*/*"])
    def test_hooks() -> Any:
        assert app.current_request is not None
        return handler(app.current_request, app.lambda_context, {})

    with Client(app) as client:
        yield client


def deliver(client: Any, payload: dict[str, Any], *, timestamp: int | None = None, tamper: bool = False) -> Any:
    body = json.dumps(payload).encode()
    t = str(timestamp or int(time.time()))
    signature = hmac.new(SECRET, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    sent = body.replace(b"created", b"deleted") if tamper else body
    return client.http.post(
        "/api/test-hooks", headers={"x-signature": f"t={t},v1={signature}", "content-type": "application/json"}, body=sent
    )


def test_a_signed_event_is_processed_without_a_session(hooks: Any, practice: Practice) -> None:
    response = deliver(hooks, {"id": "evt_1", "type": "thing.created", "org": practice.org_id})
    assert response.status_code == 200, response.body
    assert json.loads(response.body) == {"received": True, "duplicate": False}
    assert get_or_none(ProcessedEvent, keys.webhook_event_pk("test", "evt_1")) is not None
    assert [e.action for e in audit_trail(practice.org_id)].count("test.event") == 1


def test_a_repeated_event_changes_nothing(hooks: Any, practice: Practice) -> None:
    # Given an event processed once
    event = {"id": "evt_2", "type": "thing.created", "org": practice.org_id}
    assert deliver(hooks, event).status_code == 200

    # When it is delivered five more times
    answers = [deliver(hooks, event) for _ in range(5)]

    # Then each is acknowledged as a duplicate, and its change happened once
    assert {json.loads(a.body)["duplicate"] for a in answers} == {True}
    assert [e.action for e in audit_trail(practice.org_id)].count("test.event") == 1


@pytest.mark.parametrize("case", ["tampered", "stale", "unsigned"])
def test_a_bad_signature_is_refused_and_changes_nothing(hooks: Any, practice: Practice, case: str) -> None:
    event = {"id": f"evt_{case}", "type": "thing.created", "org": practice.org_id}
    if case == "unsigned":
        response = hooks.http.post("/api/test-hooks", headers={"content-type": "application/json"}, body=json.dumps(event).encode())
    else:
        response = deliver(hooks, event, tamper=case == "tampered", timestamp=int(time.time()) - 3600 if case == "stale" else None)
    assert response.status_code == 400
    assert json.loads(response.body)["type"] == "/problems/invalid-signature"
    assert get_or_none(ProcessedEvent, keys.webhook_event_pk("test", f"evt_{case}")) is None
    assert "test.event" not in [e.action for e in audit_trail(practice.org_id)]
