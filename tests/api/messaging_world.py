"""A practice ready for secure messaging, built through the API: Theo (a therapist with a seat) and Jordan (his client,
with an active portal account); helpers to send, read and poll as people do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import Browser, Practice, Response, add_client, open_portal_account

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 200  # a Windows program, renamed report.pdf


@dataclass
class Team:
    practice: Practice
    theo: Browser
    theo_id: str
    client: Browser
    client_id: str

    @property
    def admin(self) -> Browser:
        return self.practice.admin

    def conversation(self) -> str:
        return f"/api/clients/{self.client_id}/conversation"


def seat(practice: Practice, staff_id: str) -> None:
    assert practice.admin.put(f"/api/subscription/seats/{staff_id}").status == 200


def messaging_team(practice: Practice, *, admin_seat: bool = True) -> Team:
    theo, theo_id = practice.add_staff("Theo Therapist", "theo@harbor.test")
    seat(practice, theo_id)
    if admin_seat:
        seat(practice, practice.admin_id)
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@client.test", therapist_ids=[theo_id])["id"]
    client = open_portal_account(practice, practice.admin, client_id, "jordan@client.test")
    return Team(practice, theo, theo_id, client, client_id)


def another_client(team: Team, name: str, email: str, therapist_ids: list[str] | None = None) -> tuple[Browser, str]:
    assigned = therapist_ids if therapist_ids is not None else [team.theo_id]
    client_id = add_client(team.admin, name, email=email, therapist_ids=assigned)["id"]
    return open_portal_account(team.practice, team.admin, client_id, email), client_id


def client_writes(team: Team, text: str = "Can we move Thursday's session?", **body: Any) -> Response:
    return team.client.post("/api/portal/messages", {"text": text, **body})


def staff_writes(team: Team, staff: Browser | None = None, text: str = "Of course — 3 pm works.", **body: Any) -> Response:
    return (staff or team.theo).post(f"{team.conversation()}/messages", {"text": text, **body})


def poll(browser: Browser, path: str, etag: str | None = None) -> Response:
    return browser.get(path, headers={"if-none-match": etag} if etag else None)


def post_file(ticket: dict[str, Any], body: bytes, content_type: str) -> int:
    """What the browser does with an upload ticket: a multipart POST of its fields, then the file, straight to S3."""
    import urllib.error
    import urllib.request
    import uuid

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


def uploaded(browser: Browser, path: str, body: bytes = PDF, *, content_type: str = "application/pdf", name: str = "plan.pdf") -> str:
    """Start an upload through ``path``, post the bytes to S3; returns the upload id (not yet checked)."""
    started = browser.post(path, {"filename": name, "content_type": content_type, "size": len(body)})
    assert started.status == 201, started.json
    assert post_file(started.json, body, content_type) in {200, 201, 204}
    return str(started.json["upload_id"])


def fetch(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url) as response:
        return bytes(response.read())
