"""A chalice.test.Client wrapper that keeps one person's session cookie and CSRF token, like a browser tab,
and a reader of the mail moto's SES accepted (set-password links travel by mail)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
COOKIE = "__Host-portal_session"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        if not self.body or not self.headers.get("content-type", "").startswith(("application/json", "application/problem+json")):
            return None
        return json.loads(self.body)


@dataclass
class Browser:
    client: Any  # chalice.test.Client
    cookie: str | None = None
    csrf: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None) -> Response:
        headers = {"user-agent": "bench", **self.headers}
        if body is not None:
            headers["content-type"] = "application/json"
        if self.cookie:
            headers["cookie"] = f"{COOKIE}={self.cookie}"
        if self.csrf and method in UNSAFE:
            headers["x-csrf-token"] = self.csrf
        payload = json.dumps(body).encode() if body is not None else b""
        result = self.client.http.request(method, path, headers=headers, body=payload)
        response = Response(result.status_code, {k.lower(): v for k, v in result.headers.items()}, result.body)
        self._remember(response)
        return response

    def _remember(self, response: Response) -> None:
        cookie = response.headers.get("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1] or None
        data = response.json
        if isinstance(data, dict) and "csrf_token" in data:
            self.csrf = str(data["csrf_token"])


@dataclass
class Mailbox:
    """What moto's SES accepted (oldest first) once the outbox has delivered what is due, as the tests' Mailbox."""

    moto_url: str

    def messages(self) -> list[dict[str, Any]]:
        from chalicelib.services.outbox import deliver_due
        from scripts.emulator import sent_mail

        deliver_due()
        return [{"body": m.html, "destinations": {"ToAddresses": m.to}} for m in reversed(sent_mail())]

    def token_for(self, email: str) -> str:
        for message in reversed(self.messages()):
            if email in message.get("destinations", {}).get("ToAddresses", []):
                match = re.search(r"#token=([A-Za-z0-9_\-]+)", message.get("body", ""))
                if match:
                    return match.group(1)
        raise LookupError(f"no set-password mail to {email}")
