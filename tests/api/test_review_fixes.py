"""Regressions for defects found in review: each would fail without its fix."""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest

from chalicelib.auth.principals import Role
from chalicelib.auth.sessions import Identity, new_session
from chalicelib.tables.intake import FormRequest
from tests.api.test_paperwork_journey import PRIVACY, active_client
from tests.conftest import Practice, principal_of_browser, stored_client


def test_disabling_a_client_ends_every_session_even_beyond_one_transaction(practice: Practice) -> None:
    # Given a client with more live sessions than one transaction can delete
    therapist, person, client_id = active_client(practice)
    identity = Identity(
        org_id=practice.org_id, principal_id=client_id, role=Role.CLIENT, epoch=stored_client(practice.org_id, client_id).session_epoch
    )
    extra = [new_session(identity) for _ in range(95)]
    for session in extra:
        session.record.save()

    # When the therapist disables their portal access
    assert therapist.post(f"/api/clients/{client_id}/portal-access/disable").status == 200

    # Then none of those sessions works any more
    for session in (extra[0], extra[-1]):
        browser = practice.new_browser()
        browser.cookie = session.token
        assert browser.get("/api/session").status == 401
    assert person.get("/api/session").status == 401


def test_a_losing_concurrent_signature_leaves_the_signed_document_intact(practice: Practice, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.errors import Conflict
    from chalicelib.services.paperwork import signing

    # Given a consented request, as a second (racing) attempt read it before the first signature landed
    therapist, person, client_id = active_client(practice)
    request_id = therapist.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [PRIVACY]}).json["items"][0]["id"]
    version = person.get(f"/api/portal/form-requests/{request_id}").json["disclosure"]["version"]
    person.post(f"/api/portal/form-requests/{request_id}/consent", {"disclosure_version": version, "agree": True})
    stale = next(r for r in FormRequest.query(f"ORG#{practice.org_id}") if r.id == request_id)
    body = {"full_name": "Jordan Lee", "attested": True, "answers": {"ack_received": True}}
    assert person.post(f"/api/portal/form-requests/{request_id}/signature", body).status == 200

    # When the racing attempt signs too, with a different name
    principal = principal_of_browser(person)
    monkeypatch.setattr(signing, "_request_and_client", lambda *_: (stale, None))
    signature = signing.Signature(full_name="Someone Else", attested=True, answers={"ack_received": True})
    with pytest.raises(Conflict):
        signing.submit(principal, request_id, signature)

    # Then the recorded document is the first one, and it still downloads and verifies
    link = therapist.get(f"/api/clients/{client_id}/documents/{request_id}/download")
    assert link.status == 200, link.json
    assert b"Someone Else" not in urllib.request.urlopen(link.json["url"]).read()


def test_a_multiple_choice_answer_with_non_text_items_is_a_422(practice: Practice) -> None:
    _, person, client_id = active_client(practice)
    definition = {
        "title": "Concerns",
        "fields": [{"id": "concerns", "type": "multiple_choice", "label": "Concerns", "options": ["Sleep", "Grief"]}],
    }
    form_id = practice.admin.post("/api/forms", {"definition": definition}).json["id"]
    request_id = practice.admin.post(f"/api/clients/{client_id}/form-requests", {"form_ids": [form_id]}).json["items"][0]["id"]
    saved = person.put(f"/api/portal/form-requests/{request_id}/answers", {"answers": {"concerns": [{"x": 1}]}})
    assert saved.status == 422, saved.json


def test_malformed_cursors_and_long_ids_are_clear_errors(practice: Practice) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps({"pk": {"S": f"ORG#{practice.org_id}"}, "sk": {"N": "1"}}).encode()).decode()
    assert practice.admin.get(f"/api/staff?cursor={cursor}").status == 400  # cursors are authenticated now (issue 8)
    assert practice.admin.get(f"/api/staff/{'x' * 2000}").status == 404
    assert practice.admin.get("/api/clients/cli_%2F..%2Fsecret").status == 404


def test_signing_in_with_a_capitalised_slug_keeps_settings_editable(practice: Practice) -> None:
    admin = practice.new_browser()
    assert (
        admin.post(
            f"/api/orgs/{practice.slug.upper()}/sign-in", {"email": practice.admin_email, "password": "correct horse battery staple"}
        ).status
        == 200
    )
    settings = admin.get("/api/organization/settings").json
    assert admin.patch("/api/organization/settings", {"version": settings["version"], "name": "Harbor Renamed"}).status == 200
