"""Matrix examples: the form builder, paperwork sent to clients, filling in and signing, documents."""

from __future__ import annotations

from typing import Any

from tests.api.matrix.world import Call, Example, World

PRIVACY = "std-privacy-notice"
DEFINITION = {"title": "Edited", "fields": [{"id": "a", "type": "short_text", "label": "A"}]}


def _form(world: World, *, retired: bool = False) -> str:
    """The practice's own copy of the privacy notice, made active (a copy starts as a draft) — or retired."""
    created = world.admin().post("/api/forms", {"copy_of": PRIVACY})
    assert created.status == 201, created.json
    form_id = str(created.json["id"])
    assert world.admin().post(f"/api/forms/{form_id}/{'retire' if retired else 'restore'}").status == 200
    return form_id


def _sent(world: World, client_id: str) -> str:
    """A fresh request for the client (each of its own form, so one never waits behind another)."""
    sent = world.admin().post(f"/api/clients/{client_id}/form-requests", {"form_ids": [_form(world)]})
    assert sent.status == 201, sent.json
    return str(sent.json["items"][0]["id"])


def _consented(world: World) -> str:
    request_id = _sent(world, world.client_id)
    client = world.browser("client")
    assert client.get(f"/api/portal/form-requests/{request_id}").status == 200
    assert (
        client.post(f"/api/portal/form-requests/{request_id}/consent", {"disclosure_version": "esign-2026-11", "agree": True}).status == 200
    )
    return request_id


def _signed(world: World) -> str:
    request_id = _consented(world)
    signed = world.browser("client").post(
        f"/api/portal/form-requests/{request_id}/signature",
        {"full_name": "Casey Client", "attested": True, "answers": {"ack_received": True}},
    )
    assert signed.status == 200, signed.json
    return request_id


def _order(world: World, caller: str) -> Call:
    admin = world.browser("other practice's administrator") if caller == "other practice's administrator" else world.admin()
    return Call(body={"form_ids": [form["id"] for form in admin.get("/api/forms").json["items"]]})


def _edit(world: World, caller: str) -> Call:
    form_id = _form(world)
    head_version = world.admin().get(f"/api/forms/{form_id}").json["form"]["head_version"]
    return Call({"form_id": form_id}, {"head_version": head_version, "definition": DEFINITION})


def _client_request(world: World, caller: str) -> dict[str, Any]:
    return {"request_id": _sent(world, world.client_id)}


EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/forms"): lambda w, c: Call(),
    ("POST", "/api/forms"): lambda w, c: Call(body={"copy_of": "std-informed-consent"}),
    ("GET", "/api/forms/{form_id}"): lambda w, c: Call({"form_id": _form(w)}),
    ("PUT", "/api/forms/{form_id}"): _edit,
    ("POST", "/api/forms/{form_id}/retire"): lambda w, c: Call({"form_id": _form(w)}),
    ("POST", "/api/forms/{form_id}/restore"): lambda w, c: Call({"form_id": _form(w, retired=True)}),
    ("PUT", "/api/form-order"): _order,
    ("POST", "/api/clients/{client_id}/form-requests"): lambda w, c: Call({"client_id": w.client_id}, {"form_ids": [_form(w)]}),
    ("GET", "/api/clients/{client_id}/form-requests"): lambda w, c: Call({"client_id": w.client_id}),
    ("POST", "/api/clients/{client_id}/form-requests/{request_id}/reminder"): lambda w, c: Call(
        {"client_id": w.client_id, "request_id": _sent(w, w.client_id)}
    ),
    ("GET", "/api/clients/{client_id}/documents"): lambda w, c: Call({"client_id": w.client_id}),
    ("GET", "/api/clients/{client_id}/documents/{request_id}/download"): lambda w, c: Call(
        {"client_id": w.client_id, "request_id": _signed(w)}
    ),
    ("GET", "/api/portal/form-requests"): lambda w, c: Call(),
    ("GET", "/api/portal/form-requests/{request_id}"): lambda w, c: Call(_client_request(w, c)),
    ("PUT", "/api/portal/form-requests/{request_id}/answers"): lambda w, c: Call(
        _client_request(w, c), {"answers": {"ack_received": True}}
    ),
    ("POST", "/api/portal/form-requests/{request_id}/consent"): lambda w, c: Call(
        _client_request(w, c), {"disclosure_version": "esign-2026-11", "agree": True}
    ),
    ("POST", "/api/portal/form-requests/{request_id}/signature"): lambda w, c: Call(
        {"request_id": _consented(w)}, {"full_name": "Casey Client", "attested": True, "answers": {"ack_received": True}}
    ),
    ("GET", "/api/portal/documents/{request_id}/download"): lambda w, c: Call({"request_id": _signed(w)}),
}
