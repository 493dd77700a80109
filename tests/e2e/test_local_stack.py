"""The local stack itself: two can run side by side (each emulator takes a free port of its own), a taken web port
fails fast with a clear message, links to stored files are same-origin, and the mailbox pages through mail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.e2e.http import Tab

ROOT = Path(__file__).resolve().parents[2]


def start(port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("MOTO_PORT", None)
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.local_stack", "--port", str(port), "--no-seed"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def healthy(port: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/api/health", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            time.sleep(0.3)
    return False


@pytest.fixture
def two_stacks() -> Iterator[tuple[int, int]]:
    ports = (free_port(), free_port())
    stacks = [start(port) for port in ports]
    try:
        yield ports
    finally:
        for stack in stacks:
            stack.terminate()
            stack.wait(timeout=30)


def test_two_stacks_run_side_by_side(two_stacks: tuple[int, int]) -> None:
    first, second = two_stacks
    assert healthy(first) and healthy(second)
    # Each has its own emulator: a practice created in one does not exist in the other
    body = {"name": "Only Here", "slug": "only-here", "time_zone": "UTC", "admin_name": "Ada", "admin_email": "ada@only.test"}
    assert Tab(f"http://localhost:{first}").post("/api/organizations", body).status == 201
    assert Tab(f"http://localhost:{second}").get("/api/orgs/only-here").status == 404
    assert Tab(f"http://localhost:{second}").post("/api/organizations", body).status == 201


def test_a_taken_web_port_fails_fast_with_a_clear_message(two_stacks: tuple[int, int]) -> None:
    taken, _ = two_stacks
    assert healthy(taken)
    started = time.monotonic()
    third = start(taken)
    output, _ = third.communicate(timeout=60)
    assert third.returncode == 2
    assert f"Port {taken} is already in use" in output
    assert time.monotonic() - started < 20


def mailbox_page(base_url: str, page: int) -> dict[str, object]:
    with urllib.request.urlopen(f"{base_url}/dev/mailbox.json?page={page}") as response:
        loaded: dict[str, object] = json.load(response)
        return loaded


def test_the_mailbox_reads_only_mail_newest_first_in_pages(base_url: str) -> None:
    # Given a mail just sent (a password reset for Riley)
    assert Tab(base_url).post("/api/orgs/demo/password-reset", {"email": "riley@demo.test"}).status == 202

    # Then the first page starts with it, and shows at most 25 mails of the total
    first = mailbox_page(base_url, 1)
    messages = first["messages"]
    assert isinstance(messages, list) and first["page"] == 1
    assert messages[0]["to"] == ["riley@demo.test"] and "Reset your password" in messages[0]["subject"]
    assert set(messages[0]) == {"id", "sender", "to", "subject", "html", "links"}
    assert len(messages) <= 25 and isinstance(first["total"], int) and first["total"] >= len(messages)


def test_links_to_stored_documents_are_same_origin(base_url: str) -> None:
    # Given the demo client's signed documents (Jordan Lee signed two forms)
    jordan = Tab(base_url)
    assert jordan.post("/api/orgs/demo/sign-in", {"email": "jordan@demo.test", "password": "demo-portal-2026"}).status == 200
    [document, *_] = [r for r in jordan.get("/api/portal/form-requests").body["items"] if r["status"] == "completed"]

    # When the client asks for a link
    link = jordan.get(f"/api/portal/documents/{document['id']}/download").body["url"]

    # Then it points at the app's own origin, and it opens the PDF
    assert link.startswith(f"{base_url}/local-s3/")
    with urllib.request.urlopen(link) as response:
        assert response.read(5) == b"%PDF-"


def test_an_unknown_api_route_is_a_404_problem_as_deployed(base_url: str) -> None:
    # When something asks for an API route that does not exist
    answer = Tab(base_url).get("/api/no-such-route")

    # Then the status and the problem agree, as the deployed stack's gateway responses answer it
    assert answer.status == 404
    assert isinstance(answer.body, dict) and (answer.body["type"], answer.body["status"]) == ("/problems/not-found", 404)
