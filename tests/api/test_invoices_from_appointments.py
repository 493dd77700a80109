"""Invoices from a client's appointments: the attended, no-show and late-cancelled ones that no invoice bills yet
are offered; an invoice that bills them claims each one in its own transaction, so an appointment is billed once
whoever invoices it at the same time; voiding the invoice lets them go again."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.tables.keys import appointment_sk, org_pk
from chalicelib.tables.payments import InvoiceItem
from chalicelib.tables.scheduling import Appointment
from tests.api.payments_world import connect, install_fake_stripe
from tests.api.scheduling_world import Booking, booking_world, ny
from tests.conftest import Practice, audit_trail, sign_in


@pytest.fixture
def world(frozen_clock: None, practice: Practice) -> Booking:
    install_fake_stripe()
    connect(practice)
    return booking_world(practice)


def attended(world: Booking, start: str, outcome: str = "attended", *, service: bool = True) -> str:
    """An appointment Theo made for Jordan on Monday, marked once it has started."""
    what = {"service_id": world.service_id} if service else {"duration_minutes": 45}
    made = world.theo.post(f"/api/clients/{world.client_id}/appointments", {"start": start, **what})
    assert made.status == 201, made.json
    return str(made.json["id"])


def mark(world: Booking, appointment_id: str, outcome: str = "attended") -> None:
    marked = world.theo.post(f"/api/clients/{world.client_id}/appointments/{appointment_id}/outcome", {"outcome": outcome})
    assert marked.status == 200, marked.json


def stored(world: Booking, appointment_id: str) -> Any:
    return Appointment.get(org_pk(world.practice.org_id), appointment_sk(world.client_id, appointment_id), consistent_read=True)


def invoice_body(*appointment_ids: str, amount: int = 15000) -> dict[str, Any]:
    lines = [{"description": "Individual session", "service_date": "2026-11-23", "amount_cents": amount} for _ in appointment_ids]
    return {"lines": lines or [{"description": "Other", "amount_cents": amount}], "appointment_ids": list(appointment_ids)}


def administrator(world: Booking) -> Any:
    """The administrator in a fresh tab (the clock moves past their idle timeout in these tests)."""
    browser, _ = sign_in(world.practice.client, world.practice.slug, world.practice.admin_email)
    return browser


def invoices_stored(world: Booking) -> list[Any]:
    found = InvoiceItem.query(org_pk(world.practice.org_id), InvoiceItem.sk.startswith(f"INV#{world.client_id}#"), consistent_read=True)
    return [item for item in found if "#PAY#" not in item.sk and "#REF#" not in item.sk]


def billable_ids(world: Booking, browser: Any = None) -> list[str]:
    answer = (browser or administrator(world)).get(f"/api/clients/{world.client_id}/billable-appointments")
    assert answer.status == 200, answer.json
    return [item["id"] for item in answer.json["items"]]


def test_only_appointments_that_took_place_or_were_late_cancelled_are_offered(world: Booking) -> None:
    # Given Monday's session attended, one a no-show, one still ahead, and a plain appointment of a length
    first, second = attended(world, ny("2026-11-23T11:00")), attended(world, ny("2026-11-23T13:00"))
    ahead = attended(world, ny("2026-11-30T11:00"))
    plain = attended(world, ny("2026-11-23T15:00"), service=False)
    world.later(timedelta(hours=12))
    mark(world, first)
    mark(world, second, "no_show")
    mark(world, plain)

    # When the administrator (no scheduling seat of their own) asks what can be billed
    answer = administrator(world).get(f"/api/clients/{world.client_id}/billable-appointments")

    # Then the three that took place are offered, latest first, with the service's price when booked
    assert answer.status == 200, answer.json
    items = answer.json["items"]
    assert [i["id"] for i in items] == [plain, second, first] and ahead not in [i["id"] for i in items]
    assert [i["price_cents"] for i in items] == [None, 15000, 15000]
    assert items[1]["status"] == "no_show" and items[0]["service_name"] == "Appointment"
    assert ("invoices.billable_appointments", "success") in [(e.action, e.outcome) for e in audit_trail(world.practice.org_id)]


def test_an_invoice_bills_its_appointments_once(world: Booking) -> None:
    # Given an attended session
    session = attended(world, ny("2026-11-23T11:00"))
    world.later(timedelta(hours=8))
    mark(world, session)

    # When an invoice bills it, and then another invoice tries the same appointment
    made = world.theo.post(f"/api/clients/{world.client_id}/invoices", invoice_body(session))
    again = world.theo.post(f"/api/clients/{world.client_id}/invoices", invoice_body(session))

    # Then the first holds it, the second is refused and stores nothing, and it is offered no more
    assert made.status == 201, made.json
    assert made.json["appointment_ids"] == [session]
    assert stored(world, session).invoice_id == made.json["id"]
    assert again.status == 409 and again.json["type"].endswith("/conflict")
    assert [i.id for i in invoices_stored(world)] == [made.json["id"]]
    assert billable_ids(world) == []


@pytest.mark.parametrize(
    ("appointment", "field"),
    [("ahead", "appointment_ids.0"), ("unknown", "appointment_ids.0"), ("twice", "appointment_ids")],
)
def test_what_cannot_be_billed_is_refused_and_nothing_is_stored(world: Booking, appointment: str, field: str) -> None:
    # Given an appointment still ahead, an id that is not this client's, or one appointment listed twice
    ahead = attended(world, ny("2026-11-30T11:00"))
    ids = {"ahead": [ahead], "unknown": ["apt_not_this_clients"], "twice": [ahead, ahead]}[appointment]

    # When an invoice is asked to bill it
    answer = world.theo.post(f"/api/clients/{world.client_id}/invoices", {**invoice_body(*ids), "appointment_ids": ids})

    # Then it is a 422 naming the field, and no invoice is stored nor appointment claimed
    assert answer.status == 422, answer.json
    assert field in [e["field"] for e in answer.json["errors"]]
    assert invoices_stored(world) == []
    assert stored(world, ahead).invoice_id is None


def test_another_clients_appointment_cannot_be_billed_to_this_client(world: Booking) -> None:
    # Given Casey's attended appointment
    _, casey_id = world.add_client("Casey Client", "casey@example.test")
    made = world.theo.post(f"/api/clients/{casey_id}/appointments", {"start": ny("2026-11-23T11:00"), "service_id": world.service_id})
    world.later(timedelta(hours=8))
    assert world.theo.post(f"/api/clients/{casey_id}/appointments/{made.json['id']}/outcome", {"outcome": "attended"}).status == 200

    # When an invoice for Jordan names it
    answer = world.theo.post(f"/api/clients/{world.client_id}/invoices", invoice_body(made.json["id"]))

    # Then it is not found among Jordan's appointments, and Casey's appointment stays unbilled
    assert answer.status == 422
    casey_appointment = Appointment.get(org_pk(world.practice.org_id), appointment_sk(casey_id, made.json["id"]), consistent_read=True)
    assert casey_appointment.invoice_id is None


def test_voiding_the_invoice_lets_its_appointments_be_billed_again(world: Booking) -> None:
    session = attended(world, ny("2026-11-23T11:00"))
    world.later(timedelta(hours=8))
    mark(world, session)
    made = world.theo.post(f"/api/clients/{world.client_id}/invoices", invoice_body(session)).json

    voided = world.theo.post(f"/api/clients/{world.client_id}/invoices/{made['id']}/void")

    assert voided.status == 200 and voided.json["status"] == "void"
    assert stored(world, session).invoice_id is None and billable_ids(world) == [session]


def test_two_invoices_racing_for_one_appointment_leave_one_winner(world: Booking) -> None:
    # Given an attended session and two staff tabs
    session = attended(world, ny("2026-11-23T11:00"))
    world.later(timedelta(hours=8))
    mark(world, session)
    tabs = [administrator(world), world.theo] * 3
    results: list[Any] = [None] * len(tabs)
    start = threading.Barrier(len(tabs))

    def bill(i: int) -> None:
        start.wait()
        results[i] = tabs[i].post(f"/api/clients/{world.client_id}/invoices", invoice_body(session, amount=1000 + i))

    # When six invoices for it are created at the same moment
    threads = [threading.Thread(target=bill, args=(i,)) for i in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then exactly one is created and holds the appointment; the others are 409 and left nothing behind
    statuses = sorted(r.status for r in results)
    assert statuses == [201] + [409] * (len(tabs) - 1), [r.json for r in results]
    winner = next(r.json for r in results if r.status == 201)
    invoices = invoices_stored(world)
    assert [i.id for i in invoices] == [winner["id"]] and set(invoices[0].appointment_ids) == {session}
    assert stored(world, session).invoice_id == winner["id"]
