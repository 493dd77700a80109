"""docs/authorization.md against the code: the table lists every route, agrees with each route's declared Access,
and every route answers each kind of caller — anonymous, client, therapist, administrator, another practice's
administrator — the way the table says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pynamodb.exceptions import DoesNotExist

from chalicelib.handlers.api import ROUTES, Access
from chalicelib.routes import ROUTE_MAP, load_all_handlers
from chalicelib.tables.accounts import InvitationTemplate, org_pk, template_sk
from tests.conftest import (
    PASSWORD,
    Browser,
    Mailbox,
    Practice,
    Response,
    add_client,
    audit_trail,
    client_identity,
    mint_session,
    stored_client,
    stored_organization,
    stored_staff,
)

MATRIX = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"
HEADER = ["Method", "Path", "Anonymous", "Client", "Therapist", "Administrator", "Notes"]
CALLERS = ("anonymous", "client", "therapist", "administrator")
ADMITTED_BY: dict[Access, set[str]] = {
    Access.ANYONE: {"anonymous", "client", "therapist", "administrator"},
    Access.SIGNED_IN: {"client", "therapist", "administrator"},
    Access.CLIENT: {"client"},
    Access.STAFF: {"therapist", "administrator"},
    # The world's therapist is allowed to invite clients; one who is not is refused (tests/api/test_client_invitations.py).
    Access.INVITER: {"therapist", "administrator"},
    Access.ADMINISTRATOR: {"administrator"},
}


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    admits: frozenset[str]
    notes: str


def matrix_rows() -> list[Row]:
    """The rows of the one table in docs/authorization.md whose header is HEADER."""
    lines = MATRIX.read_text(encoding="utf-8").splitlines()
    tables = [i for i, line in enumerate(lines) if cells(line) == HEADER]
    assert len(tables) == 1, "docs/authorization.md must hold exactly one authorization table"
    rows: list[Row] = []
    for line in lines[tables[0] + 2 :]:
        if not line.startswith("|"):
            break
        method, path, *marks, notes = cells(line)
        rows.append(Row(method, path, frozenset(c for c, m in zip(CALLERS, marks, strict=True) if admitted(m)), notes))
    return rows


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []


def admitted(mark: str) -> bool:
    assert mark[:1] in {"✅", "❌"}, f"a matrix cell must start with ✅ or ❌, not {mark!r}"
    return mark.startswith("✅")


def declared_access() -> dict[tuple[str, str], Access]:
    load_all_handlers()
    return {(spec.method, spec.path): spec.access for spec in ROUTES}


# ----------------------------------------------------------------------------------------------- the document


def test_the_matrix_lists_every_route_exactly_once() -> None:
    # Given the route map and the documented matrix
    documented = [(row.method, row.path) for row in matrix_rows()]
    served = {(method, path) for method, path, _ in ROUTE_MAP}

    # Then they name the same routes, each once
    assert len(documented) == len(set(documented)), "a route is listed twice"
    assert sorted(served - set(documented)) == [], "routes missing from docs/authorization.md"
    assert sorted(set(documented) - served) == [], "docs/authorization.md lists routes that do not exist"


def test_each_row_agrees_with_the_routes_declared_access() -> None:
    # Given each route's declared Access
    access = declared_access()

    # Then the ✅ of every row are exactly the callers that Access admits
    for row in matrix_rows():
        assert row.admits == ADMITTED_BY[access[(row.method, row.path)]], f"{row.method} {row.path}"
        assert row.notes, f"{row.method} {row.path} needs a note"


# ------------------------------------------------------------------------------------------------- the walk


@dataclass
class World:
    practice: Practice
    other: Practice
    therapist: Browser
    therapist_id: str
    target_id: str  # an invited therapist of Harbor whom the {staff_id} routes act on
    client_id: str  # a client of Harbor, assigned to the therapist, whom the {client_id} routes act on
    template_id: str  # a saved invitation message of Harbor, for the {template_id} routes
    client: Browser  # a client of Harbor signed in to the portal (another client than client_id)
    form_id: str  # Harbor's own copy of a standard form, for the {form_id} routes
    request_id: str  # a form sent to client_id, for the staff {request_id} routes
    portal_request_id: str  # a form sent to the signed-in client, for the portal {request_id} routes

    def caller(self, name: str) -> Browser:
        return {
            "anonymous": self.practice.new_browser(),
            "client": self.client,
            "therapist": self.therapist,
            "administrator": self.practice.admin,
            "other administrator": self.other.admin,
        }[name]


@pytest.fixture
def world(practice: Practice, other_practice: Practice) -> World:
    therapist, therapist_id = practice.add_staff("Theo Therapist", "theo@harbor.test", can_invite_clients=True)
    target = practice.admin.post("/api/staff", {"name": "Tara Target", "email": "tara@harbor.test", "role": "therapist"})
    assert target.status == 201
    client = add_client(practice.admin, "Jordan Lee", email="jordan@example.test", therapist_ids=[therapist_id])
    template = practice.admin.post("/api/invitation-templates", {"name": "Welcome", "message": "Welcome to the portal."})
    assert template.status == 201
    version = stored_organization(practice.org_id).version
    assert practice.admin.patch("/api/organization/settings", {"version": version, "self_signup": True}).status == 200
    portal_user = add_client(practice.admin, "Casey Client", email="casey@client.test")
    signed_in_client = mint_session(practice.client, client_identity(practice, portal_user["id"]))
    form = practice.admin.post("/api/forms", {"copy_of": "std-privacy-notice"})
    assert form.status == 201, form.json
    sent = practice.admin.post(f"/api/clients/{client['id']}/form-requests", {"form_ids": ["std-privacy-notice"]})
    portal = practice.admin.post(f"/api/clients/{portal_user['id']}/form-requests", {"form_ids": ["std-privacy-notice"]})
    assert sent.status == 201 and portal.status == 201
    return World(
        practice,
        other_practice,
        therapist,
        therapist_id,
        target.json["id"],
        client["id"],
        template.json["id"],
        signed_in_client,
        form.json["id"],
        sent.json["items"][0]["id"],
        portal.json["items"][0]["id"],
    )


def stored_template(org_id: str, template_id: str) -> InvitationTemplate:
    return InvitationTemplate.get(org_pk(org_id), template_sk(template_id), consistent_read=True)


def request_for(world: World, method: str, path: str, caller: str) -> tuple[str, Any]:
    """A concrete URL and a valid-looking body, so that an admitted caller gets past validation."""
    url = (
        path.replace("{slug}", world.practice.slug)
        .replace("{staff_id}", world.target_id)
        .replace("{client_id}", world.client_id)
        .replace("{template_id}", world.template_id)
        .replace("{form_id}", world.form_id)
        .replace("{request_id}", world.portal_request_id if path.startswith("/api/portal/") else world.request_id)
    )
    unique = caller.replace(" ", "-")
    org_id = world.practice.org_id
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/api/organizations"): {
            "name": "New Practice",
            "slug": f"new-{unique}",
            "time_zone": "UTC",
            "admin_name": "New Admin",
            "admin_email": f"admin@{unique}.test",
        },
        ("PATCH", "/api/organization/settings"): lambda: {"version": stored_organization(org_id).version, "contact_line": "Call us"},
        ("POST", "/api/orgs/{slug}/sign-in"): {"email": "theo@harbor.test", "password": PASSWORD},
        ("POST", "/api/orgs/{slug}/password-reset"): {"email": "theo@harbor.test"},
        ("POST", "/api/orgs/{slug}/sign-up"): {"name": "New Person", "email": f"{unique}@signup.test"},
        ("POST", "/api/password-tokens/inspect"): {"token": "t" * 43},
        ("POST", "/api/password-tokens/redeem"): {"token": "t" * 43, "password": "a long enough passphrase"},
        ("POST", "/api/account/password"): {"current_password": "not my password", "new_password": "a long enough passphrase"},
        ("POST", "/api/staff"): {"name": "New Person", "email": f"{unique}@harbor.test", "role": "therapist"},
        ("PATCH", "/api/staff/{staff_id}"): {"version": 0, "name": "Renamed"},
        ("POST", "/api/clients"): {"name": f"New Client {unique}", "email": f"{unique}@client.test"},
        ("POST", "/api/clients/search"): {"q": "jordan"},
        ("PATCH", "/api/clients/{client_id}"): lambda: {"version": _client_version(org_id, world.client_id), "preferred_name": "Jo"},
        ("POST", "/api/clients/{client_id}/invitation"): {"form_ids": [], "message": "Welcome."},
        ("POST", "/api/invitation-templates"): {"name": f"Template {unique}", "message": "Hello."},
        ("POST", "/api/forms"): {"copy_of": "std-informed-consent"},
        ("PUT", "/api/forms/{form_id}"): {
            "head_version": 0,
            "definition": {"title": "T", "fields": [{"id": "a", "type": "short_text", "label": "A"}]},
        },
        ("PUT", "/api/form-order"): {"form_ids": ["std-privacy-notice"]},
        ("POST", "/api/clients/{client_id}/form-requests"): {"form_ids": ["std-privacy-notice"]},
        ("PUT", "/api/portal/form-requests/{request_id}/answers"): {"answers": {"ack_received": True}},
        ("POST", "/api/portal/form-requests/{request_id}/consent"): {"disclosure_version": "esign-2026-11", "agree": True},
        ("POST", "/api/portal/form-requests/{request_id}/signature"): {"full_name": "Casey Client", "attested": True},
        ("PATCH", "/api/invitation-templates/{template_id}"): lambda: {
            "version": _template_version(org_id, world.template_id),
            "name": f"Renamed by {unique}",
        },
    }
    body = bodies.get((method, path))
    return url, body() if callable(body) else body


def _client_version(org_id: str, client_id: str) -> int:
    return int(stored_client(org_id, client_id).version)


def _template_version(org_id: str, template_id: str) -> int:
    try:
        return int(stored_template(org_id, template_id).version)
    except DoesNotExist:
        return 1


def call(world: World, method: str, path: str, caller: str) -> Response:
    url, body = request_for(world, method, path, caller)
    return world.caller(caller).request(method, url, body)


ROUTE_IDS = [f"{method} {path}" for method, path, _ in ROUTE_MAP]


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTE_MAP], ids=ROUTE_IDS)
def test_every_caller_gets_the_answer_the_matrix_promises(world: World, method: str, path: str) -> None:
    # Given what the matrix promises for this route
    [row] = [row for row in matrix_rows() if (row.method, row.path) == (method, path)]
    route = f"{method} {path}"

    for caller in CALLERS:
        # When each kind of caller calls it
        response = call(world, method, path, caller)

        # Then admitted callers get past the guard, and refused ones are refused the documented way
        if caller in row.admits:
            assert response.status not in (401, 403), f"{caller} should be admitted to {route}: {response.json}"
        elif caller == "anonymous":
            assert response.status == 401, f"{route} must require a session"
            assert response.problem_type == "/problems/unauthenticated"
        else:
            assert response.status == 403, f"{caller} must be refused {route}"
            assert response.problem_type == "/problems/forbidden"
            event = audit_trail(world.practice.org_id)[0]
            assert (event.action, event.outcome, event.resource) == ("request.denied", "denied", route), caller


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p, _ in ROUTE_MAP if "{staff_id}" in p], ids=[i for i in ROUTE_IDS if "{staff_id}" in i]
)
def test_another_practices_administrator_cannot_reach_this_practices_staff(world: World, method: str, path: str) -> None:
    # Given Harbor's target staff member as stored
    before = stored_staff(world.practice.org_id, world.target_id)

    # When Cove's administrator calls the route with Harbor's staff id
    response = call(world, method, path, "other administrator")

    # Then it is as if the id did not exist, and Harbor's record is untouched
    assert response.status == 404, response.json
    assert response.problem_type == "/problems/not-found"
    after = stored_staff(world.practice.org_id, world.target_id)
    assert after.attribute_values == before.attribute_values
    assert world.target_id not in (stored_organization(world.other.org_id).seat_holders or set())


# The staff routes that name a client, a saved message or a form of the practice (not the client's own portal routes).
ID_ROUTES = [
    (m, p)
    for m, p, module in ROUTE_MAP
    if module in {"clients", "forms"}
    and not p.startswith("/api/portal/")
    and any(k in p for k in ("{client_id}", "{template_id}", "{form_id}"))
]


@pytest.mark.parametrize(("method", "path"), ID_ROUTES, ids=[f"{m} {p}" for m, p in ID_ROUTES])
def test_another_practices_administrator_cannot_reach_this_practices_clients_or_templates(
    world: World, mailbox: Mailbox, method: str, path: str
) -> None:
    # Given Harbor's client and saved message as stored
    client_before = stored_client(world.practice.org_id, world.client_id).attribute_values
    template_before = stored_template(world.practice.org_id, world.template_id).attribute_values

    # When Cove's administrator calls the route with Harbor's id
    response = call(world, method, path, "other administrator")

    # Then it is as if the id did not exist, and nothing of Harbor's changed or was sent
    assert response.status == 404, response.json
    assert response.problem_type == "/problems/not-found"
    assert stored_client(world.practice.org_id, world.client_id).attribute_values == client_before
    assert stored_template(world.practice.org_id, world.template_id).attribute_values == template_before
    assert mailbox.to("jordan@example.test") == []
    assert "Jordan" not in response.body.decode() and "Welcome" not in response.body.decode()
