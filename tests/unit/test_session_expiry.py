from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock
from chalicelib.auth import sessions
from chalicelib.auth.principals import ClientPrincipal, Role, StaffPrincipal
from chalicelib.auth.tokens import digest
from chalicelib.config import Settings, use_settings
from chalicelib.tables.accounts import Login
from chalicelib.tables.organizations import Organization

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def controlled_clock() -> Iterator[None]:
    use_settings(Settings(staff_idle_seconds=900, client_idle_seconds=1800, session_absolute_seconds=12 * 3600))
    clock.freeze(START)
    yield
    clock.unfreeze()
    use_settings(None)


def identity(role: Role) -> sessions.Identity:
    return sessions.Identity(org_id="org_1", principal_id="p_1", role=role)


def test_staff_sessions_idle_out_after_fifteen_minutes() -> None:
    # Given a new staff session
    record = sessions.new_session(identity(Role.THERAPIST)).record

    # Then it idles out 15 minutes after the last request
    assert sessions.idle_expires_in(record) == 900
    clock.advance(timedelta(minutes=14))
    assert sessions.idle_expires_in(record) == 60
    clock.advance(timedelta(minutes=2))
    assert sessions.idle_expires_in(record) == 0


def test_client_sessions_idle_out_after_thirty_minutes() -> None:
    record = sessions.new_session(identity(Role.CLIENT)).record
    assert int(record.idle_seconds) == 1800
    assert sessions.idle_deadline(record) == START + timedelta(minutes=30)


def test_absolute_lifetime_caps_the_idle_deadline() -> None:
    # Given a session that has been kept busy for almost twelve hours
    record = sessions.new_session(identity(Role.ADMINISTRATOR)).record
    clock.advance(timedelta(hours=11, minutes=55))
    record.last_seen_at = clock.now()

    # Then its deadline is the absolute expiry, not last activity + 15 minutes
    assert sessions.idle_deadline(record) == START + timedelta(hours=12)
    assert sessions.idle_expires_in(record) == 300


def test_only_the_hash_of_the_cookie_secret_is_kept() -> None:
    new = sessions.new_session(identity(Role.THERAPIST))
    parts = sessions.split_token(new.token)
    assert parts is not None
    org_id, account_id, secret = parts
    assert (org_id, account_id) == ("org_1", "p_1")  # names the account, so one read finds session, account and practice
    assert secret not in new.record.pk
    assert new.record.pk == f"SESSION#{digest(secret)}"
    assert len(secret) >= 43  # 256 random bits, URL-safe base64


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a..c", "a.b.c.d", "x" * 300])
def test_malformed_cookies_name_no_session(token: str) -> None:
    assert sessions.split_token(token) is None


def test_principal_types_follow_the_role() -> None:
    org = Organization("ORG#org_1", "ORG", id="org_1", name="Harbor", slug="harbor", time_zone="UTC", staff_count=2)
    therapist = Login("ORG#org_1", "STAFF#stf_1", id="stf_1", org_id="org_1", name="T", role="therapist", status="active")
    client = Login("ORG#org_1", "CLIENT#cli_1", id="cli_1", org_id="org_1", name="C", role="client", status="active")
    staff_principal = sessions.principal_for(org, therapist)
    client_principal = sessions.principal_for(org, client)
    assert isinstance(staff_principal, StaffPrincipal) and staff_principal.role is Role.THERAPIST
    assert isinstance(client_principal, ClientPrincipal) and not isinstance(client_principal, StaffPrincipal)
    assert staff_principal.practice.name == "Harbor"
