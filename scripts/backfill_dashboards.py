"""Fill in what the dashboards and client lists read, for data written before they existed (an upgrade step).

    python -m scripts.backfill_dashboards [--port 8000]

Recounts every client's paperwork from their requests (``forms_open``, ``forms_signed``, ``waiting_since``), puts
each client needing attention (invitation not accepted, paperwork waiting) on the practice's and their therapists'
worklists, fills the feeds of forms signed over the last 30 days, and lists live appointments in the practice's
index (``by_practice``), and records each practice's administrators on its record (``administrator_ids``, which
payment notices read). Idempotent: running it twice changes nothing the second time. With ``--port`` it works on
the local stack `make run` started; without, on the stage named by the environment (run with that stage's
credentials). A maintenance command: it scans the accounts, intake and scheduling tables.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any


@dataclass
class Paperwork:
    open: int = 0
    signed: int = 0
    waiting_since: datetime | None = None
    recently_signed: list[Any] = field(default_factory=list)


@dataclass
class Outcome:
    clients: int = 0
    listed: int = 0
    appointments: int = 0
    practices: int = 0


SETTLE_ATTEMPTS = 3


def backfill() -> Outcome:
    """Clients are read before their requests are counted: a form sent or signed after a client was read changes
    the live counters, so that client's settling finds them changed, recounts them alone and tries again — the
    backfill never writes a count older than the live one."""
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import ClientRecord

    outcome = Outcome()
    clients = list(ClientRecord.scan(ClientRecord.sk.startswith(keys.CLIENT_PREFIX)))
    paperwork = _count_paperwork()
    for client in clients:
        outcome.listed += _settle_live(client, paperwork.get((client.org_id, client.id), Paperwork()))
        outcome.clients += 1
    outcome.appointments = _list_appointments()
    outcome.practices = _record_administrators()
    return outcome


def _settle_live(client: Any, counted: Paperwork) -> int:
    from chalicelib.errors import Conflict
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import ClientRecord
    from chalicelib.tables.base import get_or_none
    from chalicelib.tables.intake import FormRequest

    for attempt in range(1, SETTLE_ATTEMPTS + 1):
        try:
            return _settle(client, counted)
        except Conflict:
            if attempt == SETTLE_ATTEMPTS:
                raise
            client = get_or_none(ClientRecord, client.pk, client.sk)
            if client is None:
                return 0
            mine = FormRequest.query(client.pk, FormRequest.sk.startswith(keys.request_sk(client.id, "")), consistent_read=True)
            counted = _count(mine).get((client.org_id, client.id), Paperwork())
    return 0


def _count_paperwork() -> dict[tuple[str, str], Paperwork]:
    """Every client's requests: open and signed counts, the oldest open one, the ones signed lately."""
    from chalicelib.tables import keys
    from chalicelib.tables.intake import FormRequest

    return _count(FormRequest.scan(FormRequest.sk.startswith(keys.REQUEST_PREFIX)))


def _count(requests: Any) -> dict[tuple[str, str], Paperwork]:
    from chalicelib import clock
    from chalicelib.services import worklist

    recent = clock.now() - worklist.SIGNED_KEEP
    paperwork: dict[tuple[str, str], Paperwork] = defaultdict(Paperwork)
    for request in requests:
        found = paperwork[(request.org_id, request.client_id)]
        if request.status == "completed":
            found.signed += 1
            if request.signed_at and request.signed_at > recent:
                found.recently_signed.append(request)
        else:
            found.open += 1
            if found.waiting_since is None or request.sent_at < found.waiting_since:
                found.waiting_since = request.sent_at
    return paperwork


def _settle(client: Any, counted: Paperwork) -> int:
    """One client's counters, worklist entries and signed feed, in one transaction; 1 when they need attention."""
    from chalicelib import clock
    from chalicelib.errors import Conflict
    from chalicelib.services import worklist
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import ClientActivity, ClientRecord
    from chalicelib.tables.base import transaction
    from chalicelib.tables.worklist import SignedEntry

    viewers = worklist.viewers(client.therapist_ids)
    waiting = ClientActivity.waiting_since
    attention = worklist.needs_attention(client.status, counted.open)
    changed = Conflict("The client's paperwork changed while it was counted.")
    with transaction({"counters": changed}) as tx:
        actions = [ClientActivity.forms_open.set(counted.open), ClientActivity.forms_signed.set(counted.signed)]
        actions.append(waiting.set(counted.waiting_since) if counted.waiting_since else waiting.remove())
        # The live counters as this client was read (before its requests were counted): a form sent or signed since
        # moved them, and then this count is not written.
        as_read = _as_read(ClientActivity.forms_open, client.forms_open) & _as_read(ClientActivity.forms_signed, client.forms_signed)
        tx.update(
            ClientActivity(client.pk, client.sk),
            actions=actions,
            condition=ClientRecord.pk.exists() & as_read,
            label="counters",
            add_version_condition=False,
        )
        if attention:
            since = min(t for t in (client.invited_at, counted.waiting_since, clock.now()) if t is not None)
            worklist.list_client(tx, client.org_id, client.id, viewers, now=since)
        else:
            worklist.unlist_client(tx, client.org_id, client.id, viewers)
        for request in counted.recently_signed[:5]:  # the feeds show a fortnight; a transaction holds 100 items
            for viewer in viewers:
                at = request.signed_at
                item = SignedEntry(client.pk, keys.signed_sk(viewer, clock.iso(at), request.id), client_id=client.id,
                                   request_id=request.id, title=request.title, signed_at=at, expires=at + worklist.SIGNED_KEEP)  # fmt: skip
                tx.save(item)
    return int(attention)


def _as_read(attribute: Any, value: Any) -> Any:
    return attribute == value if value is not None else attribute.does_not_exist()


def _list_appointments() -> int:
    """Live appointments (in a therapist's schedule) that the practice's index does not hold yet."""
    from chalicelib.services.scheduling import ledger
    from chalicelib.tables.scheduling import Appointment

    listed = 0
    for item in Appointment.scan(Appointment.cal_pk.exists() & Appointment.prac_pk.does_not_exist() & (Appointment.kind == "appointment")):
        key, sort_key = ledger.practice_listing(item.org_id, item.start, item.id, item.status)
        item.update(
            actions=[Appointment.prac_pk.set(key), Appointment.prac_sk.set(sort_key)],
            condition=Appointment.cal_pk.exists(),
            add_version_condition=False,
        )
        listed += 1
    return listed


def _record_administrators() -> int:
    """Each practice's administrators not deactivated (those ``administrator_count`` counts), set on its record."""
    from pynamodb.exceptions import UpdateError

    from chalicelib.tables import keys
    from chalicelib.tables.accounts import StaffMember
    from chalicelib.tables.organizations import Organization, OrganizationCounters

    administrators: dict[str, set[str]] = defaultdict(set)
    for member in StaffMember.scan(StaffMember.sk.startswith(keys.STAFF_PREFIX) & (StaffMember.role == "administrator")):
        if member.status != "deactivated":
            administrators[member.org_id].add(member.id)
    recorded = 0
    for organization in Organization.scan(Organization.sk == keys.ORGANIZATION_SK):
        ids = administrators.get(organization.id)
        if ids and set(organization.administrator_ids or ()) != ids:
            # Only while the count and the set are as read: a role changed since the scan is left for the next run.
            held = organization.administrator_ids
            ids_now = OrganizationCounters.administrator_ids
            unchanged = ids_now == held if held else ids_now.does_not_exist()
            counted = (OrganizationCounters.administrator_count == len(ids)) & unchanged
            try:
                OrganizationCounters(organization.pk, organization.sk).update(
                    actions=[OrganizationCounters.administrator_ids.set(ids)], condition=counted
                )
            except UpdateError:
                continue
            recorded += 1
    return recorded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, help="the local stack's port (reads .local/stack-PORT.json)")
    args = parser.parse_args(argv)
    from chalicelib.config import settings_from_env, use_settings
    from chalicelib.tables.registry import bind_tables

    settings = settings_from_env(os.environ)
    if args.port:
        from scripts.local_stack import STATE_DIR

        state = json.loads((STATE_DIR / f"stack-{args.port}.json").read_text(encoding="utf-8"))
        for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}.items():
            os.environ.setdefault(key, value)
        settings = replace(settings, aws_endpoint_url=state["moto_url"])
    use_settings(settings)
    bind_tables(settings)
    done = backfill()
    print(f"{done.clients} clients recounted, {done.listed} on worklists, {done.appointments} appointments listed for their practice, "
          f"{done.practices} practices' administrators recorded.")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
