"""Client records (PHI): create, edit, list, search — with therapist assignment deciding who sees whom.

Administrators see every client of their organization; therapists only the clients assigned to them. A client
outside the caller's view is "not found" (and the attempt is audited as denied). Every read, list and change of a
client record writes an audit event. Lists use the assignment items (therapists) or the client items
(administrators); search uses prefix Queries on search entries — never a Scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pynamodb.expressions.update import Action

from chalicelib import audit, clock
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.config import get_settings
from chalicelib.domain.people import Client, EmailUse
from chalicelib.errors import Conflict, DomainError, FieldError, Forbidden, StaleVersion, ValidationFailed
from chalicelib.services import validation, worklist
from chalicelib.services.visibility import client_for, may_see
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import Assignment, ClientRecord, EmailClaim, SearchEntry, StaffMember, client_of
from chalicelib.tables.base import Transaction, get_or_none, transaction

MAX_THERAPISTS = 10
SEARCH_CANDIDATES = 100  # one BatchGetItem reads at most 100 records
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ClientFields:
    name: str | None = None
    preferred_name: str | None = None
    email: str | None = None
    phone: str | None = None
    date_of_birth: str | None = None
    time_zone: str | None = None


@dataclass(frozen=True)
class NewClient(ClientFields):
    therapist_ids: list[str] | None = None


@dataclass(frozen=True)
class ClientChange(ClientFields):
    version: int = 0
    therapist_ids: list[str] | None = None
    # Which optional fields the request named (so "" can clear a field and absence leaves it alone).
    named: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ClientPage:
    items: list[Client]
    next_cursor: str | None


# ------------------------------------------------------------------------------------------------ values


def _optional_text(value: str | None, name: str, max_length: int) -> str | None:
    if value is None:
        return None
    text = validation.check_text(value, name, max_length=max_length, required=False)
    return text or None


def _phone(value: str | None) -> str | None:
    text = _optional_text(value, "phone", 40)
    if text is not None and not validation.PHONE_PATTERN.match(text):
        raise ValidationFailed("Enter a phone number.", [FieldError("phone", "Use digits, spaces and + ( ) - only.")])
    return text


def _date_of_birth(value: str | None) -> str | None:
    text = _optional_text(value, "date_of_birth", 10)
    if text is None:
        return None
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("Enter a date as YYYY-MM-DD.", [FieldError("date_of_birth", "Use YYYY-MM-DD.")]) from None
    if not date(1900, 1, 1) <= born <= clock.now().date():
        raise ValidationFailed("Enter a real date of birth.", [FieldError("date_of_birth", "This date is not plausible.")])
    return text


def _email(value: str | None) -> str | None:
    text = _optional_text(value, "email", 254)
    return validation.normalise_email(text) if text else None


def _therapist_ids(ids: list[str] | None) -> list[str]:
    unique = sorted(set(ids or []))
    if len(unique) > MAX_THERAPISTS:
        raise ValidationFailed(f"Assign at most {MAX_THERAPISTS} therapists.", [FieldError("therapist_ids", "Too many.")])
    return unique


def search_tokens(name: str, preferred_name: str | None, email: str | None) -> set[str]:
    """The first 20 distinct words (in order, each cut to 64 characters) and the whole email: the same tokens in
    every process, so an edit removes exactly the entries it wrote, and an exact email lookup always works."""
    words = dict.fromkeys(w.lower()[:64] for w in WORD.findall(f"{name} {preferred_name or ''}") if len(w) >= 2)
    tokens = set(list(words)[:20])
    if email:
        tokens.add(email.lower())
    return tokens


def load_client(principal: StaffPrincipal, client_id: str) -> ClientRecord:
    """The client's stored record if the principal may see them (for services that change it)."""
    return client_for(principal, client_id)


# --------------------------------------------------------------------------------------------- writes


def _derived_items(client_id: str, org_id: str, therapists: list[str], tokens: set[str]) -> dict[str, Assignment | SearchEntry]:
    pk = keys.org_pk(org_id)
    items: dict[str, Assignment | SearchEntry] = {}
    for therapist in therapists:
        key = keys.assignment_sk(therapist, client_id)
        items[key] = Assignment(pk, key, client_id=client_id)
    for token in tokens:
        key = keys.search_sk(token, client_id)
        items[key] = SearchEntry(pk, key, client_id=client_id)
    return items


def _check_therapists(tx: Transaction, org_id: str, therapist_ids: list[str]) -> None:
    """Each assigned therapist must be a staff member of this organization who is not deactivated."""
    for therapist in therapist_ids:
        tx.condition_check(
            StaffMember,
            keys.org_pk(org_id),
            keys.staff_sk(therapist),
            condition=StaffMember.pk.exists() & (StaffMember.status != "deactivated"),
            label=f"therapist:{therapist}",
        )
        tx.conflicts[f"therapist:{therapist}"] = _unknown_therapist(therapist)


def _unknown_therapist(therapist: str) -> DomainError:
    return ValidationFailed(
        "Assign staff members of this practice only.",
        [FieldError("therapist_ids", f"Unknown or deactivated: {therapist}")],
    )


def _assignees(principal: StaffPrincipal, requested: list[str] | None) -> list[str]:
    if principal.is_administrator:
        return _therapist_ids(requested)
    if requested not in (None, [], [principal.id]):
        raise Forbidden("Only administrators choose a client's therapists.")
    return [principal.id]  # a therapist's new client is theirs


def create_client(principal: StaffPrincipal, new: NewClient) -> Client:
    """A client record (PHI). An email already used in the practice is allowed on a record (families share one);
    only one portal account may use it, which the invitation enforces — staff are warned as they type it
    (``check_email``)."""
    name = validation.check_text(new.name or "", "name", max_length=120)
    time_zone = validation.check_time_zone(new.time_zone) if new.time_zone else principal.practice.time_zone
    therapists = _assignees(principal, new.therapist_ids)
    client_id = new_id("cli")
    client = ClientRecord(
        keys.org_pk(principal.org_id),
        keys.client_sk(client_id),
        org_id=principal.org_id,
        id=client_id,
        name=name,
        preferred_name=_optional_text(new.preferred_name, "preferred_name", 120),
        email=_email(new.email),
        phone=_phone(new.phone),
        date_of_birth=_date_of_birth(new.date_of_birth),
        time_zone=time_zone,
        therapist_ids=set(therapists) or None,
        status="not_invited",
        created_at=clock.now(),
    )
    derived = _derived_items(client_id, principal.org_id, therapists, search_tokens(name, client.preferred_name, client.email))
    with transaction() as tx:
        _check_therapists(tx, principal.org_id, therapists)
        tx.save(client, condition=ClientRecord.pk.does_not_exist())
        for item in derived.values():
            tx.save(item)
        tx.save(audit.event(principal, "client.create", f"client/{client_id}", subject_client_id=client_id))
    return client_of(client)


def email_use_of(org_id: str, email: str, *, except_client: str | None = None) -> EmailUse:
    """Whether a portal account (staff or client) holds the email, and whether another client record has it."""
    pk = keys.org_pk(org_id)
    claim = get_or_none(EmailClaim, pk, keys.email_sk(email))
    holders = SearchEntry.query(pk, SearchEntry.sk.startswith(keys.search_sk(email, "")), limit=2)
    return EmailUse(
        portal_account=claim is not None and claim.account_id != except_client,
        client_record=any(entry.client_id != except_client for entry in holders),
    )


def check_email(principal: StaffPrincipal, email: str, client_id: str | None) -> EmailUse:
    """Whether the email is in use — which says whether someone is a client of the practice, so each check is
    audited (the event names no email: identifiers only)."""
    use = email_use_of(principal.org_id, validation.normalise_email(email), except_client=client_id)
    audit.record(principal, "clients.email_check", f"client/{client_id}" if client_id else "clients/email-check")
    return use


def update_client(principal: StaffPrincipal, client_id: str, change: ClientChange) -> Client:
    client = load_client(principal, client_id)
    if int(client.version or 0) != change.version:
        raise StaleVersion("Someone else changed this client first. Reload to see the latest details.")
    if change.therapist_ids is not None and not principal.is_administrator:
        raise Forbidden("Only administrators change a client's therapists.")
    values = _changed_values(client, change)
    if client.email_key is not None and not values["email"]:
        message = "A client with a portal account needs an email."
        raise ValidationFailed(message, [FieldError("email", message)])
    therapists = _therapist_ids(change.therapist_ids) if change.therapist_ids is not None else sorted(client.therapist_ids or [])
    stale = StaleVersion("Someone else changed this client first. Reload to see the latest details.")
    in_use = Conflict("Another portal account uses that email.", [FieldError("email", "This email is already in use.")])
    with transaction({"email": in_use, "unlabelled": stale}) as tx:
        _write_update(tx, principal, client, values, therapists)
    return client_of(load_client(principal, client_id))


def _write_update(
    tx: Transaction, principal: StaffPrincipal, client: ClientRecord, values: dict[str, str | None], therapists: list[str]
) -> None:
    """The record, its assignment and search items (only those that change), the email claim, the audit event."""
    org_id = principal.org_id
    old = _derived_items(client.id, org_id, sorted(client.therapist_ids or []), _tokens_of(client))
    tokens = search_tokens(values["name"] or client.name, values["preferred_name"], values["email"])
    new = _derived_items(client.id, org_id, therapists, tokens)
    email_moves = client.email_key is not None and values["email"] != client.email
    _check_therapists(tx, org_id, [t for t in therapists if t not in (client.therapist_ids or set())])
    condition = ClientRecord.pk.exists()
    if set(therapists) != set(client.therapist_ids or ()):
        condition &= worklist.reassigned(tx, client, therapists)  # the worklists follow the client to its therapists
    tx.update(client, actions=_set_actions(values, therapists, org_id, email_moves), condition=condition)
    for key in old.keys() - new.keys():
        tx.delete(old[key])
    for key in new.keys() - old.keys():
        tx.save(new[key])
    if email_moves:
        _move_email_claim(tx, org_id, client, values["email"] or "")
    tx.save(audit.event(principal, "client.update", f"client/{client.id}", subject_client_id=client.id))


def _tokens_of(client: ClientRecord) -> set[str]:
    return search_tokens(client.name, client.preferred_name, client.email)


def _changed_values(client: ClientRecord, change: ClientChange) -> dict[str, str | None]:
    def pick(name: str, parsed: str | None) -> str | None:
        return parsed if name in change.named else getattr(client, name)

    name = validation.check_text(change.name, "name", max_length=120) if change.name is not None else client.name
    return {
        "name": name,
        "preferred_name": pick("preferred_name", _optional_text(change.preferred_name, "preferred_name", 120)),
        "email": pick("email", _email(change.email)),
        "phone": pick("phone", _phone(change.phone)),
        "date_of_birth": pick("date_of_birth", _date_of_birth(change.date_of_birth)),
        "time_zone": validation.check_time_zone(change.time_zone) if change.time_zone else client.time_zone,
    }


def _set_actions(values: dict[str, str | None], therapists: list[str], org_id: str, email_moves: bool) -> list[Action]:
    actions: list[Action] = []
    for name, value in values.items():
        attribute = getattr(ClientRecord, name)
        actions.append(attribute.set(value) if value is not None else attribute.remove())
    actions.append(ClientRecord.therapist_ids.set(set(therapists)) if therapists else ClientRecord.therapist_ids.remove())
    if email_moves and values["email"]:
        actions.append(ClientRecord.email_key.set(keys.email_key(org_id, values["email"])))
        # A link mailed to the old address (an invitation, a reset) must not open the account any more.
        actions.append(ClientRecord.password_token_hash.remove())
    return actions


def _move_email_claim(tx: Transaction, org_id: str, client: ClientRecord, new_email: str) -> None:
    pk = keys.org_pk(org_id)
    tx.delete(EmailClaim(pk, keys.email_sk(client.email or "")), condition=EmailClaim.account_id == client.id)
    tx.save(
        EmailClaim(pk, keys.email_sk(new_email), account_id=client.id, kind="client"),
        condition=EmailClaim.pk.does_not_exist(),
        label="email",
    )


# ---------------------------------------------------------------------------------------------- reads


def get_client(principal: StaffPrincipal, client_id: str) -> Client:
    client = load_client(principal, client_id)
    audit.record(principal, "client.read", f"client/{client_id}", subject_client_id=client_id)
    return client_of(client)


def list_clients(principal: StaffPrincipal, query: str | None = None, cursor: str | None = None) -> ClientPage:
    words = [w.lower() for w in WORD.findall(query or "")] if query else []
    if query and "@" in query:
        words = [query.strip().lower()]
    if query and not any(len(w) >= 2 for w in words):
        raise ValidationFailed("Type at least two letters to search.", [FieldError("q", "Type at least two letters.")])
    if words:
        page = _search(principal, words)
    elif principal.is_administrator:
        page = _all_clients(principal, cursor)
    else:
        page = _assigned_clients(principal, cursor)
    audit.record(principal, "client.list", "clients")
    return page


def _all_clients(principal: StaffPrincipal, cursor: str | None) -> ClientPage:
    pk = keys.org_pk(principal.org_id)
    results = ClientRecord.query(
        pk,
        ClientRecord.sk.startswith(keys.CLIENT_PREFIX),
        limit=get_settings().page_size,
        last_evaluated_key=cursors.decode(cursor, caller=principal.id, expected={"pk": pk}),
    )
    items = [client_of(item) for item in results]
    return ClientPage(items=items, next_cursor=cursors.encode(results.last_evaluated_key, caller=principal.id))


def _assigned_clients(principal: StaffPrincipal, cursor: str | None) -> ClientPage:
    pk = keys.org_pk(principal.org_id)
    results = Assignment.query(
        pk,
        Assignment.sk.startswith(keys.assignments_prefix(principal.id)),
        limit=get_settings().page_size,
        last_evaluated_key=cursors.decode(cursor, caller=principal.id, expected={"pk": pk}),
    )
    ids = [item.client_id for item in results]
    return ClientPage(items=_fetch(principal, ids), next_cursor=cursors.encode(results.last_evaluated_key, caller=principal.id))


def _search(principal: StaffPrincipal, words: list[str]) -> ClientPage:
    """Prefix Query on the longest word; the other words must each start some word of the same client. One page of
    candidates and no cursor: a search cursor would be a search entry's key, i.e. another client's name or email,
    which a therapist may not see. More matches than a page asks the user to type more."""
    pk = keys.org_pk(principal.org_id)
    lead = max(words, key=len)
    results = SearchEntry.query(pk, SearchEntry.sk.startswith(f"{keys.SEARCH_PREFIX}{lead}"), limit=SEARCH_CANDIDATES)
    ids = list(dict.fromkeys(item.client_id for item in results))
    matches = [c for c in _fetch(principal, ids) if all(any(t.startswith(w) for t in _tokens_of_client(c)) for w in words)]
    return ClientPage(items=matches, next_cursor=None)


def _tokens_of_client(client: Client) -> set[str]:
    return search_tokens(client.name, client.preferred_name, client.email)


def _fetch(principal: StaffPrincipal, client_ids: list[str]) -> list[Client]:
    """One BatchGetItem for a page of ids, keeping only clients the principal may see, sorted by name."""
    if not client_ids:
        return []
    pk = keys.org_pk(principal.org_id)
    found = ClientRecord.batch_get([(pk, keys.client_sk(client_id)) for client_id in client_ids])
    return sorted((client_of(c) for c in found if may_see(principal, c)), key=lambda c: c.name.lower())
