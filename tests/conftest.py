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
from typing import Any

import pytest

from chalicelib import clock
from chalicelib.adapters.mail import use_mailer
from chalicelib.config import Settings, use_settings
from chalicelib.tables.base import bind_tables

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
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_settings(moto_url: str, **overrides: Any) -> Settings:
    base = Settings(
        stage="test",
        aws_endpoint_url=moto_url,
        table_prefix="portal-test",
        bucket_name="portal-test-documents",
        public_base_url="http://portal.test",
    )
    return replace(base, **overrides)


@pytest.fixture
def settings(moto_url: str) -> Iterator[Settings]:
    """Fresh emulator state and the test stage's settings; tests may install others with use_settings."""
    from scripts.provision import provision

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"))  # noqa: S310
    current = test_settings(moto_url)
    use_settings(current)
    bind_tables(current)
    provision(current)
    yield current
    use_settings(None)
    use_mailer(None)
    clock.unfreeze()


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    from datetime import datetime, timezone

    clock.freeze(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    yield
    clock.unfreeze()


@dataclass
class Mailbox:
    """Reads what moto's SES accepted (newest last), as the local mailbox page does."""

    moto_url: str

    def messages(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.moto_url}/moto-api/data.json") as response:  # noqa: S310
            return list(json.load(response).get("ses", {}).get("Message", []))

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

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
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
        {"name": f"{slug.title()} Counseling", "slug": slug, "time_zone": "America/Chicago", "admin_name": "Ada Admin", "admin_email": admin_email},
    )
    assert created.status == 201, created.json
    redeemed = browser.post("/api/password-tokens/redeem", {"token": mailbox.token_for(admin_email), "password": PASSWORD})
    assert redeemed.status == 200, redeemed.json
    return Practice(
        slug=slug,
        org_id=created.json["organization"]["id"],
        admin=browser,
        admin_id=created.json["administrator"]["id"],
        admin_email=admin_email,
        client=client,
        mailbox=mailbox,
    )


@pytest.fixture
def practice(chalice_client: Any, mailbox: Mailbox) -> Practice:
    return create_practice(chalice_client, mailbox)
