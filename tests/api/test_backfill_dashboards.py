"""The upgrade step for data written before the dashboards: scripts/backfill_dashboards.py recounts paperwork, fills
the worklists and the signed feeds, and lists live appointments for the practice — idempotently."""

from __future__ import annotations

from typing import Any

from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientActivity
from chalicelib.tables.organizations import Organization, OrganizationCounters
from chalicelib.tables.scheduling import Appointment
from chalicelib.tables.worklist import SignedEntry, WorkEntry
from scripts.backfill_dashboards import backfill
from tests.api.scheduling_world import booking_world
from tests.api.test_dashboards import entries_of, worklist
from tests.api.test_paperwork_checks import send, sign
from tests.api.test_paperwork_journey import CONSENT, PRIVACY
from tests.conftest import Practice, stored_client


def _forget_everything_the_dashboards_read(org_id: str, client_id: str) -> None:
    """As data written before the dashboards existed: no counters, no worklist entries, no feeds, no practice index,
    no administrators on the practice's record."""
    pk = keys.org_pk(org_id)
    OrganizationCounters(pk, keys.ORGANIZATION_SK).update(actions=[OrganizationCounters.administrator_ids.remove()])
    ClientActivity(pk, keys.client_sk(client_id)).update(
        actions=[ClientActivity.forms_open.remove(), ClientActivity.forms_signed.remove(), ClientActivity.waiting_since.remove()]
    )
    for entry in WorkEntry.query(pk, WorkEntry.sk.startswith("TODO#")):
        entry.delete()
    for signed in SignedEntry.query(pk, SignedEntry.sk.startswith("SIGNED#")):
        signed.delete()
    for appointment in Appointment.query(pk, Appointment.sk.startswith("APPT#")):
        appointment.update(actions=[Appointment.prac_pk.remove(), Appointment.prac_sk.remove()], add_version_condition=False)


def test_the_backfill_restores_what_the_dashboards_read(practice: Practice) -> None:
    # Given Jordan (booked with Theo, one form signed and one waiting), from before the dashboards existed
    world = booking_world(practice)
    privacy, _ = send(practice.admin, world.client_id, PRIVACY, CONSENT)
    sign(world.client, privacy, PRIVACY)
    booked = world.book(world.slots()["starts"][0])
    assert booked.status == 201, booked.json
    _forget_everything_the_dashboards_read(practice.org_id, world.client_id)
    assert worklist(world.theo) == []

    # When the backfill runs, twice
    first = backfill()
    second = backfill()

    # Then the counters, the worklists, the feeds and the practice's requests are back, the same both times
    assert (first.clients, first.listed, first.appointments, first.practices) == (1, 1, 1, 1)
    assert (second.clients, second.listed, second.appointments, second.practices) == (1, 1, 0, 0)
    assert Organization.get(keys.org_pk(practice.org_id), keys.ORGANIZATION_SK).administrator_ids == {practice.admin_id}
    record = stored_client(practice.org_id, world.client_id)
    assert (record.forms_open, record.forms_signed) == (1, 1) and record.waiting_since is not None
    assert entries_of(practice.org_id, world.client_id) == sorted(["all", world.theo_id])
    [item] = worklist(world.theo)
    assert (item["paperwork"]["waiting"], item["paperwork"]["signed"]) == (1, 1)
    assert [d["request_id"] for d in world.theo.get("/api/dashboard/signed").json["items"]] == [privacy]
    assert [a["id"] for a in world.theo.get("/api/dashboard/appointments").json["requests"]] == [booked.json["id"]]
    assert practice.admin.put(f"/api/subscription/seats/{practice.admin_id}").status == 200
    assert [a["id"] for a in practice.admin.get("/api/dashboard/appointments").json["requests"]] == [booked.json["id"]]


def test_a_form_sent_while_the_backfill_counts_is_not_counted_away(monkeypatch: Any, practice: Practice) -> None:
    # Given Jordan with one form waiting, from before the dashboards, and Theo sending another right after the
    # backfill counted the requests
    import scripts.backfill_dashboards as backfill_module

    world = booking_world(practice)
    send(practice.admin, world.client_id, PRIVACY)
    _forget_everything_the_dashboards_read(practice.org_id, world.client_id)
    counted = backfill_module._count_paperwork

    def count_then_send() -> Any:
        found = counted()
        send(practice.admin, world.client_id, CONSENT)
        return found

    monkeypatch.setattr(backfill_module, "_count_paperwork", count_then_send)

    # When the backfill runs
    backfill()

    # Then the record counts both forms: the stale count was not written over the live one
    record = stored_client(practice.org_id, world.client_id)
    assert (int(record.forms_open or 0), int(record.forms_signed or 0)) == (2, 0)
