"""Races over real HTTP against the local stack (the same server `make run` starts), many requests at once: exactly
one winner, the others a 409 (or a clear refusal) and never a 5xx, and the stored state is the winner's alone."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import set_staff_second_factor
from tests.e2e.http import Answer, Tab, token_for

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(base_url: str) -> Tab:
    """A new practice's administrator, signed in (practices are open to create on a local stack)."""
    slug = f"race-{uuid.uuid4().hex[:8]}"
    email = f"admin@{slug}.test"
    tab = Tab(base_url)
    created = tab.post(
        "/api/organizations", {"name": "Race Practice", "slug": slug, "time_zone": "UTC", "admin_name": "Ada", "admin_email": email}
    )
    assert created.status == 201, created.body
    # The test world's choice (tests/conftest.py): staff of test practices need no second factor.
    set_staff_second_factor(created.body["organization"]["id"], slug, required=False)
    assert tab.post("/api/password-tokens/redeem", {"token": token_for(base_url, email), "password": PASSWORD}).status == 200
    tab.headers["x-practice"] = slug  # remembered for the tests (ignored by the server)
    return tab


def at_once(count: int, call: Any) -> list[Answer]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


def statuses(answers: list[Answer]) -> Counter[int]:
    return Counter(answer.status for answer in answers)


def test_twenty_invitations_of_clients_sharing_one_email_have_one_winner(admin: Tab) -> None:
    # Given twenty client records that share one email
    ids = [admin.post("/api/clients", {"name": f"Family Member {i}", "email": "family@race.test"}).body["id"] for i in range(20)]

    # When all twenty are invited at the same moment
    answers = at_once(20, lambda i: admin.post(f"/api/clients/{ids[i]}/invitation", {"form_ids": []}))

    # Then one invitation wins and nineteen are conflicts — and only the winner is stored as invited
    assert statuses(answers) == Counter({200: 1, 409: 19}), [a.body for a in answers if a.status not in (200, 409)]
    portal = [admin.get(f"/api/clients/{client_id}").body["portal"]["status"] for client_id in ids]
    assert Counter(portal) == Counter({"invited": 1, "not_invited": 19})
    assert portal[[a.status for a in answers].index(200)] == "invited"


def test_ten_sends_of_one_form_leave_one_waiting_request(admin: Tab) -> None:
    # Given a client
    client_id = admin.post("/api/clients", {"name": "Jordan Lee", "email": "jordan@race.test"}).body["id"]

    # When the same form is sent ten times at once
    answers = at_once(10, lambda i: admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": ["std-privacy-notice"]}))

    # Then one send wins, the rest are conflicts, and one request waits
    assert statuses(answers) == Counter({201: 1, 409: 9})
    assert len(admin.get(f"/api/clients/{client_id}/form-requests").body["items"]) == 1


def test_a_reinvitation_with_the_same_forms_does_not_duplicate_them(admin: Tab) -> None:
    client_id = admin.post("/api/clients", {"name": "Riley Lee", "email": "riley@race.test"}).body["id"]
    forms = {"form_ids": ["std-privacy-notice", "std-informed-consent"]}
    assert admin.post(f"/api/clients/{client_id}/invitation", forms).status == 200
    assert admin.post(f"/api/clients/{client_id}/invitation", forms).status == 200
    requests = admin.get(f"/api/clients/{client_id}/form-requests").body["items"]
    assert sorted(r["form_id"] for r in requests) == ["std-informed-consent", "std-privacy-notice"]


def test_ten_redemptions_of_one_link_have_one_winner_whose_password_and_session_work(base_url: str, admin: Tab) -> None:
    # Given an invited therapist's link
    slug = admin.headers["x-practice"]
    email = f"theo@{slug}.test"
    assert admin.post("/api/staff", {"name": "Theo", "email": email, "role": "therapist"}).status == 201
    token = token_for(base_url, email)
    tabs = [Tab(base_url) for _ in range(10)]

    # When ten tabs redeem it at once, each with its own password
    answers = at_once(10, lambda i: tabs[i].post("/api/password-tokens/redeem", {"token": token, "password": f"{PASSWORD} {i}"}))

    # Then one wins; its session works and its password is the one stored; the others are told the link is spent
    assert statuses(answers) == Counter({200: 1, 410: 9})
    winner = [a.status for a in answers].index(200)
    assert tabs[winner].get("/api/session").status == 200
    assert Tab(base_url).post(f"/api/orgs/{slug}/sign-in", {"email": email, "password": f"{PASSWORD} {winner}"}).status == 200
    loser = (winner + 1) % 10
    assert Tab(base_url).post(f"/api/orgs/{slug}/sign-in", {"email": email, "password": f"{PASSWORD} {loser}"}).status == 401


def test_parallel_wrong_passwords_cannot_pass_the_limit_and_never_fail_the_server(base_url: str, admin: Tab) -> None:
    # Given an account limited to 5 failed sign-ins a window
    slug = admin.headers["x-practice"]
    email = f"admin@{slug}.test"

    # When twenty wrong guesses arrive at once
    answers = at_once(20, lambda i: Tab(base_url, headers={"x-forwarded-for": f"198.51.100.{i}"}).post(
        f"/api/orgs/{slug}/sign-in", {"email": email, "password": f"wrong guess {i}"}))  # fmt: skip

    # Then at most five are checked (401) and the rest are throttled (429); nothing is a 5xx
    counted = statuses(answers)
    assert set(counted) <= {401, 429}, counted
    assert counted[401] <= 5 and counted[429] >= 15, counted

    # And the right password is throttled too until the window passes (the account is protected)
    assert Tab(base_url).post(f"/api/orgs/{slug}/sign-in", {"email": email, "password": PASSWORD}).status == 429


def test_a_burst_of_forty_requests_is_answered_in_full(base_url: str, admin: Tab) -> None:
    # When forty signed-in requests and forty anonymous ones arrive at once
    answers = at_once(40, lambda i: admin.get("/api/clients") if i % 2 else Tab(base_url).get("/api/health"))

    # Then every one is answered (the server's listen queue holds the burst, the emulator answers each in turn)
    assert statuses(answers) == Counter({200: 40})
