"""The reference for the signed-in cold start: a minimal Chalice + PynamoDB app that serves GET /api/clients for a
therapist with the same DynamoDB calls the portal makes — one TransactGetItems (session, account, practice), one
Query (the therapist's assignments), one BatchGetItem (the clients), one PutItem (the audit event) — and nothing
else: no validation models, no logging or metrics, no authorization beyond matching the session.

Only bench/first_request.py uses it, in a fresh interpreter; it reads its tables and endpoint from the environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import UTC, datetime
from typing import Any

from chalice.app import Chalice, Response
from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactGet

PREFIX = os.environ["REFERENCE_TABLE_PREFIX"]
HOST = os.environ["REFERENCE_ENDPOINT"]


def _meta(name: str) -> Any:
    return type("Meta", (), {"table_name": f"{PREFIX}-{name}", "host": HOST, "region": "us-east-1"})


class Session(Model):
    Meta = _meta("sessions")
    pk = UnicodeAttribute(hash_key=True)
    principal_id = UnicodeAttribute()


class Account(Model):
    Meta = _meta("accounts")
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    role = UnicodeAttribute()


class Client(Model):
    Meta = _meta("accounts")
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    name = UnicodeAttribute()


class Assignment(Model):
    Meta = _meta("accounts")
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    client_id = UnicodeAttribute()


class Practice(Model):
    Meta = _meta("organizations")
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()


class Event(Model):
    Meta = _meta("audit")
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    action = UnicodeAttribute()
    actor_id = UnicodeAttribute()


app = Chalice(app_name="reference")


@app.route("/api/clients")
def clients() -> Response:
    request = app.current_request
    assert request is not None
    cookie = (request.headers.get("cookie") or "").split("=", 1)[-1]
    org_id, account_id, secret = cookie.split(".")
    with TransactGet(connection=Session._get_connection().connection) as get:
        session = get.get(Session, f"SESSION#{hashlib.sha256(secret.encode()).hexdigest()}")
        account = get.get(Account, f"ORG#{org_id}", f"STAFF#{account_id}")
        get.get(Practice, f"ORG#{org_id}", "ORG")
    if session.get().principal_id != account_id or account.get().role != "therapist":
        return Response(status_code=401, body="")
    pk = f"ORG#{org_id}"
    ids = [a.client_id for a in Assignment.query(pk, Assignment.sk.startswith(f"ASSIGN#{account_id}#"), limit=50)]
    found = sorted(Client.batch_get([(pk, f"CLIENT#{i}") for i in ids]), key=lambda c: c.name)
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    Event(pk, f"{at}#evt_{secrets.token_hex(8)}", action="client.list", actor_id=account_id).save()
    body = json.dumps({"items": [{"id": c.id, "name": c.name} for c in found], "next_cursor": None})
    return Response(body=body, status_code=200, headers={"Content-Type": "application/json"})
