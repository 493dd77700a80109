"""Shared fixtures: one in-process AWS emulator (moto server mode) for the session, reset before each test.

API tests drive the real Chalice app through ``chalice.test.Client``; fixtures build the world through the
same services people use. Only the clock is controlled (``frozen_clock``); mail goes to moto's SES.
"""

from __future__ import annotations

import json
import os
import re
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC
from typing import Any

import pytest

from chalicelib import clock
from chalicelib.adapters.mail import use_mailer
from chalicelib.adapters.payments import use_payments
from chalicelib.adapters.storage import use_storage
from chalicelib.config import Settings, use_settings
from chalicelib.tables.registry import bind_tables, physical_tables, table_models, table_name
from scripts.emulator import Emulator, sent_mail

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("POWERTOOLS_DEV", "false")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    # The same emulator as `make run`: in this process, DynamoDB atomic per request (scripts/emulator.py).
    emulator = Emulator().start()
    yield emulator.url
    emulator.stop()


def test_settings(moto_url: str, **overrides: Any) -> Settings:
    base = Settings(
        stage="test",
        aws_endpoint_url=moto_url,
        table_prefix="portal-test",
        bucket_name="portal-test-documents",
        public_base_url="http://portal.test",
    )
    return replace(base, **overrides)


@pytest.fixture(scope="session")
def stage_settings(moto_url: str) -> Settings:
    # One object for the whole run: the app re-binds its tables (and rebuilds its boto clients) whenever it meets a
    # settings object it has not bound yet, so a new, equal object per test would cost about a second each time.
    return test_settings(moto_url)


@pytest.fixture
def settings(moto_url: str, stage_settings: Settings) -> Iterator[Settings]:
    """Fresh emulator state and the test stage's settings; tests may install others with use_settings."""
    from scripts.provision import create_bucket, create_payments_key, verify_sender

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"))
    current = stage_settings
    use_settings(current)
    _bind_unless_bound(current)
    # scripts.provision.provision, minus its re-binding: binding drops every model's connection, and building the
    # eight boto clients again costs about a second per test. The tables come from the same models all the same.
    for model in physical_tables():
        model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
    create_bucket(current)
    verify_sender(current)
    create_payments_key(current)
    yield current
    use_settings(None)
    use_mailer(None)
    use_storage(None)
    use_payments(None)
    clock.unfreeze()


def _bind_unless_bound(settings: Settings) -> None:
    """Bind the models to these settings' tables unless they already are (a test may have bound others)."""
    bound = all(
        model.Meta.table_name == table_name(settings, model.Meta.short_name) and model.Meta.host == settings.aws_endpoint_url
        for model in table_models()
    )
    if not bound:
        bind_tables(settings)


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    from datetime import datetime

    clock.freeze(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    yield
    clock.unfreeze()


def deliver_outbox() -> None:
    """What the stack's mail worker does every second: deliver every mail that is due (by the test's clock)."""
    from chalicelib.services.outbox import deliver_due

    deliver_due()


@dataclass
class Mailbox:
    """What SES accepted (oldest first), after the outbox has delivered whatever is due — as the local mailbox shows."""

    moto_url: str

    def messages(self) -> list[dict[str, Any]]:
        deliver_outbox()
        return [
            {"id": m.id, "source": m.sender, "subject": m.subject, "body": m.html, "destinations": {"ToAddresses": m.to}}
            for m in reversed(sent_mail())
        ]

    def to(self, email: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if email in m.get("destinations", {}).get("ToAddresses", [])]

    def token_for(self, email: str) -> str:
        for message in reversed(self.to(email)):
            match = re.search(r"#token=([A-Za-z0-9_\-]+)", message["body"])
            if match:
                return match.group(1)
        raise AssertionError(f"no set-password mail to {email}")


@pytest.fixture
def mailbox(settings: Settings, moto_url: str) -> Mailbox:
    return Mailbox(moto_url)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def problem_type(self) -> str | None:
        data = self.json
        return data.get("type") if isinstance(data, dict) else None


@dataclass
class Browser:
    """A test client that keeps one person's session cookie and CSRF token, like a browser tab would."""

    client: Any
    cookie: str | None = None
    csrf: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: Any = None, *, raw: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        all_headers = {"user-agent": "pytest", **self.headers, **(headers or {})}
        if body is not None or raw is not None:
            all_headers.setdefault("content-type", "application/json")
        if self.cookie:
            all_headers["cookie"] = f"__Host-portal_session={self.cookie}"
        if self.csrf and method in {"POST", "PUT", "PATCH", "DELETE"}:
            all_headers.setdefault("x-csrf-token", self.csrf)
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        result = self.client.http.request(method, path, headers=all_headers, body=payload)
        response = Response(result.status_code, {k.lower(): v for k, v in result.headers.items()}, result.body)
        self._remember(response)
        return response

    def _remember(self, response: Response) -> None:
        cookie = response.headers.get("set-cookie")
        if cookie:
            value = cookie.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value or None
        data = response.json if response.headers.get("content-type", "").startswith("application/json") else None
        if isinstance(data, dict) and "csrf_token" in data:
            self.csrf = data["csrf_token"]

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return self.request("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return self.request("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def chalice_client(settings: Settings) -> Iterator[Any]:
    from chalice.test import Client

    from app import app

    with Client(app) as client:
        yield client


@pytest.fixture
def browser(chalice_client: Any) -> Browser:
    return Browser(chalice_client)


PASSWORD = "correct horse battery staple"


@dataclass
class Practice:
    """A practice built through the API as people would: created, its administrator has set a password."""

    slug: str
    org_id: str
    admin: Browser
    admin_id: str
    admin_email: str
    client: Any
    mailbox: Mailbox

    def new_browser(self) -> Browser:
        return Browser(self.client)

    def add_staff(self, name: str, email: str, role: str = "therapist", *, can_invite_clients: bool = False) -> tuple[Browser, str]:
        """Invite a staff member and have them set their password from the mail; returns their signed-in browser."""
        created = self.admin.post("/api/staff", {"name": name, "email": email, "role": role, "can_invite_clients": can_invite_clients})
        assert created.status == 201, created.json
        person = self.new_browser()
        redeemed = person.post("/api/password-tokens/redeem", {"token": self.mailbox.token_for(email), "password": PASSWORD})
        assert redeemed.status == 200, redeemed.json
        return person, created.json["id"]


def create_practice(client: Any, mailbox: Mailbox, slug: str = "harbor", admin_email: str = "ada@harbor.test") -> Practice:
    browser = Browser(client)
    created = browser.post(
        "/api/organizations",
        {
            "name": f"{slug.title()} Counseling",
            "slug": slug,
            "time_zone": "America/Chicago",
            "admin_name": "Ada Admin",
            "admin_email": admin_email,
        },
    )
    assert created.status == 201, created.json
    org_id = created.json["organization"]["id"]
    # The test world's choice: new practices require a second factor of their staff (the product's default), but the
    # practices tests build do not, so every staff test is not a set-up test. Second-factor tests switch it on
    # (require_second_factor below).
    set_staff_second_factor(org_id, slug, required=False)
    redeemed = browser.post("/api/password-tokens/redeem", {"token": mailbox.token_for(admin_email), "password": PASSWORD})
    assert redeemed.status == 200, redeemed.json
    return Practice(
        slug=slug,
        org_id=org_id,
        admin=browser,
        admin_id=created.json["administrator"]["id"],
        admin_email=admin_email,
        client=client,
        mailbox=mailbox,
    )


def set_staff_second_factor(org_id: str, slug: str, *, required: bool) -> None:
    """Switch the practice's staff requirement straight in the tables (the organization and its slug claim's copy),
    without the administrator's step-up that the settings route asks for."""
    from chalicelib.tables.keys import ORGANIZATION_SK, SLUG_SK, org_pk, slug_pk
    from chalicelib.tables.organizations import Organization, SlugClaim

    Organization(org_pk(org_id), ORGANIZATION_SK).update(
        actions=[Organization.staff_second_factor.set(required)], condition=Organization.pk.exists(), add_version_condition=False
    )
    SlugClaim(slug_pk(slug), SLUG_SK).update(actions=[SlugClaim.staff_second_factor.set(required)], condition=SlugClaim.pk.exists())


@pytest.fixture
def practice(chalice_client: Any, mailbox: Mailbox) -> Practice:
    return create_practice(chalice_client, mailbox)


# ------------------------------------------------------------------------------------------------------------
# Helpers for the API test layer: sign in as people do, and read what was stored straight from the tables.


def sign_in(
    client: Any, slug: str, email: str, password: str = PASSWORD, *, headers: dict[str, str] | None = None
) -> tuple[Browser, Response]:
    """A fresh browser tab that signs in; returns the tab and the sign-in response."""
    browser = Browser(client, headers=dict(headers or {}))
    return browser, browser.post(f"/api/orgs/{slug}/sign-in", {"email": email, "password": password})


def session_record(browser: Browser) -> Any:
    """The stored session behind a browser's cookie (looked up by the SHA-256 of its secret, as the server does)."""
    from chalicelib.auth.sessions import split_token
    from chalicelib.auth.tokens import digest
    from chalicelib.tables.keys import session_pk
    from chalicelib.tables.sessions import Session

    assert browser.cookie, "this browser is not signed in"
    parts = split_token(browser.cookie)
    assert parts is not None, "not a session cookie"
    return Session.get(session_pk(digest(parts[2])), consistent_read=True)


def principal_of_browser(browser: Browser) -> Any:
    """The principal the server builds for this browser's session (for calling a service directly)."""
    from chalicelib.auth.sessions import authenticate

    assert browser.cookie, "this browser is not signed in"
    return authenticate(browser.cookie).principal


def mint_session(client: Any, identity: Any) -> Browser:
    """A browser holding a real session record for ``identity`` (an ``auth.sessions.Identity``), saved as sign-in does.

    A shortcut past setting a password (the account is marked active if it is not): ``open_portal_account`` gives a
    client a session the way clients get one.
    """
    from chalicelib.auth.sessions import new_session
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import Login

    account = Login(keys.org_pk(identity.org_id), keys.account_sk(identity.principal_id))
    account.update(actions=[Login.status.set("active")], condition=Login.pk.exists())
    created = new_session(replace(identity, epoch=int(account.session_epoch or 0)))
    created.record.save()
    return Browser(client, cookie=created.token, csrf=created.record.csrf_token)


def client_identity(practice: Practice, client_id: str | None = None) -> Any:
    """What a client's sign-in records about them. Without an id, a client record (Casey Client) is created first."""
    from chalicelib.auth.principals import Role
    from chalicelib.auth.sessions import Identity

    if client_id is None:
        client_id = add_client(practice.admin, "Casey Client", email=f"casey-{free_port()}@client.test")["id"]
    return Identity(org_id=practice.org_id, principal_id=client_id, role=Role.CLIENT)


def stored_staff(org_id: str, staff_id: str) -> Any:
    from chalicelib.tables.accounts import StaffMember
    from chalicelib.tables.keys import org_pk, staff_sk

    return StaffMember.get(org_pk(org_id), staff_sk(staff_id), consistent_read=True)


def staff_in(org_id: str) -> list[Any]:
    from chalicelib.tables.accounts import StaffMember
    from chalicelib.tables.keys import STAFF_PREFIX, org_pk

    return list(StaffMember.query(org_pk(org_id), StaffMember.sk.startswith(STAFF_PREFIX), consistent_read=True))


def stored_organization(org_id: str) -> Any:
    from chalicelib.tables.keys import org_pk
    from chalicelib.tables.organizations import Organization

    return Organization.get(org_pk(org_id), "ORG", consistent_read=True)


def audit_trail(org_id: str) -> list[Any]:
    """Every audit event of an organization, newest first."""
    from chalicelib.tables.audit import AuditEvent
    from chalicelib.tables.keys import org_pk

    return list(AuditEvent.query(org_pk(org_id), scan_index_forward=False, consistent_read=True))


def lowered(settings: Settings, **changes: Any) -> Settings:
    """Install settings with a few non-table fields changed (limits, timeouts); the `settings` fixture resets them."""
    changed = replace(settings, **changes)
    use_settings(changed)
    return changed


@pytest.fixture
def other_practice(chalice_client: Any, mailbox: Mailbox) -> Practice:
    """A second, unrelated practice on the same deployment (for tenant isolation)."""
    return create_practice(chalice_client, mailbox, slug="cove", admin_email="cy@cove.test")


@pytest.fixture
def serializable_dynamodb() -> None:
    """The emulator always gives DynamoDB's isolation now (scripts/emulator.py); kept so race tests say they rely on it."""


def table_size(model: Any) -> int:
    """How many items the model's physical table holds (a test-only Scan; the app never scans)."""
    from chalicelib.tables.base import connection

    return len(connection().scan(model.Meta.table_name, consistent_read=True).get("Items", []))


# ------------------------------------------------------------------------------------------------------------
# Clients: records made through the API, portal accounts opened from the mailed link, and what the tables hold.

CLIENT_PASSWORD = "harbor lights at dusk"


class FailingMailer:
    """SES refusing every message (throttled, sandboxed or down); install with ``use_mailer``."""

    def send(self, to: str, mail: Any) -> Any:
        from chalicelib.errors import DeliveryFailed

        raise DeliveryFailed("SES is unavailable")


def add_client(staff: Browser, name: str = "Jordan Lee", **fields: Any) -> dict[str, Any]:
    """A client record created by a staff member through the API; returns the client view."""
    created = staff.post("/api/clients", {"name": name, **fields})
    assert created.status == 201, created.json
    return dict(created.json)


def invite(staff: Browser, client_id: str, **body: Any) -> Response:
    """Send (or re-send) a client's portal invitation."""
    return staff.post(f"/api/clients/{client_id}/invitation", {"form_ids": [], **body})


def open_portal_account(practice: Practice, staff: Browser, client_id: str, email: str, password: str = CLIENT_PASSWORD) -> Browser:
    """Invite a client and have them set their password from the mail; returns the client's signed-in browser."""
    invited = invite(staff, client_id)
    assert invited.status == 200, invited.json
    person = practice.new_browser()
    redeemed = person.post("/api/password-tokens/redeem", {"token": practice.mailbox.token_for(email), "password": password})
    assert redeemed.status == 200, redeemed.json
    return person


def stored_client(org_id: str, client_id: str) -> Any:
    from chalicelib.tables.accounts import ClientRecord
    from chalicelib.tables.keys import client_sk, org_pk

    return ClientRecord.get(org_pk(org_id), client_sk(client_id), consistent_read=True)


def clients_in(org_id: str) -> list[Any]:
    from chalicelib.tables.accounts import ClientRecord
    from chalicelib.tables.keys import CLIENT_PREFIX, org_pk

    return list(ClientRecord.query(org_pk(org_id), ClientRecord.sk.startswith(CLIENT_PREFIX), consistent_read=True))


def assigned_client_ids(org_id: str, therapist_id: str) -> list[str]:
    """The client ids of a therapist's assignment items (what their client list reads)."""
    from chalicelib.tables.accounts import Assignment
    from chalicelib.tables.keys import ASSIGN_PREFIX, org_pk

    prefix = f"{ASSIGN_PREFIX}{therapist_id}#"
    return sorted(item.client_id for item in Assignment.query(org_pk(org_id), Assignment.sk.startswith(prefix), consistent_read=True))


def search_tokens_of(org_id: str, client_id: str) -> set[str]:
    """The words a client can be found by, read from the stored search entries."""
    from chalicelib.tables.accounts import SearchEntry
    from chalicelib.tables.keys import SEARCH_PREFIX, org_pk

    entries = SearchEntry.query(org_pk(org_id), SearchEntry.sk.startswith(SEARCH_PREFIX), consistent_read=True)
    return {entry.sk.removeprefix(SEARCH_PREFIX).rsplit("#", 1)[0] for entry in entries if entry.client_id == client_id}


def client_items(org_id: str) -> list[str]:
    """Sort keys of every client-derived item of an organization: records, assignments, search entries, email claims
    held for clients, saved templates — to check that a refused request wrote nothing."""
    from chalicelib.tables.accounts import StaffMember
    from chalicelib.tables.keys import org_pk

    items = StaffMember._get_connection().query(org_pk(org_id), consistent_read=True).get("Items", [])
    staff_claim = {"S": "staff"}
    return sorted(item["sk"]["S"] for item in items if not item["sk"]["S"].startswith("STAFF#") and item.get("kind") != staff_claim)


def email_claim(org_id: str, email: str) -> Any:
    """The claim that reserves an email for one account of the organization, or None."""
    from pynamodb.exceptions import DoesNotExist

    from chalicelib.tables.accounts import EmailClaim
    from chalicelib.tables.keys import email_sk, org_pk

    try:
        return EmailClaim.get(org_pk(org_id), email_sk(email), consistent_read=True)
    except DoesNotExist:
        return None


def audit_of_client(org_id: str, client_id: str) -> list[tuple[str, str]]:
    """(action, outcome) of every audit event whose subject is this client, oldest first."""
    return [(e.action, e.outcome) for e in reversed(audit_trail(org_id)) if e.subject_client_id == client_id]
