"""Keeping the staff dashboards' lists (tables/worklist.py) and the client lists' paperwork counters, in the
transactions of the changes that move them.

A client *needs attention* while their portal invitation waits to be accepted or paperwork waits to be signed. The
client's record holds the facts (status, ``forms_open``, ``forms_signed``, ``waiting_since``); a TODO entry per viewer
— the practice (``all``, for administrators) and each assigned therapist — puts them in that viewer's list. Writes
that may *start* attention upsert the entries (keeping the earliest ``since``); writes that may *end* it delete them,
on the condition that the record still holds what they read (its version: the same therapists; its counter: no form
sent meanwhile) — otherwise the change is refused as changed meanwhile and nothing is written. The dashboard reads the
records it lists (services/dashboard.py), so a count or a name is never stale.

One gap, by design: a client who signs themselves up while their record already exists (self sign-up never reads the
record, so it does not know their therapists) appears in the practice's list only, until the next staff action.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib import clock
from chalicelib.errors import Conflict
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientActivity, ClientRecord, Login
from chalicelib.tables.base import Transaction
from chalicelib.tables.worklist import PRACTICE_VIEWER, SignedEntry, WorkEntry

LABEL = "worklist"
CHANGED = "This client's paperwork or therapists changed in the meantime. Try again."
SIGNED_KEEP = timedelta(days=30)


def needs_attention(status: str | None, forms_open: int) -> bool:
    return status == "invited" or forms_open > 0


def viewers(therapist_ids: Iterable[str] | None) -> list[str]:
    return [PRACTICE_VIEWER, *sorted(therapist_ids or ())]


def _open(item: Any) -> int:
    return max(0, int(item.forms_open or 0))


def _counter_is(read: Any) -> Condition:
    """``forms_open`` still holds what was read (missing and 0 alike)."""
    condition: Condition = ClientRecord.forms_open == int(read or 0)
    return ClientRecord.forms_open.does_not_exist() | condition if not read else condition


def _version_is(read: Any) -> Condition:
    condition: Condition = ClientRecord.version == int(read or 0)
    return condition


# ---------------------------------------------------------------------------------------------- entries


def list_client(tx: Transaction, org_id: str, client_id: str, for_viewers: Iterable[str], *, now: datetime | None = None) -> None:
    """Put the client in each viewer's list, keeping the moment they first appeared there (an upsert)."""
    since = clock.iso(now or clock.now())
    pk = keys.org_pk(org_id)
    for viewer in for_viewers:
        tx.update(
            WorkEntry(pk, keys.work_sk(viewer, client_id)),
            actions=[
                WorkEntry.client_id.set(client_id),
                WorkEntry.viewer_key.set(keys.viewer_key(org_id, viewer)),
                WorkEntry.since.set(WorkEntry.since | since),
            ],
            add_version_condition=False,
        )


def unlist_client(tx: Transaction, org_id: str, client_id: str, for_viewers: Iterable[str]) -> None:
    pk = keys.org_pk(org_id)
    for viewer in for_viewers:
        tx.delete(WorkEntry(pk, keys.work_sk(viewer, client_id)))


class Changed(Conflict):
    """The client record moved on since it was read (an edit, forms sent, another form signed): a caller that can
    read it again and retry does so; otherwise it is a 409."""


def _refuse_when_changed(tx: Transaction) -> None:
    tx.conflicts.setdefault(LABEL, Changed(CHANGED))


# ------------------------------------------------------------------------------------------ paperwork


def sent_actions(count: int, now: datetime) -> list[Action]:
    """For a write that already updates the client's record (an invitation with forms): ``count`` forms now wait."""
    return [ClientRecord.forms_open.add(count), ClientRecord.waiting_since.set(ClientRecord.waiting_since | now)]


def paperwork_sent(tx: Transaction, client: ClientRecord, count: int) -> None:
    """Forms sent to a client: counted, and the client is in their viewers' lists — for the therapists read, so the
    record must still have them (its version)."""
    if count <= 0:
        return
    now = clock.now()
    tx.update(
        ClientActivity(client.pk, client.sk),
        actions=sent_actions(count, now),
        condition=_version_is(client.version),
        label=LABEL,
        add_version_condition=False,
    )
    _refuse_when_changed(tx)
    list_client(tx, client.org_id, client.id, viewers(client.therapist_ids), now=now)


def paperwork_signed(tx: Transaction, client: ClientRecord, request_id: str, title: str, signed_at: datetime) -> None:
    """A form signed: one fewer waiting, one more signed, the client was active. The last form waiting takes the
    client off the lists (unless their invitation is still open) — on the condition that nothing was sent since the
    counter was read. Each viewer's feed of newly signed documents gets the form."""
    waiting = _open(client)
    last = waiting <= 1
    actions: list[Action] = [ClientActivity.forms_signed.add(1), ClientActivity.last_activity_at.set(signed_at)]
    if last:
        actions += [ClientActivity.forms_open.set(0), ClientActivity.waiting_since.remove()]
    else:
        actions.append(ClientActivity.forms_open.add(-1))
    tx.update(
        ClientActivity(client.pk, client.sk),
        actions=actions,
        condition=_version_is(client.version) & _counter_is(client.forms_open),
        label=LABEL,
        add_version_condition=False,
    )
    _refuse_when_changed(tx)
    everyone = viewers(client.therapist_ids)
    if last and not needs_attention(client.status, 0):
        unlist_client(tx, client.org_id, client.id, everyone)
    pk, at = keys.org_pk(client.org_id), clock.iso(signed_at)
    for viewer in everyone:
        tx.save(
            SignedEntry(
                pk,
                keys.signed_sk(viewer, at, request_id),
                client_id=client.id,
                request_id=request_id,
                title=title,
                signed_at=signed_at,
                expires=signed_at + SIGNED_KEEP,
            )
        )


# ---------------------------------------------------------------------------------------- invitations


def invited(tx: Transaction, client: ClientRecord) -> Condition:
    """An invitation sent (or sent again) by staff: the client is in their viewers' lists. Returns the condition
    the invitation's own update of the record must add: the therapists read are still the record's."""
    list_client(tx, client.org_id, client.id, viewers(client.therapist_ids))
    return _version_is(client.version)


def signed_up(tx: Transaction, org_id: str, client_id: str) -> None:
    """Self sign-up invited the client: the practice's list (their therapists, if any, are not known here)."""
    list_client(tx, org_id, client_id, [PRACTICE_VIEWER])


def invitation_accepted(tx: Transaction, account: Login) -> Condition | None:
    """A client set their password from an invitation: off the lists unless paperwork waits. Returns the condition
    the account's update must add (no form sent meanwhile, the same therapists), or None when nothing changes."""
    if not account.is_client or account.status != "invited" or _open(account) > 0:
        return None
    unlist_client(tx, account.org_id, account.id, viewers(account.therapist_ids))
    settled: Condition = _counter_is(account.forms_open) & _version_is(account.version)
    return settled


def access_disabled(tx: Transaction, client: ClientRecord) -> Condition | None:
    """Portal access disabled: a pending invitation no longer needs anyone's attention (waiting paperwork still does).
    Returns the condition the record's update must add, or None."""
    if client.status != "invited" or _open(client) > 0:
        return None
    unlist_client(tx, client.org_id, client.id, viewers(client.therapist_ids))
    settled: Condition = _counter_is(client.forms_open) & _version_is(client.version)
    return settled


# ------------------------------------------------------------------------------------------- assignment


def reassigned(tx: Transaction, client: ClientRecord, therapist_ids: Iterable[str]) -> Condition:
    """The client's therapists change: the ones removed lose the client from their lists, the ones added get it
    while the client needs attention. Returns the condition the record's update must add: the status and the counter
    it was decided on still hold."""
    before, after = set(client.therapist_ids or ()), set(therapist_ids)
    unlist_client(tx, client.org_id, client.id, sorted(before - after))
    if needs_attention(client.status, _open(client)):
        list_client(tx, client.org_id, client.id, sorted(after - before))
    unchanged: Condition = (ClientRecord.status == client.status) & _counter_is(client.forms_open)
    return unchanged
