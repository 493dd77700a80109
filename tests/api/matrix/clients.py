"""Matrix examples: client records, invitations and portal access, saved messages, self sign-up, the client's home."""

from __future__ import annotations

from tests.api.matrix.world import Call, Example, World


def _new_client_body(world: World, caller: str) -> dict[str, object]:
    return {"name": f"New Client {world.unique()}", "email": f"{world.unique()}@client.test"}


def _patch(world: World, caller: str) -> Call:
    client_id = world.new_client()
    return Call({"client_id": client_id}, {"version": world.version_of_client(client_id), "preferred_name": "Jo"})


def _disabled(world: World) -> str:
    client_id = world.invited_client()
    assert world.admin().post(f"/api/clients/{client_id}/portal-access/disable").status == 200
    return client_id


def _template(world: World) -> str:
    created = world.admin().post("/api/invitation-templates", {"name": f"Welcome {world.unique()}", "message": "Hello."})
    assert created.status == 201, created.json
    return str(created.json["id"])


def _patch_template(world: World, caller: str) -> Call:
    template_id = _template(world)
    return Call({"template_id": template_id}, {"version": 1, "name": f"Renamed {world.unique()}"})


EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/clients"): lambda w, c: Call(),
    ("POST", "/api/clients/search"): lambda w, c: Call(body={"q": "client"}),
    ("POST", "/api/clients/email-check"): lambda w, c: Call(body={"email": "casey@client.test"}),
    ("POST", "/api/clients"): lambda w, c: Call(body=_new_client_body(w, c)),
    ("GET", "/api/clients/{client_id}"): lambda w, c: Call({"client_id": w.client_id}),
    ("PATCH", "/api/clients/{client_id}"): _patch,
    ("POST", "/api/clients/{client_id}/invitation"): lambda w, c: Call(
        {"client_id": w.new_client()}, {"form_ids": [], "message": "Welcome."}
    ),
    ("POST", "/api/clients/{client_id}/portal-access/disable"): lambda w, c: Call({"client_id": w.invited_client()}),
    ("POST", "/api/clients/{client_id}/portal-access/enable"): lambda w, c: Call({"client_id": _disabled(w)}),
    ("GET", "/api/invitation-templates"): lambda w, c: Call(),
    ("POST", "/api/invitation-templates"): lambda w, c: Call(body={"name": f"Template {w.unique()}", "message": "Hello."}),
    ("PATCH", "/api/invitation-templates/{template_id}"): _patch_template,
    ("DELETE", "/api/invitation-templates/{template_id}"): lambda w, c: Call({"template_id": _template(w)}),
    ("POST", "/api/orgs/{slug}/sign-up"): lambda w, c: Call(
        {"slug": w.practice.slug}, {"name": "New Person", "email": f"{w.unique()}@signup.test"}
    ),
    ("GET", "/api/portal/home"): lambda w, c: Call(),
}
