"""Invoices and card payments: staff issue invoices (gapless numbers), clients pay them by card through the practice's
own Stripe account — the embedded fake Stripe server here — and only Stripe's verified events mark them paid.

localstripe does not replay idempotency keys, so "charged once" is held by the portal's own claim on each attempt:
the double-submit tests below check it (and that one PaymentIntent exists at the fake server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.config import Settings
from scripts import fake_stripe
from tests.api.payments_world import (
    billed_client,
    card,
    connect,
    deliver,
    dynamodb_calls,
    install_fake_stripe,
    issue,
    paid,
    pay,
    payments_of,
    secret_key,
    stored_invoice,
    stored_payment,
    succeeded_event,
    webhook_secret,
)
from tests.conftest import Practice, add_client, audit_trail, deliver_outbox


@pytest.fixture
def stripe(settings: Settings) -> Iterator[str]:
    from chalicelib.adapters.payments import use_payments

    url = install_fake_stripe()
    yield url
    use_payments(None)


@pytest.fixture
def connected(practice: Practice, stripe: str) -> Practice:
    connect(practice)
    return practice


def intents_for(invoice_id: str) -> list[Any]:
    from chalicelib.adapters.payments import PracticeKeys, StripeGateway

    gateway = StripeGateway(PracticeKeys("any", 0, "sk_test_reader", "whsec_x"), fake_stripe.FakeStripe.shared().url)
    return [i for i in gateway.intents_since(0) if i.metadata.get("invoice") == invoice_id]


# --------------------------------------------------------------------------------------------------- invoices


def test_staff_issue_invoices_with_the_practices_next_numbers(connected: Practice) -> None:
    # Given a client
    client_id = add_client(connected.admin, "Jordan Lee")["id"]

    # When a draft is created, then two invoices are issued
    draft = connected.admin.post(f"/api/clients/{client_id}/invoices", {"lines": [{"description": "Session", "amount_cents": 12000}]})
    first = issue(connected.admin, client_id, (15000, 2500))
    second = issue(connected.admin, client_id)

    # Then the draft has no number, and the issued ones are 1 and 2 with integer-cent totals
    assert draft.status == 201 and draft.json["status"] == "draft" and draft.json["number"] is None
    assert (first["number"], first["status"], first["total_cents"], first["balance_cents"]) == (1, "open", 17500, 17500)
    assert second["number"] == 2
    again = connected.admin.post(f"/api/clients/{client_id}/invoices/{first['id']}/issue")
    assert (again.status, again.json["detail"]) == (409, "This invoice was already issued.")
    assert stored_invoice(connected, client_id, first["id"]).number == 1
    assert [e.action for e in audit_trail(connected.org_id)].count("invoices.issue") == 2


def test_concurrent_issuing_leaves_no_gaps_and_no_duplicates(connected: Practice) -> None:
    # Given eight drafts
    client_id = add_client(connected.admin, "Jordan Lee")["id"]
    drafts = [
        connected.admin.post(f"/api/clients/{client_id}/invoices", {"lines": [{"description": "Session", "amount_cents": 100}]}).json["id"]
        for _ in range(8)
    ]
    tabs = [connected.new_browser() for _ in drafts]
    for tab in tabs:
        tab.cookie, tab.csrf = connected.admin.cookie, connected.admin.csrf
    answers: list[Any] = [None] * len(drafts)

    # When they are issued at the same moment
    def run(i: int) -> None:
        answers[i] = tabs[i].post(f"/api/clients/{client_id}/invoices/{drafts[i]}/issue")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then the issued ones hold consecutive numbers from 1, each once
    numbers = sorted(a.json["number"] for a in answers if a.status == 200)
    assert numbers == list(range(1, len(numbers) + 1))
    assert {a.status for a in answers} <= {200, 409}
    stored = sorted(int(stored_invoice(connected, client_id, d).number) for d in drafts if stored_invoice(connected, client_id, d).number)
    assert stored == numbers


@pytest.mark.parametrize("amount", [0, -500, 12.5, "1500", 10**10])
def test_an_invoice_line_must_be_integer_cents_above_zero(connected: Practice, amount: Any) -> None:
    # Given a client
    client_id = add_client(connected.admin, "Jordan Lee")["id"]

    # When a line has a bad amount
    answer = connected.admin.post(f"/api/clients/{client_id}/invoices", {"lines": [{"description": "Session", "amount_cents": amount}]})

    # Then it is refused, naming the field, and nothing is stored
    assert answer.status == 422, answer.json
    assert "amount_cents" in str(answer.json.get("errors")) or "lines" in str(answer.json.get("errors"))
    assert connected.admin.get(f"/api/clients/{client_id}/invoices").json["items"] == []


def test_an_invoice_with_nothing_paid_can_be_voided_once(connected: Practice) -> None:
    client_id = add_client(connected.admin, "Jordan Lee")["id"]
    invoice = issue(connected.admin, client_id)

    voided = connected.admin.post(f"/api/clients/{client_id}/invoices/{invoice['id']}/void")
    again = connected.admin.post(f"/api/clients/{client_id}/invoices/{invoice['id']}/void")

    assert voided.status == 200 and voided.json["status"] == "void" and voided.json["balance_cents"] == 0
    assert again.status == 409
    assert stored_invoice(connected, client_id, invoice["id"]).status == "void"


def test_the_client_sees_issued_invoices_but_not_drafts(connected: Practice) -> None:
    # Given an issued invoice and a draft
    billed = billed_client(connected)
    connected.admin.post(f"/api/clients/{billed.client_id}/invoices", {"lines": [{"description": "Draft", "amount_cents": 100}]})

    # When the client lists their invoices
    listed = billed.client.get("/api/portal/invoices")

    # Then only the issued one is there, with its balance, and the draft cannot be opened either
    assert listed.status == 200
    assert [(i["id"], i["balance_cents"]) for i in listed.json["items"]] == [(billed.invoice_id, 15000)]
    drafts = [i["id"] for i in connected.admin.get(f"/api/clients/{billed.client_id}/invoices").json["items"] if i["status"] == "draft"]
    assert billed.client.get(f"/api/portal/invoices/{drafts[0]}").status == 404
    # And the read was audited, with the client as its subject
    assert any(e.action == "invoices.list" and e.subject_client_id == billed.client_id for e in audit_trail(connected.org_id))


def test_payments_switched_off_refuses_staff_and_clients(connected: Practice) -> None:
    # Given the practice switched payments off
    billed = billed_client(connected)
    version = connected.admin.get("/api/organization/settings").json["version"]
    assert connected.admin.patch("/api/organization/settings", {"version": version, "features": {"payments": False}}).status == 200

    # Then staff and the client are refused
    staff = connected.admin.get(f"/api/clients/{billed.client_id}/invoices")
    client = billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/card-setup")
    assert (staff.status, staff.problem_type) == (403, "/problems/feature-disabled")
    assert (client.status, client.problem_type) == (403, "/problems/feature-disabled")


# ----------------------------------------------------------------------------------------------- connection


def test_the_practices_keys_are_encrypted_and_never_returned(connected: Practice) -> None:
    from chalicelib.adapters import vault
    from chalicelib.errors import DependencyFailed
    from chalicelib.tables import keys
    from chalicelib.tables.payments import PaymentsConnection

    # When the administrator reads the connection
    shown = connected.admin.get("/api/payments/connection")

    # Then no key is in the answer, only a hint
    assert shown.status == 200 and shown.json["connected"] is True
    assert secret_key(connected) not in shown.body.decode() and webhook_secret(connected) not in shown.body.decode()
    assert shown.json["key_hint"] == secret_key(connected)[-4:]
    assert shown.json["webhook_url"].endswith("/api/webhooks/stripe")
    # And the stored item holds only ciphertext, which does not decrypt as another practice's
    item = PaymentsConnection.get(keys.org_pk(connected.org_id), keys.PAYMENTS_CONNECTION_SK)
    assert secret_key(connected).encode() not in bytes(item.secrets)
    with pytest.raises(DependencyFailed):
        vault.decrypt("org_someone_else", bytes(item.secrets))


def test_keys_must_look_like_stripe_keys(practice: Practice, stripe: str) -> None:
    answer = practice.admin.put(
        "/api/payments/connection", {"secret_key": "hunter2", "publishable_key": "pk_test_x", "webhook_secret": "x"}
    )
    assert answer.status == 422
    assert {e["field"] for e in answer.json["errors"]} == {"secret_key", "webhook_secret"}
    assert practice.admin.get("/api/payments/connection").json["connected"] is False


def test_a_practice_without_stripe_cannot_take_card_payments(practice: Practice, stripe: str) -> None:
    billed = billed_client(practice)
    answer = billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/card-setup")
    assert (answer.status, answer.problem_type) == (409, "/problems/payments-not-set-up")


# --------------------------------------------------------------------------------------------------- paying


def test_a_card_payment_is_pending_until_stripes_event_marks_the_invoice_paid(connected: Practice) -> None:
    # Given an open invoice of 150.00
    _therapist, therapist_id = connected.add_staff("Theo Therapist", "theo@harbor.test")
    billed = billed_client(connected, therapist_ids=[therapist_id])

    # When the client pays it by card
    answer = pay(billed)

    # Then Stripe took the payment, but the invoice is only pending: not payable again, not yet paid
    assert answer.status == 201, answer.json
    assert answer.json["payment"]["status"] == "confirming" and answer.json["payment"]["card_last4"] == "4242"
    pending = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}").json
    assert (pending["status"], pending["pending_cents"], pending["balance_cents"]) == ("open", 15000, 0)

    # When Stripe's signed event arrives
    delivered = deliver(connected, *succeeded_event(connected, billed, answer.json["payment"]["id"]))

    # Then the invoice is paid, and the payment recorded as succeeded
    assert delivered.status == 200 and delivered.json["outcome"] == "applied"
    receipt = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}").json
    assert (receipt["status"], receipt["paid_cents"], receipt["pending_cents"], receipt["balance_cents"]) == ("paid", 15000, 0, 0)
    assert [p["status"] for p in receipt["payments"]] == ["succeeded"]
    assert stored_payment(connected, billed, answer.json["payment"]["id"]).event_id == "evt_" + answer.json["payment"]["id"]


def test_the_administrator_the_therapist_and_the_client_are_mailed_without_phi(connected: Practice) -> None:
    # Given a paid invoice of a client assigned to a therapist
    _therapist, therapist_id = connected.add_staff("Theo Therapist", "theo@harbor.test")
    billed = billed_client(connected, therapist_ids=[therapist_id])
    paid(billed)

    # When the outbox delivers
    deliver_outbox()

    # Then the administrator and the therapist hear of the payment, and the client gets a receipt link
    staff_mail = connected.mailbox.to(connected.admin_email)[-1]
    therapist_mail = connected.mailbox.to("theo@harbor.test")[-1]
    receipt = connected.mailbox.to("jordan@example.test")[-1]
    assert staff_mail["subject"] == therapist_mail["subject"] == f"A client made a payment at {connected_name(connected)}"
    assert "receipt" in receipt["subject"].lower() and f"next=invoices/{billed.invoice_id}" in receipt["body"]
    # And none of them names the client, the amount or the service
    for mail in (staff_mail, therapist_mail, receipt):
        text = f"{mail['subject']} {mail['body']}"
        assert "Jordan" not in text and "150" not in text and "Session" not in text


def test_payment_notices_follow_who_is_an_administrator_now_without_a_query(connected: Practice) -> None:
    # Given a therapist promoted to administrator, and a second administrator since deactivated
    _promoted, promoted_id = connected.add_staff("Pat Promoted", "pat@harbor.test")
    version = connected.admin.get(f"/api/staff/{promoted_id}").json["version"]
    assert connected.admin.patch(f"/api/staff/{promoted_id}", {"version": version, "role": "administrator"}).status == 200
    _gone, gone_id = connected.add_staff("Gil Gone", "gil@harbor.test", role="administrator")
    assert connected.admin.post(f"/api/staff/{gone_id}/deactivate").status == 200
    billed = billed_client(connected)
    answer = pay(billed)

    # When Stripe's event arrives
    with dynamodb_calls() as calls:
        assert deliver(connected, *succeeded_event(connected, billed, answer.json["payment"]["id"])).json["outcome"] == "applied"
    deliver_outbox()

    # Then the administrators now (the first and the promoted one) hear of it, and the deactivated one does not
    assert [m["subject"] for m in connected.mailbox.to("pat@harbor.test")][-1].startswith("A client made a payment")
    assert connected.mailbox.to(connected.admin_email)[-1]["subject"].startswith("A client made a payment")
    assert not any("payment" in m["subject"] for m in connected.mailbox.to("gil@harbor.test"))
    # And they come with the practice's record, read with the payment: no Query of the staff (which pages in a large
    # practice)
    assert "Query" not in calls and len(calls) <= 3, calls


def test_before_the_backfill_a_partial_set_of_administrators_is_not_trusted(connected: Practice) -> None:
    # Given a practice from before administrators were recorded, where a therapist was promoted since (the set holds
    # only the new one; the count says two)
    from chalicelib.tables import keys
    from chalicelib.tables.organizations import OrganizationCounters

    pk = keys.org_pk(connected.org_id)
    OrganizationCounters(pk, keys.ORGANIZATION_SK).update(actions=[OrganizationCounters.administrator_ids.remove()])
    _promoted, promoted_id = connected.add_staff("Pat Promoted", "pat@harbor.test")
    version = connected.admin.get(f"/api/staff/{promoted_id}").json["version"]
    assert connected.admin.patch(f"/api/staff/{promoted_id}", {"version": version, "role": "administrator"}).status == 200
    billed = billed_client(connected)
    answer = pay(billed)

    # When Stripe's event arrives
    assert deliver(connected, *succeeded_event(connected, billed, answer.json["payment"]["id"])).json["outcome"] == "applied"
    deliver_outbox()

    # Then both administrators hear of it (the staff were asked, as before the set existed)
    for email in (connected.admin_email, "pat@harbor.test"):
        assert connected.mailbox.to(email)[-1]["subject"].startswith("A client made a payment"), email


def connected_name(practice: Practice) -> str:
    return str(practice.admin.get("/api/organization/settings").json["name"])


def test_staff_see_the_payment_in_the_app(connected: Practice) -> None:
    # Given a payment of a client assigned to one therapist and not another
    assigned, assigned_id = connected.add_staff("Theo Therapist", "theo@harbor.test")
    other, _ = connected.add_staff("Ola Other", "ola@harbor.test")
    billed = billed_client(connected, therapist_ids=[assigned_id])
    payment = paid(billed)

    # Then the administrator and the assigned therapist see it among recent payments; the other therapist does not
    for staff, expected in ((connected.admin, [payment["id"]]), (assigned, [payment["id"]]), (other, [])):
        listed = staff.get("/api/payments/recent")
        assert listed.status == 200, listed.json
        assert [p["id"] for p in listed.json["items"]] == expected
    # And the same holds for open invoices
    still_open = issue(connected.admin, billed.client_id, (2000,))
    for staff, expected_open in ((connected.admin, [still_open["id"]]), (assigned, [still_open["id"]]), (other, [])):
        listed = staff.get("/api/payments/open-invoices").json
        assert [i["id"] for i in listed["items"]] == expected_open
        # (each named: the list says whose invoice it is, for the clients the caller may see)
        assert listed["client_names"] == ({billed.client_id: "Jordan Lee"} if expected_open else {})


def test_a_double_submit_charges_once(connected: Practice) -> None:
    # Given the card step done once
    billed = billed_client(connected)
    method = card(billed.client, billed.invoice_id)
    answers: list[Any] = [None, None]

    # When the pay button is pressed twice at once
    def submit(i: int) -> None:
        answers[i] = pay(billed, method=method)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then one payment is made and the other answer says so; Stripe was asked for one PaymentIntent
    assert sorted(a.status for a in answers) == [201, 409], [a.json for a in answers]
    conflict = next(a for a in answers if a.status == 409)
    assert "already" in conflict.json["detail"] or "in progress" in conflict.json["detail"]
    assert len(payments_of(connected, billed.client_id)) == 1
    assert len(intents_for(billed.invoice_id)) == 1

    # And a third press afterwards changes nothing either
    assert pay(billed, method=method).status == 409
    assert len(intents_for(billed.invoice_id)) == 1


def test_twenty_duplicate_deliveries_of_stripes_event_give_one_payment(connected: Practice) -> None:
    # Given a payment Stripe took
    billed = billed_client(connected)
    payment_id = pay(billed).json["payment"]["id"]
    headers, body = succeeded_event(connected, billed, payment_id)
    answers: list[Any] = [None] * 20

    # When its event is delivered twenty times, at once
    def send(i: int) -> None:
        answers[i] = deliver(connected, headers, body)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then every delivery is acknowledged (so Stripe stops; one that met a concurrent write is retried), and it
    # counted once
    assert all(a.status in {200, 409} for a in answers), [a.json for a in answers]
    applied = [a for a in answers if a.status == 200 and a.json.get("outcome") == "applied"]
    assert len(applied) == 1
    invoice = stored_invoice(connected, billed.client_id, billed.invoice_id)
    assert (invoice.status, int(invoice.paid_cents), int(invoice.pending_cents)) == ("paid", 15000, 0)
    assert [e.action for e in audit_trail(connected.org_id)].count("payments.succeeded") == 1
    # And a late repeat is still a duplicate
    late = deliver(connected, headers, body)
    assert late.status == 200 and late.json["duplicate"] is True


@pytest.mark.parametrize("case", ["tampered", "stale", "unsigned", "wrong secret"])
def test_a_bad_signature_is_refused_and_changes_nothing(connected: Practice, case: str) -> None:
    # Given a payment Stripe took
    billed = billed_client(connected)
    payment_id = pay(billed).json["payment"]["id"]
    at = int(time.time()) - 3600 if case == "stale" else None
    headers, body = succeeded_event(
        connected, billed, payment_id, at=at, secret="whsec_not_the_practices" if case == "wrong secret" else None
    )
    if case == "tampered":
        body = body.replace(b'"amount": 15000', b'"amount": 15001')
    if case == "unsigned":
        headers = {"content-type": "application/json"}

    # When it is delivered
    answer = deliver(connected, headers, body)

    # Then it is refused, and the invoice is still only pending
    assert (answer.status, answer.problem_type) == (400, "/problems/invalid-signature")
    assert stored_invoice(connected, billed.client_id, billed.invoice_id).status == "open"
    assert stored_payment(connected, billed, payment_id).status == "confirming"


def test_an_event_for_another_practices_invoice_changes_nothing(connected: Practice, other_practice: Practice) -> None:
    # Given a payment of each practice
    connect(other_practice)
    mine = billed_client(connected)
    theirs = billed_client(other_practice, email="casey@example.test")
    their_payment = pay(theirs).json["payment"]["id"]
    my_payment = pay(mine).json["payment"]["id"]

    # When an event signed with this practice's secret names the other practice's invoice
    _, their_body = succeeded_event(other_practice, theirs, their_payment)
    forged = their_body.replace(other_practice.org_id.encode(), connected.org_id.encode())
    as_mine = deliver(connected, *_resign(webhook_secret(connected), forged))
    # And one signed with this practice's secret claims to be the other practice's
    claims_theirs = deliver(connected, *_resign(webhook_secret(connected), their_body))

    # Then the first is ignored and the second refused; nothing changed anywhere
    assert as_mine.status == 200 and as_mine.json["outcome"].startswith("ignored"), as_mine.json
    assert (claims_theirs.status, claims_theirs.problem_type) == (400, "/problems/invalid-signature")
    assert stored_invoice(other_practice, theirs.client_id, theirs.invoice_id).status == "open"
    assert stored_payment(other_practice, theirs, their_payment).status == "confirming"
    assert stored_payment(connected, mine, my_payment).status == "confirming"


def _resign(secret: str, body: bytes) -> tuple[dict[str, str], bytes]:
    import hashlib
    import hmac

    at = int(time.time())
    signature = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {"stripe-signature": f"t={at},v1={signature}", "content-type": "application/json"}, body


@pytest.mark.parametrize("case", ["unknown type", "unknown invoice", "no practice"])
def test_events_that_are_not_ours_are_acknowledged_and_change_nothing(connected: Practice, case: str) -> None:
    # Given a pending payment
    billed = billed_client(connected)
    payment_id = pay(billed).json["payment"]["id"]
    data = fake_stripe.intent(
        fake_stripe.FakeStripe.shared().url, stored_payment(connected, billed, payment_id).intent_id, secret_key(connected)
    )
    kind = "payment_intent.succeeded"
    if case == "unknown type":
        kind = "customer.created"
    elif case == "unknown invoice":
        data["metadata"]["invoice"] = "inv_does_not_exist"
    else:
        data["metadata"] = {}

    # When Stripe sends it
    answer = deliver(connected, *fake_stripe.signed_event(webhook_secret(connected), kind, data, event_id=f"evt_{case.replace(' ', '_')}"))

    # Then it is acknowledged with what became of it, and nothing changed
    assert answer.status == 200, answer.json
    assert answer.json["outcome"].startswith("ignored")
    assert stored_payment(connected, billed, payment_id).status == "confirming"
    assert stored_invoice(connected, billed.client_id, billed.invoice_id).status == "open"


def test_a_storage_failure_answers_5xx_so_stripe_retries(connected: Practice, monkeypatch: pytest.MonkeyPatch) -> None:
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    # Given a payment Stripe took, and the database failing its next write
    billed = billed_client(connected)
    payment_id = pay(billed).json["payment"]["id"]
    event = succeeded_event(connected, billed, payment_id)

    def fail(self: Any) -> Any:
        raise TransactWriteError("The service is unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(TransactWrite, "_commit", fail)
        # When the event arrives
        failed = deliver(connected, *event)

    # Then Stripe is told to retry, and nothing was recorded — not even the event
    assert failed.status == 503, failed.json
    assert stored_invoice(connected, billed.client_id, billed.invoice_id).status == "open"
    # And the retry applies it
    assert deliver(connected, *event).json["outcome"] == "applied"


@pytest.mark.parametrize(("amount", "status"), [(0, 422), (-100, 422), (15001, 422), (5000, 422), (150.0, 422), ("15000", 422)])
def test_bad_amounts_are_refused_before_anything_is_charged(connected: Practice, amount: Any, status: int) -> None:
    # Given an open invoice of 150.00 in a practice that takes the full balance only
    billed = billed_client(connected)

    # When the client pays a bad amount
    answer = pay(billed, amount=amount)

    # Then it is refused with the field named, no attempt was recorded and Stripe was not asked
    assert answer.status == status, answer.json
    assert answer.json["errors"][0]["field"] == "amount_cents"
    assert payments_of(connected, billed.client_id) == []
    assert intents_for(billed.invoice_id) == []


def test_paying_a_void_or_paid_invoice_is_refused(connected: Practice) -> None:
    # Given a void invoice and a paid one
    billed = billed_client(connected)
    void = issue(connected.admin, billed.client_id)
    assert connected.admin.post(f"/api/clients/{billed.client_id}/invoices/{void['id']}/void").status == 200
    paid(billed)

    # When the client tries to pay them
    on_void = billed.client.post(f"/api/portal/invoices/{void['id']}/payments", {"amount_cents": 15000, "payment_method": "pm_abcdefgh"})
    on_paid = billed.client.post(
        f"/api/portal/invoices/{billed.invoice_id}/payments", {"amount_cents": 15000, "payment_method": "pm_abcdefgh"}
    )

    # Then both say why, and nothing was charged
    assert (on_void.status, on_void.json["detail"]) == (409, "This invoice was voided: there is nothing to pay.")
    assert (on_paid.status, on_paid.json["detail"]) == (409, "This invoice is already paid.")
    assert len(intents_for(void["id"])) == 0 and len(intents_for(billed.invoice_id)) == 1


def test_a_declined_card_is_402_charges_nothing_and_frees_the_invoice(connected: Practice) -> None:
    # Given an open invoice
    billed = billed_client(connected)

    # When the client's card is declined
    declined = pay(billed, method=card(billed.client, billed.invoice_id, fake_stripe.DECLINED_CARD))

    # Then they are told, and can pay with another card
    assert (declined.status, declined.problem_type) == (402, "/problems/payment-declined"), declined.json
    assert [p.status for p in payments_of(connected, billed.client_id)] == ["failed"]
    assert pay(billed).status == 201


def test_partial_payments_only_where_the_practice_allows_them(practice: Practice, stripe: str) -> None:
    # Given a practice that allows partial payments
    connect(practice, allow_partial=True)
    billed = billed_client(practice)

    # When the client pays 50.00, then the rest
    first = pay(billed, amount=5000)
    deliver(practice, *succeeded_event(practice, billed, first.json["payment"]["id"]))
    after_first = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}").json
    billed.invoice = after_first
    second = pay(billed)
    deliver(practice, *succeeded_event(practice, billed, second.json["payment"]["id"]))

    # Then the invoice stayed open with 100.00 due, and is paid after the second
    assert (after_first["status"], after_first["balance_cents"]) == ("open", 10000)
    final = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}").json
    assert (final["status"], final["paid_cents"], len(final["payments"])) == ("paid", 15000, 2)


def test_a_saved_card_pays_a_later_invoice(connected: Practice) -> None:
    # Given a client who saved their card while paying
    billed = billed_client(connected)
    assert pay(billed, save_card=True).status == 201
    later = issue(connected.admin, billed.client_id, (9000,))

    # When they pay the next invoice with it
    setup = billed.client.post(f"/api/portal/invoices/{later['id']}/card-setup").json
    answer = billed.client.post(f"/api/portal/invoices/{later['id']}/payments", {"amount_cents": 9000, "use_saved_card": True})

    # Then the saved card was offered and used
    assert setup["saved_card"]["last4"] == "4242"
    assert answer.status == 201, answer.json
    assert answer.json["payment"]["card_last4"] == "4242"
    # And once forgotten, it is not offered
    assert billed.client.delete("/api/portal/saved-card").status == 204
    third = issue(connected.admin, billed.client_id, (5000,))
    assert billed.client.post(f"/api/portal/invoices/{third['id']}/card-setup").json["saved_card"] is None


def test_refunds_by_an_administrator_in_part_then_in_full(connected: Practice) -> None:
    # Given a paid invoice
    billed = billed_client(connected)
    payment = paid(billed)
    path = f"/api/clients/{billed.client_id}/invoices/{billed.invoice_id}/refunds"

    # When the administrator refunds 40.00, then too much, then the rest
    part = connected.admin.post(path, {"payment_id": payment["id"], "amount_cents": 4000})
    too_much = connected.admin.post(path, {"payment_id": payment["id"], "amount_cents": 11001})
    rest = connected.admin.post(path, {"payment_id": payment["id"], "amount_cents": 11000})

    # Then the refunds are recorded and the invoice ends refunded
    assert part.status == 201 and part.json["status"] == "succeeded", part.json
    assert too_much.status == 422
    assert rest.status == 201
    invoice = connected.admin.get(f"/api/clients/{billed.client_id}/invoices/{billed.invoice_id}").json
    assert (invoice["status"], invoice["refunded_cents"], len(invoice["refunds"])) == ("refunded", 15000, 2)


def test_an_invoice_with_a_payment_cannot_be_voided(connected: Practice) -> None:
    billed = billed_client(connected)
    paid(billed)
    answer = connected.admin.post(f"/api/clients/{billed.client_id}/invoices/{billed.invoice_id}/void")
    assert answer.status == 409
    assert stored_invoice(connected, billed.client_id, billed.invoice_id).status == "paid"


def test_the_receipt_downloads_as_a_pdf(connected: Practice) -> None:
    import io
    import urllib.request

    from pypdf import PdfReader

    # Given a paid invoice
    billed = billed_client(connected)
    paid(billed)

    # When the client downloads it
    link = billed.client.get(f"/api/portal/invoices/{billed.invoice_id}/pdf")

    # Then it is the receipt, with the payment
    assert link.status == 200, link.json
    assert link.json["filename"] == "Receipt 1.pdf"
    with urllib.request.urlopen(link.json["url"]) as answer:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.read())).pages)
    assert "Receipt 1" in text and "$150.00" in text and "ending 4242" in text
    assert [e.action for e in audit_trail(connected.org_id)].count("invoices.download") == 1


# --------------------------------------------------------------------------------------------------- budgets


def test_paying_listing_and_receiving_an_event_stay_within_four_calls(connected: Practice) -> None:
    billed = billed_client(connected)
    method = card(billed.client, billed.invoice_id)
    body = {"amount_cents": 15000, "payment_method": method}

    with dynamodb_calls() as paying_calls:
        answer = billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/payments", body)
    event = succeeded_event(connected, billed, answer.json["payment"]["id"])
    with dynamodb_calls() as event_calls:
        assert deliver(connected, *event).json["outcome"] == "applied"
    with dynamodb_calls() as portal_list:
        assert billed.client.get("/api/portal/invoices").status == 200
    with dynamodb_calls() as staff_list:
        assert connected.admin.get(f"/api/clients/{billed.client_id}/invoices").status == 200

    assert len(paying_calls) <= 4, paying_calls
    assert len(event_calls) <= 4, event_calls
    assert len(portal_list) <= 4, portal_list
    assert len(staff_list) <= 4, staff_list
    assert "Scan" not in paying_calls + event_calls + portal_list + staff_list


def test_stripe_is_not_loaded_by_listing_invoices(connected: Practice) -> None:
    import subprocess
    import sys

    # Importing the invoice handlers (what listing loads) does not import stripe
    code = "import chalicelib.handlers.invoices, chalicelib.handlers.portal_invoices, sys; print('stripe' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_an_index_works_whichever_model_of_its_table_was_used_first(settings: Settings) -> None:
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import ClientRecord, Login
    from chalicelib.tables.base import forget_connections, get_or_none
    from chalicelib.tables.payments import PaymentItem, RefundItem
    from chalicelib.tables.registry import bind_tables

    # Given a fresh connection on which models without indexes are used first
    bind_tables(settings)
    forget_connections()
    get_or_none(RefundItem, keys.org_pk("org_x"), "INV#c#i#REF#r")
    get_or_none(ClientRecord, keys.org_pk("org_x"), keys.client_sk("cli_x"))

    # Then the indexes of the other models of those tables answer
    assert list(PaymentItem.by_paid.query(keys.paid_feed_key("org_x"))) == []
    assert list(Login.by_email.query(keys.email_key("org_x", "a@b.test"))) == []


def test_the_demo_has_jordan_lee_with_one_paid_and_one_open_invoice(settings: Settings) -> None:
    from dataclasses import replace

    from chalicelib.config import use_settings
    from chalicelib.services.organizations import org_id_for_slug
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import ClientRecord
    from chalicelib.tables.payments import InvoiceItem
    from scripts.seed import DEMO_SLUG, seed_demo

    # Given the demo seeded against the embedded fake Stripe (as `make run` does)
    install_fake_stripe()
    use_settings(replace(settings, stripe_api_base=fake_stripe.FakeStripe.shared().url))
    try:
        seed_demo()
        org_id = org_id_for_slug(DEMO_SLUG).org_id
        jordan = next(c for c in ClientRecord.query(keys.org_pk(org_id), ClientRecord.sk.startswith("CLIENT#")) if c.name == "Jordan Lee")
        invoices = [
            item
            for item in InvoiceItem.query(keys.org_pk(org_id), InvoiceItem.sk.startswith(keys.client_invoices_prefix(jordan.id)))
            if item.kind == "invoice"
        ]
    finally:
        use_settings(settings)

    # Then Jordan has one paid and one open invoice, numbered 1 and 2
    assert sorted((int(i.number), i.status, int(i.paid_cents)) for i in invoices) == [(1, "paid", 15000), (2, "open", 0)]


def test_reconciliation_reports_a_payment_stripe_took_that_the_ledger_has_not_confirmed(connected: Practice) -> None:
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.services.payments.reconciliation import reconcile

    # Given one payment confirmed by Stripe's event, and one whose event never arrived
    billed = billed_client(connected)
    paid(billed)
    later = issue(connected.admin, billed.client_id, (4000,))
    billed.invoice = later
    unconfirmed = pay(billed).json["payment"]["id"]

    # When the ledger is compared with Stripe
    differences = reconcile(connected.org_id, clock.now() - timedelta(days=1))

    # Then only the unconfirmed one is reported
    assert [(d.kind, d.payment_id) for d in differences] == [("missing_in_ledger", unconfirmed)]


def test_a_verified_event_that_does_not_match_the_recorded_payment_changes_nothing(connected: Practice) -> None:
    # Given a pending payment of 150.00
    billed = billed_client(connected)
    payment_id = pay(billed).json["payment"]["id"]
    data = fake_stripe.intent(
        fake_stripe.FakeStripe.shared().url, stored_payment(connected, billed, payment_id).intent_id, secret_key(connected)
    )

    # When a correctly signed event claims another amount for it
    data["amount"] = 100
    answer = deliver(
        connected, *fake_stripe.signed_event(webhook_secret(connected), "payment_intent.succeeded", data, event_id="evt_mismatch")
    )

    # Then it is ignored, and the invoice is not paid
    assert answer.status == 200 and answer.json["outcome"] == "ignored: the payment does not match"
    assert stored_invoice(connected, billed.client_id, billed.invoice_id).status == "open"


def test_paying_with_a_saved_card_when_none_is_saved_is_refused(connected: Practice) -> None:
    billed = billed_client(connected)
    answer = billed.client.post(f"/api/portal/invoices/{billed.invoice_id}/payments", {"amount_cents": 15000, "use_saved_card": True})
    assert (answer.status, answer.json["errors"][0]["field"]) == (422, "use_saved_card")
    assert payments_of(connected, billed.client_id) == []
