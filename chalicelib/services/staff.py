"""Staff accounts: invite, list, edit role and permissions, deactivate, reactivate, resend invitations.

Invariants live in the database: one account per (organization, email) through EmailClaim; the organization's
staff and administrator counts change in the same transaction as the staff record; the last administrator
cannot be demoted or deactivated (``administrator_count > 1``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib import audit, clock
from chalicelib.auth.principals import Role, StaffPrincipal
from chalicelib.auth.sessions import revoke_all
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.domain.people import Staff
from chalicelib.errors import Conflict, FieldError, Forbidden, StaleVersion, ValidationFailed
from chalicelib.services import outbox, password_links, validation
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import EmailClaim, StaffMember, staff_of
from chalicelib.tables.base import Transaction, get_or_not_found, read_together, transaction
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
    items: list[Staff]
    next_cursor: str | None


STALE = "Someone else changed this staff member first. Reload to see the latest values."


def _org_key(org_id: str) -> OrganizationCounters:
    return OrganizationCounters(keys.org_pk(org_id), keys.ORGANIZATION_SK)


def _check_role(role: str) -> Role:
    if role not in STAFF_ROLES:
        raise ValidationFailed("Choose administrator or therapist.", [FieldError("role", "Choose administrator or therapist.")])
    return Role(role)


def invite_staff(principal: StaffPrincipal, request: NewStaff) -> Staff:
    name = validation.check_text(request.name, "name", max_length=120)
    email = validation.normalise_email(request.email)
    role = _check_role(request.role)
    org_id = principal.org_id
    staff_id = new_id("stf")
    link = password_links.issue(
        password_links.Purpose.STAFF_INVITE, org_id, staff_id, org_name=principal.org_name, org_slug=principal.org_slug
    )
    member = StaffMember(
        keys.org_pk(org_id),
        keys.staff_sk(staff_id),
        org_id=org_id,
        id=staff_id,
        name=name,
        email=email,
        email_key=keys.email_key(org_id, email),
        role=str(role),
        can_invite_clients=role is Role.ADMINISTRATOR or request.can_invite_clients,
        status="invited",
        password_token_hash=link.token_hash,
        created_at=clock.now(),
    )
    counters: list[Action] = [OrganizationCounters.staff_count.add(1)]
    if role is Role.ADMINISTRATOR:
        counters += [OrganizationCounters.administrator_count.add(1), OrganizationCounters.administrator_ids.add({staff_id})]
    taken = Conflict("Someone in this practice already uses that email.", [FieldError("email", "This email is already in use.")])
    with transaction({"email": taken}) as tx:
        tx.save(
            EmailClaim(keys.org_pk(org_id), keys.email_sk(email), account_id=staff_id, kind="staff"),
            condition=EmailClaim.pk.does_not_exist(),
            label="email",
        )
        tx.save(member, condition=StaffMember.pk.does_not_exist())
        tx.save(link.record)
        tx.update(_org_key(org_id), actions=counters, condition=OrganizationCounters.pk.exists(), add_version_condition=False)
        tx.save(audit.event(principal, "staff.invite", f"staff/{staff_id}"))
        queued = _queue_invitation(tx, member, link, principal)
    member.invitation_delivery = "sent" if outbox.send_now(queued) == "sent" else "failed"
    return staff_of(member)


def _queue_invitation(tx: Transaction, member: StaffMember, link: password_links.IssuedLink, principal: StaffPrincipal) -> outbox.Queued:
    practice = principal.practice
    mail = password_links.mail_for(
        link, to=member.email, practice=practice.name, slug=practice.slug, time_zone=practice.time_zone, inviter=principal.name
    )
    return password_links.enqueue(tx, link, mail, report=True)


def list_staff(principal: StaffPrincipal, cursor: str | None = None) -> StaffPage:
    pk = keys.org_pk(principal.org_id)
    results = StaffMember.query(
        pk,
        StaffMember.sk.startswith(keys.STAFF_PREFIX),
        limit=get_settings().page_size,
        last_evaluated_key=cursors.decode(cursor, caller=principal.id, expected={"pk": pk}),
    )
    items = [staff_of(item) for item in results]
    return StaffPage(items=items, next_cursor=cursors.encode(results.last_evaluated_key, caller=principal.id))


MAX_NAMES = 50


def names_of(principal: StaffPrincipal, staff_ids: list[str]) -> dict[str, str]:
    """The names of staff members of the caller's practice (one BatchGetItem, names only), for any staff member to
    show beside the ids they see — a client's therapists, an appointment's. Ids of nobody here are left out."""
    unique = [staff_id for staff_id in dict.fromkeys(staff_ids) if staff_id.startswith("stf_")]
    if len(unique) > MAX_NAMES:
        raise ValidationFailed(f"Ask for at most {MAX_NAMES} names at once.", [FieldError("ids", "Too many.")])
    if not unique:
        return {}
    pk = keys.org_pk(principal.org_id)
    found = read_together(*[(StaffMember, pk, keys.staff_sk(staff_id)) for staff_id in unique], attributes=["id", "name"])
    return {str(item.id): str(item.name) for item in found if item is not None and item.id}


def get_staff(principal: StaffPrincipal, staff_id: str) -> Staff:
    return staff_of(_member(principal, staff_id))


def _member(principal: StaffPrincipal, staff_id: str) -> StaffMember:
    return get_or_not_found(
        StaffMember, keys.org_pk(principal.org_id), keys.staff_sk(staff_id), message="No staff member with that id in your practice."
    )


def update_staff(principal: StaffPrincipal, staff_id: str, change: StaffChange) -> Staff:
    member = _member(principal, staff_id)
    if member.version != change.version:
        raise StaleVersion(STALE)
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
        return staff_of(member)
    org_actions: list[Action] = []
    org_condition = OrganizationCounters.pk.exists()
    if role_changed and member.status != "deactivated":
        promoted = new_role is Role.ADMINISTRATOR
        org_actions.append(OrganizationCounters.administrator_count.add(1 if promoted else -1))
        ids = OrganizationCounters.administrator_ids
        org_actions.append(ids.add({staff_id}) if promoted else ids.delete({staff_id}))
        if not promoted:
            org_condition = org_condition & (OrganizationCounters.administrator_count > 1)
    actions: list[Action] = [
        StaffMember.name.set(new_name),
        StaffMember.role.set(new_role.value),
        StaffMember.can_invite_clients.set(new_can_invite),
    ]
    if permissions_changed:
        # A changed role or permission ends the person's sessions, so no open tab keeps working under the old one.
        actions.append(revoke_all())
    _commit_change(principal, member, actions, StaffMember.pk.exists(), org_actions, org_condition, "staff.update")
    member.name, member.role, member.can_invite_clients = new_name, new_role.value, new_can_invite
    return staff_of(member)


def deactivate_staff(principal: StaffPrincipal, staff_id: str) -> Staff:
    if staff_id == principal.id:
        raise Forbidden("You cannot deactivate yourself. Ask another administrator.")
    member = _member(principal, staff_id)
    if member.status == "deactivated":
        raise Conflict("This staff member is already deactivated.")
    org_actions: list[Action] = [OrganizationCounters.staff_count.add(-1)]
    org_condition = OrganizationCounters.pk.exists()
    if member.role == Role.ADMINISTRATOR.value:
        org_actions += [OrganizationCounters.administrator_count.add(-1), OrganizationCounters.administrator_ids.delete({staff_id})]
        org_condition = org_condition & (OrganizationCounters.administrator_count > 1)
    if member.subscribed:
        org_actions.append(OrganizationCounters.seat_holders.delete({staff_id}))
    actions: list[Action] = [
        StaffMember.status.set("deactivated"),
        StaffMember.subscribed.set(False),
        StaffMember.password_token_hash.remove(),
        revoke_all(),
    ]
    _commit_change(principal, member, actions, StaffMember.status != "deactivated", org_actions, org_condition, "staff.deactivate")
    member.status, member.subscribed, member.password_token_hash = "deactivated", False, None
    return staff_of(member)


def reactivate_staff(principal: StaffPrincipal, staff_id: str) -> Staff:
    member = _member(principal, staff_id)
    if member.status != "deactivated":
        raise Conflict("This staff member is not deactivated.")
    status = "active" if member.password_hash else "invited"
    org_actions: list[Action] = [OrganizationCounters.staff_count.add(1)]
    if member.role == Role.ADMINISTRATOR.value:
        org_actions += [OrganizationCounters.administrator_count.add(1), OrganizationCounters.administrator_ids.add({staff_id})]
    actions: list[Action] = [StaffMember.status.set(status)]
    _commit_change(
        principal, member, actions, StaffMember.status == "deactivated", org_actions, OrganizationCounters.pk.exists(), "staff.reactivate"
    )
    member.status = status
    return staff_of(member)


def _commit_change(
    principal: StaffPrincipal,
    member: StaffMember,
    actions: list[Action],
    condition: Condition,
    org_actions: list[Action],
    org_condition: Condition,
    audit_action: str,
) -> None:
    """One transaction: the staff record, the organization's counters and the audit event. The organization's
    condition failing means the last administrator would go."""
    conflicts = {"organization": Conflict("A practice needs at least one administrator."), "unlabelled": StaleVersion(STALE)}
    with transaction(conflicts) as tx:
        tx.update(member, actions=actions, condition=condition)
        if org_actions:
            tx.update(
                _org_key(principal.org_id), actions=org_actions, condition=org_condition, add_version_condition=False, label="organization"
            )
        tx.save(audit.event(principal, audit_action, f"staff/{member.id}"))


def resend_invitation(principal: StaffPrincipal, staff_id: str) -> Staff:
    """A new link replaces the old one: the staff record points at the newest token only."""
    member = _member(principal, staff_id)
    if member.status != "invited":
        raise Conflict("Only staff who have not set a password yet can be re-invited. Use password reset instead.")
    link = password_links.issue(
        password_links.Purpose.STAFF_INVITE, principal.org_id, staff_id, org_name=principal.org_name, org_slug=principal.org_slug
    )
    with transaction({"unlabelled": StaleVersion("Someone else changed this staff member first. Reload and try again.")}) as tx:
        tx.save(link.record)
        tx.update(member, actions=[StaffMember.password_token_hash.set(link.token_hash)], condition=StaffMember.status == "invited")
        tx.save(audit.event(principal, "staff.invitation_resend", f"staff/{staff_id}"))
        queued = _queue_invitation(tx, member, link, principal)
    member.invitation_delivery = "sent" if outbox.send_now(queued) == "sent" else "failed"
    return staff_of(member)
