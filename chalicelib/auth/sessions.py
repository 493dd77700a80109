"""Server-side sessions: creation, validation with idle and absolute timeouts, revocation.

Validation is a single conditional UpdateItem that both checks the timeouts and refreshes ``last_seen_at``,
so every signed-in request costs exactly one session call and the idle timer is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib import clock
from chalicelib.auth.principals import ClientPrincipal, Principal, Role, StaffPrincipal
from chalicelib.auth.tokens import digest, new_secret
from chalicelib.config import get_settings
from chalicelib.errors import Unauthenticated
from chalicelib.tables.base import Transaction
from chalicelib.tables.sessions import Session, principal_key, session_pk


@dataclass(frozen=True)
class Identity:
    """What a new session records about the person signing in."""

    org_id: str
    org_name: str
    org_slug: str
    principal_id: str
    role: Role
    name: str
    email: str
    can_invite_clients: bool = False


@dataclass(frozen=True)
class NewSession:
    secret: str  # goes into the cookie, never stored
    record: Session


def idle_seconds_for(role: Role) -> int:
    settings = get_settings()
    return settings.client_idle_seconds if role is Role.CLIENT else settings.staff_idle_seconds


def new_session(identity: Identity) -> NewSession:
    """Build (not save) a session; callers save it in the transaction that audits the sign-in."""
    settings = get_settings()
    secret = new_secret()
    now = clock.now()
    absolute = now + timedelta(seconds=settings.session_absolute_seconds)
    record = Session(
        session_pk(digest(secret)),
        org_id=identity.org_id,
        principal_id=identity.principal_id,
        principal_key=principal_key(identity.org_id, identity.principal_id),
        kind="client" if identity.role is Role.CLIENT else "staff",
        role=str(identity.role),
        name=identity.name,
        email=identity.email,
        can_invite_clients=identity.can_invite_clients,
        org_name=identity.org_name,
        org_slug=identity.org_slug,
        csrf_token=new_secret(),
        idle_seconds=idle_seconds_for(identity.role),
        created_at=now,
        last_seen_at=now,
        absolute_expires_at=absolute,
        expires=absolute,
    )
    return NewSession(secret=secret, record=record)


def authenticate(secret: str) -> Session:
    """Return the live session for a cookie secret and refresh its idle timer, or raise Unauthenticated."""
    now = clock.now()
    record = Session(session_pk(digest(secret)))
    idle_cutoff_staff = now - timedelta(seconds=get_settings().staff_idle_seconds)
    idle_cutoff_client = now - timedelta(seconds=get_settings().client_idle_seconds)
    staff_alive = (Session.kind == "staff") & (Session.last_seen_at >= idle_cutoff_staff)
    client_alive = (Session.kind == "client") & (Session.last_seen_at >= idle_cutoff_client)
    condition = Session.pk.exists() & (Session.absolute_expires_at > now) & (staff_alive | client_alive)
    try:
        record.update(actions=[Session.last_seen_at.set(now)], condition=condition)
    except (UpdateError, DoesNotExist):
        raise Unauthenticated("Your session has ended. Please sign in again.") from None
    return record


def idle_deadline(record: Session) -> datetime:
    return min(record.last_seen_at + timedelta(seconds=int(record.idle_seconds)), record.absolute_expires_at)


def idle_expires_in(record: Session) -> int:
    return max(0, int((idle_deadline(record) - clock.now()).total_seconds()))


def principal_of(record: Session) -> Principal:
    role = Role(record.role)
    common = dict(
        org_id=record.org_id,
        org_slug=record.org_slug,
        org_name=record.org_name,
        id=record.principal_id,
        role=role,
        name=record.name,
        email=record.email,
        session_hash=record.pk.removeprefix("SESSION#"),
    )
    if role is Role.CLIENT:
        return ClientPrincipal(**common)  # type: ignore[arg-type]
    return StaffPrincipal(**common, can_invite_clients=record.can_invite_clients)  # type: ignore[arg-type]


SESSIONS_IN_TRANSACTION = 90  # leaves room in a 100-item transaction for the change that ends them


class SessionEnder:
    """Ends a person's sessions with the change that requires it: up to SESSIONS_IN_TRANSACTION inside its
    transaction, and any beyond that (a pathological number) right after it commits."""

    def __init__(self, session_keys: list[str]) -> None:
        self._keys = session_keys

    def add_to(self, tx: Transaction) -> None:
        for key in self._keys[:SESSIONS_IN_TRANSACTION]:
            tx.delete(Session(key))

    def finish(self) -> None:
        rest = self._keys[SESSIONS_IN_TRANSACTION:]
        if rest:
            with Session.batch_write() as batch:
                for key in rest:
                    batch.delete(Session(key))


def session_keys_of(org_id: str, principal_id: str) -> list[str]:
    """Every session key of one person (one Query on a keys-only index)."""
    return [item.pk for item in Session.by_principal.query(principal_key(org_id, principal_id))]
