"""Server-side sessions: creation, validation with idle and absolute timeouts, revocation.

The cookie holds ``{org}.{account}.{secret}``; the session item is keyed by the SHA-256 of the secret. Naming the
organization and the account in the cookie lets one TransactGetItems read the session, the account and the practice
together — so every signed-in request knows the person's current role, permissions and status and the practice's
switches and seats for the cost of one call.

Revocation is an epoch on the account: a session records the epoch it began in, and sign-out elsewhere, a password
change, a role or permission change or deactivation bump it in the same transaction as the change. Every older
session is dead at once — no index to search, nothing eventually consistent.

The idle timer is refreshed at most once a minute, and then inside the request's first write (an audit event or the
change itself) rather than as a call of its own; a request that writes nothing refreshes it on its way out. The
idle deadline is therefore exact to within that minute, and never later than the configured timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib import clock, context
from chalicelib.auth.features import PracticeFacts
from chalicelib.auth.principals import ClientPrincipal, Principal, Role, StaffPrincipal
from chalicelib.auth.second_factor import Method, SecondFactorStatus, SecurityPolicy, status_of
from chalicelib.auth.tokens import digest, new_secret
from chalicelib.config import get_settings
from chalicelib.errors import Unauthenticated
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import Transaction, read_together
from chalicelib.tables.organizations import Organization
from chalicelib.tables.sessions import Session

REFRESH_AFTER_SECONDS = 60
ENDED = "Your session has ended. Please sign in again."


@dataclass(frozen=True)
class Identity:
    """What a new session records about the person signing in, and how they did (auth/second_factor.py)."""

    org_id: str
    principal_id: str
    role: Role
    epoch: int = 0
    method: str = Method.PASSWORD.value
    factor_verified_at: datetime | None = None


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie, never stored
    record: Session


@dataclass(frozen=True)
class Person:
    """Who a session belongs to, as the page shows them."""

    id: str
    kind: str  # "staff" | "client"
    role: str
    name: str
    email: str
    can_invite_clients: bool
    time_zone: str | None = None  # a client's own zone (staff read the practice's)

    @classmethod
    def of(cls, account: Login) -> Person:
        return cls(
            id=account.id,
            kind="client" if account.is_client else "staff",
            role=account.role,
            name=account.name,
            email=account.email or "",
            can_invite_clients=bool(account.can_invite_clients) and not account.is_client,
            time_zone=account.time_zone if account.is_client else None,
        )


@dataclass(frozen=True)
class PracticeRef:
    id: str
    name: str
    slug: str
    time_zone: str
    accent_color: str | None = None
    logo_sha256: str | None = None


@dataclass(frozen=True)
class SignedIn:
    """A session just created (sign-in, a redeemed link): the cookie's token and what the page needs to show."""

    token: str
    session: Session
    person: Person
    practice: PracticeRef
    second_factor: SecondFactorStatus


@dataclass(frozen=True)
class Authenticated:
    session: Session
    account: Login
    organization: Organization

    @property
    def principal(self) -> Principal:
        return principal_for(self.organization, self.account, self.session.pk.removeprefix("SESSION#"), self.session)

    @property
    def session_hash(self) -> str:
        return self.session.pk.removeprefix("SESSION#")

    @property
    def second_factor(self) -> SecondFactorStatus:
        return status_of(self.session, self.account, SecurityPolicy.of(self.organization))

    @property
    def person(self) -> Person:
        return Person.of(self.account)

    @property
    def practice(self) -> PracticeRef:
        org = self.organization
        return PracticeRef(
            id=org.id, name=org.name, slug=org.slug, time_zone=org.time_zone, accent_color=org.accent_color, logo_sha256=org.logo_sha256
        )


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
        keys.session_pk(digest(secret)),
        org_id=identity.org_id,
        principal_id=identity.principal_id,
        principal_key=keys.principal_key(identity.org_id, identity.principal_id),
        kind="client" if identity.role is Role.CLIENT else "staff",
        epoch=identity.epoch,
        method=identity.method,
        factor_verified_at=identity.factor_verified_at,
        csrf_token=new_secret(),
        idle_seconds=idle_seconds_for(identity.role),
        created_at=now,
        last_seen_at=now,
        absolute_expires_at=absolute,
        expires=absolute,
    )
    return NewSession(token=f"{identity.org_id}.{identity.principal_id}.{secret}", record=record)


def split_token(token: str) -> tuple[str, str, str] | None:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts) or len(token) > 256:
        return None
    return parts[0], parts[1], parts[2]


def authenticate(token: str, *, refresh: bool = True) -> Authenticated:
    """The live session for a cookie, with its account and practice, or Unauthenticated. ``refresh=False`` is for
    background polls: they do not count as activity, so an open page alone never keeps a session alive."""
    parts = split_token(token)
    if parts is None:
        raise Unauthenticated(ENDED)
    org_id, account_id, secret = parts
    try:
        session, account, org = read_together(
            (Session, keys.session_pk(digest(secret)), None),
            (Login, keys.org_pk(org_id), keys.account_sk(account_id)),
            (Organization, keys.org_pk(org_id), keys.ORGANIZATION_SK),
        )
    except PynamoDBException:
        raise Unauthenticated(ENDED) from None
    now = clock.now()
    if not _alive(session, account, org, org_id, account_id, now):
        raise Unauthenticated(ENDED)
    found = Authenticated(session=session, account=account, organization=org)
    if refresh:
        _schedule_refresh(session, now)
    return found


def _alive(session: Session | None, account: Login | None, org: Organization | None, org_id: str, account_id: str, now: datetime) -> bool:
    if session is None or account is None or org is None:
        return False
    if (session.org_id, session.principal_id) != (org_id, account_id):
        return False
    if int(session.epoch or 0) != int(account.session_epoch or 0) or account.status != "active":
        return False
    return now < idle_deadline(session)


def idle_deadline(record: Session) -> datetime:
    return min(record.last_seen_at + timedelta(seconds=int(record.idle_seconds)), record.absolute_expires_at)


def idle_expires_in(record: Session) -> int:
    return max(0, int((idle_deadline(record) - clock.now()).total_seconds()))


# ------------------------------------------------------------------------------------------- idle refresh


def _schedule_refresh(session: Session, now: datetime, *, force: bool = False) -> None:
    # At most one write a minute — or a tenth of the idle timeout, when that is shorter.
    every = min(REFRESH_AFTER_SECONDS, int(session.idle_seconds) / 10)
    if not force and (now - session.last_seen_at).total_seconds() < every:
        return
    ctx = context.current()
    if ctx.before_commit:
        _clear(ctx, *ctx.before_commit, *ctx.after_commit)

    def ride_along(tx: Transaction) -> None:
        if tx.touches(Session, session.pk):
            return  # the transaction writes the session itself (sign-out, password change)
        tx.update(Session(session.pk), actions=[Session.last_seen_at.set(now)], condition=Session.pk.exists(), label="session")
        tx.conflicts.setdefault("session", Unauthenticated(ENDED))

    def done(tx: Transaction) -> None:
        _clear(ctx, ride_along, done)

    ctx.before_commit.append(ride_along)
    ctx.after_commit.append(done)
    session.last_seen_at = now  # what the response reports (X-Idle-Expires-In, SessionView)


def _clear(ctx: context.RequestContext, *hooks: Any) -> None:
    ctx.before_commit[:] = [hook for hook in ctx.before_commit if hook not in hooks]
    ctx.after_commit[:] = [hook for hook in ctx.after_commit if hook not in hooks]


def keep_alive(found: Authenticated) -> None:
    """An explicit "I'm still here": the idle timer restarts now, however recently it was refreshed."""
    _schedule_refresh(found.session, clock.now(), force=True)
    context.current().idle_expires_in = idle_expires_in(found.session)


def finish_request(session: Session | None) -> None:
    """A request that wrote nothing still refreshes a stale idle timer: one conditional update on its way out."""
    ctx = context.current()
    if session is None or not ctx.before_commit:
        return
    ctx.before_commit.clear()
    ctx.after_commit.clear()
    try:
        Session(session.pk).update(actions=[Session.last_seen_at.set(session.last_seen_at)], condition=Session.pk.exists())
    except PynamoDBException:
        return  # signed out meanwhile: nothing to keep alive


# ---------------------------------------------------------------------------------------------- principals


def principal_for(org: Organization, account: Login, session_hash: str = "", session: Session | None = None) -> Principal:
    """The person behind an account, as the request (or a job acting for them) sees them."""
    role = Role(account.role)
    common: dict[str, Any] = {
        "practice": PracticeFacts.of(org),
        "id": account.id,
        "role": role,
        "name": account.name,
        "email": account.email or "",
        "session_hash": session_hash,
        "factor_verified_at": session.factor_verified_at if session is not None else None,
    }
    if role is Role.CLIENT:
        return ClientPrincipal(**common, therapist_ids=frozenset(account.therapist_ids or ()), time_zone=account.time_zone or "UTC")
    return StaffPrincipal(**common, can_invite_clients=bool(account.can_invite_clients))


# ---------------------------------------------------------------------------------------------- revocation


def revoke_all() -> Action:
    """The action that ends every session of an account: add it to the transaction's update of the account."""
    return Login.session_epoch.add(1)


def epoch_is(epoch: int) -> Condition:
    """The account's sessions were not revoked since ``epoch`` was read (a missing epoch is epoch 0)."""
    condition: Condition = Login.session_epoch == epoch
    if epoch == 0:
        condition = Login.session_epoch.does_not_exist() | condition
    return condition


def end_sessions(tx: Transaction, org_id: str, account_id: str) -> None:
    """End every session of an account whose record the transaction does not otherwise change."""
    tx.update(Login(keys.org_pk(org_id), keys.account_sk(account_id)), actions=[revoke_all()], condition=Login.pk.exists())


def keep_session(tx: Transaction, session: Session, new_epoch: int) -> None:
    """Carry one session (the caller's own) over to the account's new epoch."""
    tx.update(Session(session.pk), actions=[Session.epoch.set(new_epoch)], condition=Session.pk.exists(), label="session")
