"""Invoices: staff create them for a client, issue them (a number from the practice's gapless sequence, taken in the
issuing transaction) and void them; staff and clients list them with their payments and refunds.

States only move forward: draft → open → paid → refunded; void only from draft, or from open with nothing paid or
being paid. Every state change is a condition in the write that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pynamodb.models import Model

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain.payments import Invoice, InvoiceLine, InvoicePage, Payment
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services.payments import billable
from chalicelib.services.visibility import checked
from chalicelib.tables import cursors, keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import read_together, transaction
from chalicelib.tables.payments import (
    InvoiceCounter,
    InvoiceItem,
    PaymentItem,
    PaymentsConnection,
    RefundItem,
    invoice_of,
    invoices_with_history,
    payment_of,
)

MAX_LINES = 50
MAX_AMOUNT_CENTS = 100_000_00  # $100,000 — a sanity bound, not a business rule
NO_INVOICE = "No such invoice."
ISSUE_ATTEMPTS = 3


class _CounterMoved(Conflict):
    """Another invoice took the next number first: read the counter again."""


@dataclass(frozen=True)
class Draft:
    lines: list[InvoiceLine]
    notes: str | None
    appointment_ids: tuple[str, ...] = ()  # the client's appointments it bills (services/payments/billable.py)


def check_lines(lines: list[InvoiceLine]) -> int:
    if not lines or len(lines) > MAX_LINES:
        raise ValidationFailed(f"Add between 1 and {MAX_LINES} lines.", [FieldError("lines", "Add at least one line.")])
    errors = [
        FieldError(f"lines.{i}.amount_cents", "Enter an amount above zero, in cents.")
        for i, line in enumerate(lines)
        if line.amount_cents <= 0 or line.amount_cents > MAX_AMOUNT_CENTS
    ]
    if errors:
        raise ValidationFailed("Each line needs an amount above zero.", errors)
    total = sum(line.amount_cents for line in lines)
    if total > MAX_AMOUNT_CENTS:
        raise ValidationFailed("An invoice can total at most $100,000.", [FieldError("lines", "The total is too large.")])
    return total


# ------------------------------------------------------------------------------------------------- staff


def create(principal: StaffPrincipal, client_id: str, draft: Draft) -> Invoice:
    total = check_lines(draft.lines)
    pk = keys.org_pk(principal.org_id)
    client, connection, *found = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)),
        (PaymentsConnection, pk, keys.PAYMENTS_CONNECTION_SK),
        *billable.appointment_keys(principal.org_id, client_id, draft.appointment_ids),
    )
    client = checked(principal, client, client_id)
    appointments = billable.check(draft.appointment_ids, found)
    invoice_id = new_id("inv")
    item = InvoiceItem(
        pk,
        keys.invoice_sk(client_id, invoice_id),
        id=invoice_id,
        client_id=client_id,
        status="draft",
        lines=[
            {"description": line.description, "service_date": line.service_date, "amount_cents": line.amount_cents} for line in draft.lines
        ],
        notes=draft.notes or None,
        currency=connection.currency if connection else "usd",
        total_cents=total,
        therapist_ids=set(client.therapist_ids or []) or None,
        appointment_ids=set(draft.appointment_ids) or None,
        created_at=clock.now(),
        created_by=principal.id,
    )
    with transaction({"appointment": billable.TAKEN}) as tx:
        tx.save(item, condition=InvoiceItem.sk.does_not_exist())
        billable.claim(tx, invoice_id, appointments)
        tx.save(audit.event(principal, "invoices.create", f"invoice/{invoice_id}", subject_client_id=client_id))
    return invoice_of(item)


def issue(principal: StaffPrincipal, client_id: str, invoice_id: str) -> Invoice:
    """Open the invoice with the next number: the counter moves from n to n+1 in the same transaction, on the
    condition that it still reads n — so numbers have no gaps and no duplicates, whoever issues at the same time."""
    pk = keys.org_pk(principal.org_id)
    for attempt in range(ISSUE_ATTEMPTS):
        client, item, counter = read_together(
            (ClientRecord, pk, keys.client_sk(client_id)),
            (InvoiceItem, pk, keys.invoice_sk(client_id, invoice_id)),
            (InvoiceCounter, pk, keys.INVOICE_COUNTER_SK),
        )
        checked(principal, client, client_id)
        if item is None:
            raise NotFound(NO_INVOICE)
        if item.status != "draft":
            raise Conflict("This invoice was already issued.")
        last = int(counter.last_number) if counter else 0
        now = clock.now()
        try:
            with transaction({"invoice": Conflict("This invoice was already issued."), "counter": _CounterMoved()}) as tx:
                tx.update(
                    InvoiceCounter(pk, keys.INVOICE_COUNTER_SK),
                    actions=[InvoiceCounter.last_number.set(last + 1)],
                    condition=InvoiceCounter.last_number.does_not_exist() if counter is None else InvoiceCounter.last_number == last,
                    label="counter",
                )
                tx.update(
                    item,
                    actions=[
                        InvoiceItem.status.set("open"),
                        InvoiceItem.number.set(last + 1),
                        InvoiceItem.issued_at.set(now),
                        InvoiceItem.open_key.set(keys.open_invoices_key(principal.org_id)),
                        InvoiceItem.open_since.set(f"{clock.iso(now)}#{invoice_id}"),
                    ],
                    condition=InvoiceItem.status == "draft",
                    label="invoice",
                    add_version_condition=False,
                )
                tx.save(audit.event(principal, "invoices.issue", f"invoice/{invoice_id}", subject_client_id=client_id))
        except _CounterMoved:
            if attempt + 1 < ISSUE_ATTEMPTS:
                continue
            raise Conflict("Invoices are being issued at the same moment. Try again.") from None
        item.status, item.number, item.issued_at = "open", last + 1, now
        return invoice_of(item)
    raise Conflict("Invoices are being issued at the same moment. Try again.")


def void(principal: StaffPrincipal, client_id: str, invoice_id: str) -> Invoice:
    pk = keys.org_pk(principal.org_id)
    client, item = read_together((ClientRecord, pk, keys.client_sk(client_id)), (InvoiceItem, pk, keys.invoice_sk(client_id, invoice_id)))
    checked(principal, client, client_id)
    if item is None:
        raise NotFound(NO_INVOICE)
    refuse_void(item)
    now = clock.now()
    cannot = Conflict("Only a draft or an open invoice with nothing paid can be voided.")
    with transaction({"invoice": cannot}) as tx:
        tx.update(
            item,
            actions=[
                InvoiceItem.status.set("void"),
                InvoiceItem.voided_at.set(now),
                InvoiceItem.open_key.remove(),
                InvoiceItem.open_since.remove(),
            ],
            condition=InvoiceItem.status.is_in("draft", "open")
            & (InvoiceItem.paid_cents == 0)
            & (InvoiceItem.pending_cents == 0)
            & (InvoiceItem.paying.does_not_exist() | (InvoiceItem.paying_until < clock.iso(now))),
            label="invoice",
            add_version_condition=False,
        )
        billable.release(tx, principal.org_id, client_id, invoice_id, sorted(item.appointment_ids or []))
        tx.save(audit.event(principal, "invoices.void", f"invoice/{invoice_id}", subject_client_id=client_id))
    item.status, item.voided_at = "void", now
    return invoice_of(item)


def refuse_void(item: InvoiceItem) -> None:
    if item.status == "void":
        raise Conflict("This invoice is already void.")
    if item.status not in {"draft", "open"} or int(item.paid_cents or 0) or int(item.pending_cents or 0):
        raise Conflict("An invoice with payments cannot be voided; refund the payments instead.")


def list_for_client(principal: StaffPrincipal, client_id: str, cursor: str | None) -> InvoicePage:
    from chalicelib.tables.base import get_or_none

    checked(principal, get_or_none(ClientRecord, keys.org_pk(principal.org_id), keys.client_sk(client_id)), client_id)
    page = _history(principal, client_id, keys.client_invoices_prefix(client_id), cursor)
    audit.record(principal, "invoices.list", f"client/{client_id}/invoices", subject_client_id=client_id)
    return page


def invoice_for_staff(principal: StaffPrincipal, client_id: str, invoice_id: str) -> Invoice:
    from chalicelib.tables.base import get_or_none

    checked(principal, get_or_none(ClientRecord, keys.org_pk(principal.org_id), keys.client_sk(client_id)), client_id)
    invoice = invoice_history(principal, client_id, invoice_id)
    audit.record(principal, "invoices.read", f"invoice/{invoice_id}", subject_client_id=client_id)
    return invoice


def open_invoices(principal: StaffPrincipal, cursor: str | None) -> InvoicePage:
    """The practice's open invoices, oldest first; a therapist sees those of their own clients."""
    index_key = keys.open_invoices_key(principal.org_id)
    start = cursors.decode(cursor, caller=principal.id, expected={"open_key": index_key})
    condition = None if principal.is_administrator else InvoiceItem.therapist_ids.contains(principal.id)
    result = InvoiceItem.by_open.query(index_key, filter_condition=condition, limit=_page_size(), last_evaluated_key=start)
    items = [invoice_of(item) for item in result]
    names = _client_names(principal.org_id, [invoice.client_id for invoice in items])
    audit.record(principal, "invoices.list_open", "payments/open-invoices")
    return InvoicePage(items=items, next_cursor=cursors.encode(result.last_evaluated_key, caller=principal.id), client_names=names)


def _client_names(org_id: str, client_ids: list[str]) -> dict[str, str]:
    """The names of a page's clients (one BatchGetItem, names only): the list is already limited to clients the caller
    may see — the practice's for administrators, their own for a therapist."""
    unique = list(dict.fromkeys(client_ids))
    if not unique:
        return {}
    pk = keys.org_pk(org_id)
    found = read_together(*[(ClientRecord, pk, keys.client_sk(client_id)) for client_id in unique], attributes=["id", "name"])
    return {str(item.id): str(item.name) for item in found if item is not None and item.id}


def recent_payments(principal: StaffPrincipal, cursor: str | None) -> tuple[list[Payment], str | None]:
    """Payments received, newest first — the staff's in-app notice of each payment (therapists: their clients')."""
    feed_key = keys.paid_feed_key(principal.org_id)
    start = cursors.decode(cursor, caller=principal.id, expected={"paid_key": feed_key})
    condition = None if principal.is_administrator else PaymentItem.therapist_ids.contains(principal.id)
    result = PaymentItem.by_paid.query(
        feed_key, scan_index_forward=False, filter_condition=condition, limit=_page_size(), last_evaluated_key=start
    )
    items = [payment_of(item) for item in result]
    audit.record(principal, "payments.list_recent", "payments/recent")
    return items, cursors.encode(result.last_evaluated_key, caller=principal.id)


# ------------------------------------------------------------------------------------------------ clients


def list_own(principal: ClientPrincipal, cursor: str | None) -> InvoicePage:
    """The client's own invoices with their payments and refunds (drafts are the practice's work in progress)."""
    page = _history(principal, principal.id, keys.client_invoices_prefix(principal.id), cursor, drafts=False)
    audit.record(principal, "invoices.list", "portal/invoices", subject_client_id=principal.id)
    return page


def own_invoice(principal: ClientPrincipal, invoice_id: str) -> Invoice:
    invoice = invoice_history(principal, principal.id, invoice_id)
    if invoice.status == "draft":
        raise NotFound(NO_INVOICE)
    audit.record(principal, "invoices.read", f"invoice/{invoice_id}", subject_client_id=principal.id)
    return invoice


# ------------------------------------------------------------------------------------------------ reading


def _page_size() -> int:
    from chalicelib.config import get_settings

    return get_settings().page_size


def _history(principal: Principal, client_id: str, prefix: str, cursor: str | None, *, drafts: bool = True) -> InvoicePage:
    pk = keys.org_pk(principal.org_id)
    start = cursors.decode(cursor, caller=principal.id, expected={"pk": pk})
    if start is not None and not str(start.get("sk", {}).get("S", "")).startswith(prefix):
        from chalicelib.errors import InvalidCursor

        raise InvalidCursor("This page link is not valid here. Start from the first page.")
    # Newest invoices first: sort keys hold random ids, so order by creation below within the page.
    raw, last_key = query_history(pk, prefix, start, limit=_page_size() * 4)
    invoices = invoices_with_history(raw)
    if not drafts:
        invoices = [invoice for invoice in invoices if invoice.status != "draft"]
    invoices.sort(key=lambda invoice: invoice.created_at, reverse=True)
    return InvoicePage(items=invoices, next_cursor=cursors.encode(last_key, caller=principal.id))


def invoice_history(principal: Principal, client_id: str, invoice_id: str) -> Invoice:
    raw, _ = query_history(keys.org_pk(principal.org_id), keys.invoice_sk(client_id, invoice_id), None, limit=500)
    found = [invoice for invoice in invoices_with_history(raw) if invoice.id == invoice_id]
    if not found:
        raise NotFound(NO_INVOICE)
    return found[0]


MODELS_BY_KIND: dict[str, type[Model]] = {"invoice": InvoiceItem, "payment": PaymentItem, "refund": RefundItem}


def query_history(pk: str, prefix: str, start: dict[str, Any] | None, *, limit: int) -> tuple[list[Any], dict[str, Any] | None]:
    """One Query of a client's invoice items (invoices, payments, refunds), each read as its own model."""
    table = InvoiceItem._get_connection()
    answer = table.query(
        pk, range_key_condition=InvoiceItem.sk.startswith(prefix), consistent_read=True, limit=limit, exclusive_start_key=start
    )
    items = []
    for raw in answer.get("Items", []):
        model = MODELS_BY_KIND.get(raw.get("kind", {}).get("S", ""))
        if model is not None:
            items.append(model.from_raw_data(raw))
    return items, answer.get("LastEvaluatedKey")


def claim_expired(until: str | None, now_iso: str) -> bool:
    return until is None or until < now_iso


def claim_until(seconds: int) -> str:
    return clock.iso(clock.now() + timedelta(seconds=seconds))
