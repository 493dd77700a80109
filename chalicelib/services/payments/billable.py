"""Invoices from a client's appointments: which of them can be billed, and claiming them for one invoice.

An appointment is billable once it is attended, a no-show or late-cancelled (a practice's cancellation policy may
charge for those), and is billed by one invoice at most: the invoice's own transaction sets the appointment's
``invoice_id`` on the condition that none is set and the outcome is still billable, so two invoices racing for the
same appointment leave exactly one winner. Voiding the invoice lets its appointments go again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib import audit
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.payments import BillableAppointment
from chalicelib.errors import Conflict, FieldError, ValidationFailed
from chalicelib.services.visibility import checked
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import Transaction, get_or_none
from chalicelib.tables.scheduling import Appointment

BILLABLE = ("attended", "no_show", "late_cancelled")
MAX_LISTED = 500
TAKEN = Conflict("One of these appointments is already on another invoice. Reload and choose again.")


def billable_for(principal: StaffPrincipal, client_id: str) -> list[BillableAppointment]:
    """The client's appointments that can still be billed, latest first: the client (for the caller's view of them)
    and one Query of the client's own appointments, whatever the practice's size."""
    pk = keys.org_pk(principal.org_id)
    checked(principal, get_or_none(ClientRecord, pk, keys.client_sk(client_id)), client_id)
    found = Appointment.query(
        pk,
        Appointment.sk.startswith(keys.client_appointments_prefix(client_id)),
        filter_condition=Appointment.status.is_in(*BILLABLE) & Appointment.invoice_id.does_not_exist(),
        limit=MAX_LISTED,
        consistent_read=True,
    )
    items = sorted((billable_of(item) for item in found), key=lambda a: a.start, reverse=True)
    audit.record(principal, "invoices.billable_appointments", f"client/{client_id}/appointments", subject_client_id=client_id)
    return items


def billable_of(item: Appointment) -> BillableAppointment:
    return BillableAppointment(
        id=item.id,
        start=item.start,
        time_zone=item.time_zone,
        service_name=item.service_name,
        therapist_name=item.therapist_name,
        status=item.status,
        price_cents=int(item.price_cents) if item.price_cents is not None else None,
    )


def appointment_keys(org_id: str, client_id: str, ids: Sequence[str]) -> list[tuple[type[Any], str, str]]:
    """The appointments an invoice bills, to read with the client in one BatchGetItem (another client's id is simply
    not found under this client's key)."""
    return [(Appointment, keys.org_pk(org_id), keys.appointment_sk(client_id, appointment_id)) for appointment_id in ids]


def check(ids: Sequence[str], found: Sequence[Appointment | None]) -> list[Appointment]:
    if len(set(ids)) != len(ids):
        raise ValidationFailed("Each appointment can be billed once.", [FieldError("appointment_ids", "An appointment is listed twice.")])
    errors = [FieldError(f"appointment_ids.{i}", "No such appointment of this client.") for i, item in enumerate(found) if item is None]
    errors += [
        FieldError(f"appointment_ids.{i}", "Only attended, no-show or late-cancelled appointments can be billed.")
        for i, item in enumerate(found)
        if item is not None and item.status not in BILLABLE
    ]
    if errors:
        raise ValidationFailed("Some of these appointments cannot be billed.", errors)
    if any(item is not None and item.invoice_id for item in found):
        raise TAKEN
    return [item for item in found if item is not None]


def claim(tx: Transaction, invoice_id: str, appointments: Sequence[Appointment]) -> None:
    for item in appointments:
        tx.update(
            item,
            actions=[Appointment.invoice_id.set(invoice_id)],
            condition=Appointment.invoice_id.does_not_exist() & Appointment.status.is_in(*BILLABLE),
            label="appointment",
            add_version_condition=False,
        )


def release(tx: Transaction, org_id: str, client_id: str, invoice_id: str, ids: Sequence[str]) -> None:
    """A voided invoice's appointments can be billed again (only those it still holds)."""
    for appointment_id in ids:
        tx.update(
            Appointment(keys.org_pk(org_id), keys.appointment_sk(client_id, appointment_id)),
            actions=[Appointment.invoice_id.remove()],
            condition=Appointment.invoice_id == invoice_id,
            label="release",
            add_version_condition=False,
        )
