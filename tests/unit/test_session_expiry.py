from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock
from chalicelib.auth import sessions
from chalicelib.auth.principals import ClientPrincipal, Role, StaffPrincipal
from chalicelib.auth.tokens import digest
from chalicelib.config import Settings, use_settings

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def controlled_clock() -> Iterator[None]:
    use_settings(Settings(staff_idle_seconds=900, client_idle_seconds=1800, session_absolute_seconds=12 * 3600))
    clock.freeze(START)
    yield
    clock.unfreeze()
    use_settings(None)


def identity(role: Role) -> sessions.Identity:
    return sessions.Identity(
        org_id="org_1", org_name="Harbor", org_slug="harbor", principal_id="p_1", role=role, name="N", email="n@h.test"
    )


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
    assert new.secret not in new.record.pk
    assert new.record.pk == f"SESSION#{digest(new.secret)}"
    assert len(new.secret) >= 43  # 256 random bits, URL-safe base64


def test_principal_types_follow_the_role() -> None:
    staff = sessions.principal_of(sessions.new_session(identity(Role.THERAPIST)).record)
    client = sessions.principal_of(sessions.new_session(identity(Role.CLIENT)).record)
    assert isinstance(staff, StaffPrincipal) and staff.role is Role.THERAPIST
    assert isinstance(client, ClientPrincipal) and not isinstance(client, StaffPrincipal)
