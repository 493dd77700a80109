"""Staff accounts: invite, list, edit role and permissions, deactivate, reactivate, resend invitations.

Invariants live in the database: one account per (organization, email) through EmailClaim; the organization's
staff and administrator counts change in the same transaction as the staff record; the last administrator
cannot be demoted or deactivated (``administrator_count > 1``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib import clock
from chalicelib.auth.principals import Role, StaffPrincipal
from chalicelib.auth.sessions import SessionEnder, session_keys_of
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.errors import Conflict, FieldError, Forbidden, NotFound, StaleVersion, ValidationFailed
from chalicelib.services import audit, password_links, validation
from chalicelib.tables import accounts, organizations
from chalicelib.tables.accounts import EmailClaim, StaffMember
from chalicelib.tables.base import decode_cursor, encode_cursor, transaction
from chalicelib.tables.organizations import OrganizationCounters

STAFF_ROLES = {Role.ADMINISTRATOR.value, Role.THERAPIST.value}


@dataclass(frozen=True)
class NewStaff:
    name: str
    email: str
    role: str
    can_invite_clients: bool


@dataclass(frozen=True)
class StaffChange:
    version: int
    name: str | None = None
    role: str | None = None
    can_invite_clients: bool | None = None


@dataclass(frozen=True)
class StaffPage:
    items: list[StaffMember]
    next_cursor: str | None


def _org_key(org_id: str) -> OrganizationCounters:
    return OrganizationCounters(organizations.org_pk(org_id), "ORG")


def _check_role(role: str) -> Role:
    if role not in STAFF_ROLES:
        raise ValidationFailed("Choose administrator or therapist.", [FieldError("role", "Choose administrator or therapist.")])
    return Role(role)


def invite_staff(principal: StaffPrincipal, request: NewStaff) -> StaffMember:
    name = validation.check_text(request.name, "name", max_length=120)
    email = validation.normalise_email(request.email)
    role = _check_role(request.role)
    org_id = principal.org_id
    staff_id = new_id("stf")
    link = password_links.issue(
        password_links.Purpose.STAFF_INVITE, org_id, staff_id, org_name=principal.org_name, org_slug=principal.org_slug
    )
    member = StaffMember(
        accounts.org_pk(org_id),
        accounts.staff_sk(staff_id),
        org_id=org_id,
        id=staff_id,
        name=name,
        email=email,
        email_key=accounts.email_key(org_id, email),
        role=str(role),
        can_invite_clients=role is Role.ADMINISTRATOR or request.can_invite_clients,
        status="invited",
        password_token_hash=link.token_hash,
        created_at=clock.now(),
    )
    counters: list[Action] = [OrganizationCounters.staff_count.add(1)]
    if role is Role.ADMINISTRATOR:
        counters.append(OrganizationCounters.administrator_count.add(1))
    try:
        with transaction() as tx:
            tx.save(
                EmailClaim(accounts.org_pk(org_id), accounts.email_sk(email), account_id=staff_id, kind="staff"),
                condition=EmailClaim.pk.does_not_exist(),
                label="email",
            )
            tx.save(member, condition=StaffMember.pk.does_not_exist())
            tx.save(link.record)
            tx.update(_org_key(org_id), actions=counters, condition=OrganizationCounters.pk.exists(), add_version_condition=False)
            tx.save(audit.event(principal, "staff.invite", f"staff/{staff_id}"))
    except TransactWriteError as error:
        if "email" in tx.failed(error):
            raise Conflict(
                "Someone in this practice already uses that email.",
                [FieldError("email", "This email is already in use.")],
            ) from None
        raise
    _deliver(member, link, principal)
    return member


def _deliver(member: StaffMember, link: password_links.IssuedLink, principal: StaffPrincipal) -> None:
    delivered = password_links.send(link, to=member.email, practice=principal.org_name, slug=principal.org_slug, inviter=principal.name)
    member.invitation_delivery = accounts.record_staff_delivery(member.org_id, member.id, delivered)


def list_staff(principal: StaffPrincipal, cursor: str | None = None) -> StaffPage:
    pk = accounts.org_pk(principal.org_id)
    results = StaffMember.query(
        pk,
        StaffMember.sk.startswith(accounts.STAFF_PREFIX),
        limit=get_settings().page_size,
        last_evaluated_key=decode_cursor(cursor, {"pk": pk}),
    )
    items = list(results)
    return StaffPage(items=items, next_cursor=encode_cursor(results.last_evaluated_key))


def get_staff(principal: StaffPrincipal, staff_id: str) -> StaffMember:
    try:
        return StaffMember.get(accounts.org_pk(principal.org_id), accounts.staff_sk(staff_id), consistent_read=True)
    except DoesNotExist:
        raise NotFound("No staff member with that id in your practice.") from None


def update_staff(principal: StaffPrincipal, staff_id: str, change: StaffChange) -> StaffMember:
    member = get_staff(principal, staff_id)
    if member.version != change.version:
        raise StaleVersion("Someone else changed this staff member first. Reload to see the latest values.")
    new_name = validation.check_text(change.name, "name", max_length=120) if change.name is not None else member.name
    new_role = _check_role(change.role) if change.role is not None else Role(member.role)
    if staff_id == principal.id and new_role is not Role.ADMINISTRATOR:
        raise Forbidden("You cannot remove your own administrator role. Ask another administrator.")
    new_can_invite = new_role is Role.ADMINISTRATOR or (
        change.can_invite_clients if change.can_invite_clients is not None else member.can_invite_clients
    )
    role_changed = new_role.value != member.role
    permissions_changed = role_changed or new_can_invite != member.can_invite_clients
    if not permissions_changed and new_name == member.name:
        return member
    org_actions: list[Action] = []
    org_condition = OrganizationCounters.pk.exists()
    if role_changed and member.status != "deactivated":
        promoted = new_role is Role.ADMINISTRATOR
        org_actions.append(OrganizationCounters.administrator_count.add(1 if promoted else -1))
        if not promoted:
            org_condition = org_condition & (OrganizationCounters.administrator_count > 1)
    # Sessions carry a snapshot of role and permissions: end them so the change applies at once.
    stale_sessions = session_keys_of(principal.org_id, staff_id) if permissions_changed else []
    _commit_change(
        principal,
        StaffChangeWrite(
            member=member,
            actions=[
                StaffMember.name.set(new_name),
                StaffMember.role.set(new_role.value),
                StaffMember.can_invite_clients.set(new_can_invite),
            ],
            condition=StaffMember.pk.exists(),
            org_actions=org_actions,
            org_condition=org_condition,
            sessions_to_end=stale_sessions,
            audit_action="staff.update",
        ),
    )
    member.name, member.role, member.can_invite_clients = new_name, new_role.value, new_can_invite
    return member


def deactivate_staff(principal: StaffPrincipal, staff_id: str) -> StaffMember:
    if staff_id == principal.id:
        raise Forbidden("You cannot deactivate yourself. Ask another administrator.")
    member = get_staff(principal, staff_id)
    if member.status == "deactivated":
        raise Conflict("This staff member is already deactivated.")
    org_actions: list[Action] = [OrganizationCounters.staff_count.add(-1)]
    org_condition = OrganizationCounters.pk.exists()
    if member.role == Role.ADMINISTRATOR.value:
        org_actions.append(OrganizationCounters.administrator_count.add(-1))
        org_condition = org_condition & (OrganizationCounters.administrator_count > 1)
    if member.subscribed:
        org_actions.append(OrganizationCounters.seat_holders.delete({staff_id}))
    _commit_change(
        principal,
        StaffChangeWrite(
            member=member,
            actions=[
                StaffMember.status.set("deactivated"),
                StaffMember.subscribed.set(False),
                StaffMember.password_token_hash.remove(),
            ],
            condition=StaffMember.status != "deactivated",
            org_actions=org_actions,
            org_condition=org_condition,
            sessions_to_end=session_keys_of(principal.org_id, staff_id),
            audit_action="staff.deactivate",
        ),
    )
    member.status, member.subscribed, member.password_token_hash = "deactivated", False, None
    return member


def reactivate_staff(principal: StaffPrincipal, staff_id: str) -> StaffMember:
    member = get_staff(principal, staff_id)
    if member.status != "deactivated":
        raise Conflict("This staff member is not deactivated.")
    status = "active" if member.password_hash else "invited"
    org_actions: list[Action] = [OrganizationCounters.staff_count.add(1)]
    if member.role == Role.ADMINISTRATOR.value:
        org_actions.append(OrganizationCounters.administrator_count.add(1))
    _commit_change(
        principal,
        StaffChangeWrite(
            member=member,
            actions=[StaffMember.status.set(status)],
            condition=StaffMember.status == "deactivated",
            org_actions=org_actions,
            org_condition=OrganizationCounters.pk.exists(),
            sessions_to_end=[],
            audit_action="staff.reactivate",
        ),
    )
    member.status = status
    return member


@dataclass(frozen=True)
class StaffChangeWrite:
    """One staff change: the staff record, the organization's counters, sessions to end and the audit event."""

    member: StaffMember
    actions: list[Action]
    condition: Condition
    org_actions: list[Action]
    org_condition: Condition
    sessions_to_end: list[str]
    audit_action: str


def _commit_change(principal: StaffPrincipal, write: StaffChangeWrite) -> None:
    """One transaction; the organization's condition failing means the last administrator would go."""
    sessions = SessionEnder(write.sessions_to_end)
    try:
        with transaction() as tx:
            tx.update(write.member, actions=write.actions, condition=write.condition)
            if write.org_actions:
                tx.update(
                    _org_key(principal.org_id),
                    actions=write.org_actions,
                    condition=write.org_condition,
                    add_version_condition=False,
                    label="organization",
                )
            sessions.add_to(tx)
            tx.save(audit.event(principal, write.audit_action, f"staff/{write.member.id}"))
    except TransactWriteError as error:
        failed = tx.failed(error)
        if "organization" in failed:
            raise Conflict("A practice needs at least one administrator.") from None
        if failed:
            raise StaleVersion("Someone else changed this staff member first. Reload to see the latest values.") from None
        raise
    sessions.finish()


def resend_invitation(principal: StaffPrincipal, staff_id: str) -> StaffMember:
    """A new link replaces the old one: the staff record points at the newest token only."""
    member = get_staff(principal, staff_id)
    if member.status != "invited":
        raise Conflict("Only staff who have not set a password yet can be re-invited. Use password reset instead.")
    link = password_links.issue(
        password_links.Purpose.STAFF_INVITE,
        principal.org_id,
        staff_id,
        org_name=principal.org_name,
        org_slug=principal.org_slug,
    )
    try:
        with transaction() as tx:
            tx.save(link.record)
            tx.update(
                member,
                actions=[StaffMember.password_token_hash.set(link.token_hash)],
                condition=StaffMember.status == "invited",
            )
            tx.save(audit.event(principal, "staff.invitation_resend", f"staff/{staff_id}"))
    except TransactWriteError as error:
        if tx.failed(error):
            raise StaleVersion("Someone else changed this staff member first. Reload and try again.") from None
        raise
    _deliver(member, link, principal)
    return member
