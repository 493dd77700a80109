"""A mass message to 2,000 clients: how long the job takes and how many DynamoDB calls it makes per recipient.

The practice is created through the API; its 2,000 clients with an active portal account are bulk-loaded
(BatchWriteItem). The administrator starts the mass message through the API (as measured in section 2), then the
job (``campaigns.send_due``, what the one-minute schedule runs) sends it in batches; its DynamoDB calls are counted
like section 2's, and every recipient's conversation is checked afterwards: exactly one copy each.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.browser import Browser, Mailbox
from bench.dynamo import CallCounter
from bench.report import Verdict, heading, table

RECIPIENTS = 2_000
PASSWORD = "correct horse battery staple"


def post_file(ticket: dict[str, Any], body: bytes, content_type: str) -> int:
    """What a browser does with an upload ticket: a multipart POST of its fields and the file, straight to S3."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in ticket["fields"].items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(ticket["url"], data=b"".join(parts), method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def measure(root: Path, recipients: int = RECIPIENTS) -> tuple[str, list[Verdict]]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "POWERTOOLS_DEV": "false", "POWERTOOLS_LOG_LEVEL": "WARNING"}.items():  # fmt: skip
        os.environ.setdefault(name, value)
    counter = CallCounter()
    _install(counter)
    from scripts.emulator import Emulator

    emulator = Emulator().start()
    try:
        return _run(emulator.url, counter, recipients)
    finally:
        emulator.stop()


def _install(counter: CallCounter) -> None:
    """Section 2 may have hooked PynamoDB's sessions already; this counter hooks new sessions too, under its own id."""
    import pynamodb.connection.base as pynamodb_base

    original: Any = pynamodb_base.__dict__["get_session"]

    def get_session() -> Any:
        session = original()
        session.register("before-call.dynamodb", counter.on_call, unique_id="bench-mass-message-counter")
        return session

    pynamodb_base.__dict__["get_session"] = get_session


def _run(moto_url: str, counter: CallCounter, recipients: int) -> tuple[str, list[Verdict]]:
    from chalice.test import Client

    from app import app
    from chalicelib.config import Settings, use_settings
    from chalicelib.services.messaging import campaigns
    from chalicelib.tables.registry import bind_tables
    from scripts.provision import provision

    settings = Settings(stage="test", aws_endpoint_url=moto_url, table_prefix="portal-mass", bucket_name="portal-mass-documents",
                        public_base_url="http://portal.bench")  # fmt: skip
    use_settings(settings)
    bind_tables(settings)
    provision(settings)
    with Client(app) as client:
        admin, org_id = _practice(client, Mailbox(moto_url))
        loaded = _bulk_load(org_id, recipients)
        started = admin.request("POST", "/api/messages/campaigns", {"text": "We are closed on Friday.", "audience": "all"})
        if started.status != 202:
            return heading("6. Mass message") + f"\nSTOPPED: starting the campaign answered {started.status}", []
        counter.take()
        began = time.perf_counter()
        run = campaigns.send_due(seconds=600)
        seconds = time.perf_counter() - began
        calls = counter.take()
    copies = _copies(org_id)
    per_recipient = len(calls) / max(1, run.sent)
    kinds = Counter(calls)
    rows = [
        ["recipients (active portal accounts)", f"{recipients:,}"],
        ["sent / skipped / batches", f"{run.sent:,} / {run.skipped:,} / {run.batches:,}"],
        ["job time", f"{seconds:.1f} s ({seconds * 1000 / max(1, run.sent):.2f} ms per recipient)"],
        [
            "DynamoDB calls",
            f"{len(calls):,} ({per_recipient:.3f} per recipient): " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        ],
        ["conversations with exactly one copy", f"{sum(1 for n in copies.values() if n == 1):,} of {len(copies):,}"],
        ["scans", str(kinds.get("Scan", 0))],
    ]
    text = "\n".join([
        heading("6. Mass message to 2,000 clients"),
        f"{recipients:,} clients bulk-loaded in {loaded:.1f} s; the job: Query of the audience, one TransactWriteItems per batch "
        f"of {campaigns.BATCH} recipients (message, conversation, counters, notice, audit event each) with the cursor.",
        "",
        table(["figure", "value"], rows),
    ])  # fmt: skip
    complete = run.sent == recipients and all(n == 1 for n in copies.values()) and len(copies) == recipients
    verdicts = [
        Verdict("mass message: every recipient exactly once", complete, f"{len(copies):,} conversations, {run.sent:,} sent"),
        Verdict("mass message: no Scan", kinds.get("Scan", 0) == 0, f"{per_recipient:.3f} calls per recipient, {seconds:.1f} s"),
    ]
    return text, verdicts


def _practice(client: Any, mailbox: Mailbox) -> tuple[Browser, str]:
    from bench.dynamo import staff_password_only

    admin = Browser(client)
    body = {"name": "Mass Counseling", "slug": "mass", "time_zone": "America/Chicago", "admin_name": "Ada Admin",
            "admin_email": "admin@mass.test"}  # fmt: skip
    created = admin.request("POST", "/api/organizations", body).json
    # New practices require a second factor of staff: the bench's administrator signs in with a password, as in section 2.
    staff_password_only(str(created["organization"]["id"]), "mass")
    admin.request("POST", "/api/password-tokens/redeem", {"token": mailbox.token_for("admin@mass.test"), "password": PASSWORD})
    return admin, str(created["organization"]["id"])


def _bulk_load(org_id: str, count: int) -> float:
    from chalicelib import clock
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import ClientRecord

    started = time.perf_counter()
    now = clock.now()
    pk = keys.org_pk(org_id)
    with ClientRecord.batch_write() as batch:
        for i in range(count):
            client_id = f"cli_mass{i:05d}"
            email = f"client{i:05d}@mass.test"
            batch.save(
                ClientRecord(pk, keys.client_sk(client_id), org_id=org_id, id=client_id, name=f"Client {i}", email=email,
                             email_key=keys.email_key(org_id, email), time_zone="America/Chicago", status="active",
                             created_at=now, version=1)
            )  # fmt: skip
    return time.perf_counter() - started


def _copies(org_id: str) -> dict[str, int]:
    """Messages per conversation, read back with Queries of the message items (bench-side, not counted)."""
    from chalicelib.tables import keys
    from chalicelib.tables.messaging import MessageItem

    found = MessageItem.query(
        keys.org_pk(org_id), MessageItem.sk.startswith(keys.MESSAGE_PREFIX), attributes_to_get=["pk", "sk", "client_id"]
    )
    return dict(Counter(str(item.client_id) for item in found))
