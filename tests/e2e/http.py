"""A browser tab without a browser: cookie and CSRF token kept like a tab keeps them, over real HTTP to the local
stack (for tests that need many requests at once, where Chromium would only get in the way)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

COOKIE = "__Host-portal_session"


@dataclass
class Answer:
    status: int
    body: Any


@dataclass
class Tab:
    base_url: str
    cookie: str | None = None
    csrf: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: Any = None) -> Answer:
        headers = {"user-agent": "race-test", **self.headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        if self.cookie:
            headers["cookie"] = f"{COOKIE}={self.cookie}"
        if self.csrf and method != "GET":
            headers["x-csrf-token"] = self.csrf
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw, cookie = response.status, response.read(), response.headers.get("set-cookie")
        except urllib.error.HTTPError as error:
            status, raw, cookie = error.code, error.read(), error.headers.get("set-cookie")
        answer = Answer(status, json.loads(raw) if raw[:1] in {b"{", b"["} else raw)
        if cookie:
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1] or None
        if isinstance(answer.body, dict) and "csrf_token" in answer.body:
            self.csrf = answer.body["csrf_token"]
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> Answer:
        return self.request("POST", path, body if body is not None else {})


def token_for(base_url: str, email: str) -> str:
    """The newest set-password link mailed to ``email``, from the local mailbox."""
    with urllib.request.urlopen(f"{base_url}/dev/mailbox.json?page=1") as response:
        messages = json.load(response)["messages"]
    for message in messages:
        if email in message["to"]:
            match = re.search(r"#token=([A-Za-z0-9_\-]+)", message["html"])
            if match:
                return match.group(1)
    raise AssertionError(f"no set-password mail to {email}")
