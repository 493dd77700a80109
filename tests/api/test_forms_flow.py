"""The client's forms flow: the practice's order, contact answers pre-filled from the practice's records, a drawn
signature beside the typed name; and on the staff side, copies of forms start as drafts."""

from __future__ import annotations

import hashlib
import io
import urllib.request

from pypdf import PdfReader

from chalicelib.adapters.storage import get_storage
from chalicelib.tables.intake import FormRequest
from chalicelib.tables.keys import org_pk, request_sk
from tests.conftest import Browser, Practice, add_client, audit_trail, open_portal_account
from tests.images import data_url, png

INTAKE = "std-intake-questionnaire"
CONSENT = "std-informed-consent"
PRIVACY = "std-privacy-notice"


def client_with_portal(practice: Practice, **fields: str) -> tuple[Browser, str]:
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", **fields)["id"]
    return open_portal_account(practice, practice.admin, client_id, "jordan@example.test"), client_id


def send(practice: Practice, client_id: str, *form_ids: str) -> list[str]:
    sent = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": list(form_ids)})
    assert sent.status == 201, sent.json
    return [str(item["id"]) for item in sent.json["items"]]


def consented(person: Browser, request_id: str) -> None:
    version = person.get(f"/api/portal/form-requests/{request_id}").json["disclosure"]["version"]
    assert person.post(f"/api/portal/form-requests/{request_id}/consent", {"disclosure_version": version, "agree": True}).status == 200


def stored_request(practice: Practice, client_id: str, request_id: str) -> FormRequest:
    return FormRequest.get(org_pk(practice.org_id), request_sk(client_id, request_id), consistent_read=True)


# ---------------------------------------------------------------------------------------------------- order


def test_a_clients_forms_follow_the_practices_order_whenever_they_were_sent(practice: Practice) -> None:
    # Given a practice that puts the privacy notice first, and a client sent the consent form before the notice
    order = [PRIVACY, CONSENT, INTAKE]
    assert practice.admin.put("/api/form-order", {"form_ids": order}).status == 200
    person, client_id = client_with_portal(practice)
    send(practice, client_id, CONSENT)
    send(practice, client_id, INTAKE, PRIVACY)

    # When the client lists their forms
    listed = person.get("/api/portal/form-requests").json["items"]

    # Then they come in the practice's order
    assert [item["form_id"] for item in listed] == order


# ------------------------------------------------------------------------------------------------- pre-filling


def test_contact_answers_are_pre_filled_from_the_clients_record_for_them_to_confirm(practice: Practice) -> None:
    # Given a client whose record has a date of birth and a phone, sent the intake questionnaire
    person, client_id = client_with_portal(practice, date_of_birth="1990-04-12", phone="+1 555 010 0100")
    [request_id] = send(practice, client_id, INTAKE)

    # When they open it
    opened = person.get(f"/api/portal/form-requests/{request_id}").json

    # Then their name, date of birth, email and phone are filled in, and named as pre-filled
    assert {key: opened["answers"][key] for key in ("legal_name", "date_of_birth", "email", "phone")} == {
        "legal_name": "Jordan Lee",
        "date_of_birth": "1990-04-12",
        "email": "jordan@example.test",
        "phone": "+1 555 010 0100",
    }
    assert sorted(opened["prefilled"]) == ["date_of_birth", "email", "legal_name", "phone"]
    # And nothing is stored until the client saves: pre-filling is a suggestion
    assert stored_request(practice, client_id, request_id).answers is None


def test_once_the_client_saved_answers_their_answers_stand(practice: Practice) -> None:
    # Given a client who cleared the pre-filled phone and saved
    person, client_id = client_with_portal(practice, phone="+1 555 010 0100")
    [request_id] = send(practice, client_id, INTAKE)
    assert person.put(f"/api/portal/form-requests/{request_id}/answers", {"answers": {"legal_name": "Jordan A. Lee"}}).status == 200

    # When they open the form again
    opened = person.get(f"/api/portal/form-requests/{request_id}").json

    # Then it shows what they saved, with nothing pre-filled over it
    assert opened["answers"] == {"legal_name": "Jordan A. Lee"} and opened["prefilled"] == []


def test_a_form_without_contact_questions_pre_fills_nothing(practice: Practice) -> None:
    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)

    opened = person.get(f"/api/portal/form-requests/{request_id}").json

    assert opened["answers"] == {} and opened["prefilled"] == []


def test_a_form_definition_may_pre_fill_only_a_question_that_can_hold_the_value(practice: Practice) -> None:
    definition = {"title": "Check-in", "fields": [{"id": "born", "type": "yes_no", "label": "Born?", "prefill": "date_of_birth"}]}

    refused = practice.admin.post("/api/forms", {"definition": definition})

    assert refused.status == 422 and "cannot be pre-filled" in refused.json["detail"]


# ------------------------------------------------------------------------------------------- drawn signature


def test_a_drawn_signature_is_stored_drawn_on_the_pdf_and_covered_by_the_content_hash(practice: Practice) -> None:
    # Given a client who consented to sign the privacy notice
    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)
    consented(person, request_id)
    drawn = png(480, 160, (20, 20, 20))

    # When they sign with their typed name and a drawn signature
    body = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}, "drawn_signature": data_url(drawn)}
    signed = person.post(f"/api/portal/form-requests/{request_id}/signature", body)

    # Then the PNG is stored beside the document, its hash recorded, and the PDF shows it with its hash
    assert signed.status == 200, signed.json
    stored = stored_request(practice, client_id, request_id)
    digest = hashlib.sha256(drawn).hexdigest()
    assert stored.drawn_signature_sha256 == digest
    assert stored.drawn_signature_key and get_storage().sha256_of(stored.drawn_signature_key) == digest
    link = practice.admin.get(f"/api/clients/{client_id}/documents/{request_id}/download").json["url"]
    pdf = PdfReader(io.BytesIO(urllib.request.urlopen(link).read()))
    assert sum(len(page.images) for page in pdf.pages) == 1
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "/s/ Jordan Lee" in text and digest in text.replace("\n", "")


def test_a_drawn_signature_that_is_not_a_png_is_refused_and_nothing_is_signed(practice: Practice) -> None:
    # Given a client who consented to sign
    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)
    consented(person, request_id)

    # When the "drawing" they send is not a PNG
    body = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}, "drawn_signature": data_url(b"GIF89a....")}
    refused = person.post(f"/api/portal/form-requests/{request_id}/signature", body)

    # Then it is refused on that field and the form is still open
    assert refused.status == 422 and refused.json["errors"][0]["field"] == "drawn_signature"
    assert stored_request(practice, client_id, request_id).status != "completed"


def test_a_drawn_signature_of_an_odd_size_is_refused(practice: Practice) -> None:
    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)
    consented(person, request_id)

    body = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}, "drawn_signature": data_url(png(5000, 10))}
    refused = person.post(f"/api/portal/form-requests/{request_id}/signature", body)

    assert refused.status == 422 and refused.json["errors"][0]["field"] == "drawn_signature"


def test_signing_with_the_typed_name_alone_still_works(practice: Practice) -> None:
    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)
    consented(person, request_id)

    signed = person.post(
        f"/api/portal/form-requests/{request_id}/signature",
        {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}},
    )

    assert signed.status == 200 and stored_request(practice, client_id, request_id).drawn_signature_key is None


# ------------------------------------------------------------------------------------------------ draft copies


def test_a_copied_form_starts_as_a_draft_that_cannot_be_sent_until_made_active(practice: Practice) -> None:
    # Given a copy of the privacy notice
    copy = practice.admin.post("/api/forms", {"copy_of": PRIVACY})
    assert copy.status == 201 and copy.json["status"] == "draft"
    client_id = add_client(practice.admin, "Jordan Lee", email="jordan@example.test")["id"]

    # When the administrator tries to send it, then makes it active and sends it
    refused = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [copy.json["id"]]})
    activated = practice.admin.post(f"/api/forms/{copy.json['id']}/restore")
    sent = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [copy.json["id"]]})

    # Then the draft was refused, activating it is audited as such, and the active form is sent
    assert refused.status == 422
    assert activated.status == 200 and activated.json["status"] == "active"
    assert any(event.action == "form.activate" and event.resource == f"form/{copy.json['id']}" for event in audit_trail(practice.org_id))
    assert sent.status == 201


def test_a_drawn_signature_that_looks_like_a_png_but_does_not_decode_is_refused(practice: Practice) -> None:
    # Given a PNG whose header and end are right but whose pixel data is not (the certificate would name a signature
    # the PDF cannot show)
    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)
    consented(person, request_id)
    good = png(200, 60)
    start = good.index(b"IDAT") + 4
    broken = good[:start] + bytes(b ^ 0x5A for b in good[start : start + 40]) + good[start + 40 :]

    # When it is sent with the signature
    body = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}, "drawn_signature": data_url(broken)}
    refused = person.post(f"/api/portal/form-requests/{request_id}/signature", body)

    # Then it is refused on that field and the form is still open
    assert refused.status == 422 and refused.json["errors"][0]["field"] == "drawn_signature", refused.json
    assert stored_request(practice, client_id, request_id).status != "completed"


def test_a_signed_documents_name_carries_the_day_it_was_signed_in_the_practices_zone(practice: Practice) -> None:
    # Given a client signing at 11:56 pm on 25 November in Chicago (05:56 on the 26th in UTC)
    from datetime import UTC, datetime

    from chalicelib import clock

    person, client_id = client_with_portal(practice)
    [request_id] = send(practice, client_id, PRIVACY)
    consented(person, request_id)
    with clock.set_back_to(datetime(2026, 11, 26, 5, 56, tzinfo=UTC)):
        body = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}}
        assert person.post(f"/api/portal/form-requests/{request_id}/signature", body).status == 200

    # When the document is opened
    link = person.get(f"/api/portal/documents/{request_id}/download")

    # Then its name says the 25th, the day it was in the practice
    assert link.status == 200, link.json
    assert link.json["filename"].endswith("signed 2026-11-25.pdf"), link.json["filename"]
