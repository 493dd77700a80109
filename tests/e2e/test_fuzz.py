"""Schemathesis against /api/openapi.json, over HTTP to the local stack, as each role: generated requests — valid and
invalid — must never get a 5xx, and every answer must match the status codes, content types and schemas the
document declares. Bounded (a few examples per operation and role) to run in CI in a couple of minutes.

The fuzzing happens in a practice of its own, so it cannot disturb the demo practice the journeys use.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from tests.conftest import set_staff_second_factor
from tests.e2e.http import Tab, token_for

PASSWORD = "fuzzing is a long passphrase"
ROLES = ("anonymous", "client", "therapist", "administrator")
EXAMPLES = 4
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)


def document(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base_url}/api/openapi.json") as response:
        loaded: dict[str, Any] = json.load(response)
        return loaded


@pytest.fixture(scope="module")
def people(base_url: str) -> dict[str, Tab]:
    """A practice of its own with an administrator, a therapist and a client with a portal account."""
    slug = f"fuzz-{uuid.uuid4().hex[:8]}"
    admin = Tab(base_url)
    body = {"name": "Fuzz Practice", "slug": slug, "time_zone": "UTC", "admin_name": "Ada", "admin_email": f"ada@{slug}.test"}
    created = admin.post("/api/organizations", body)
    assert created.status == 201
    # The test world's choice (tests/conftest.py): staff of test practices need no second factor.
    set_staff_second_factor(created.body["organization"]["id"], slug, required=False)
    assert admin.post("/api/password-tokens/redeem", {"token": token_for(base_url, f"ada@{slug}.test"), "password": PASSWORD}).status == 200
    therapist = Tab(base_url)
    assert admin.post("/api/staff", {"name": "Theo", "email": f"theo@{slug}.test", "role": "therapist"}).status == 201
    assert (
        therapist.post("/api/password-tokens/redeem", {"token": token_for(base_url, f"theo@{slug}.test"), "password": PASSWORD}).status
        == 200
    )
    client = Tab(base_url)
    client_id = admin.post("/api/clients", {"name": "Casey", "email": f"casey@{slug}.test"}).body["id"]
    assert admin.post(f"/api/clients/{client_id}/invitation", {"form_ids": ["std-privacy-notice"]}).status == 200
    assert (
        client.post("/api/password-tokens/redeem", {"token": token_for(base_url, f"casey@{slug}.test"), "password": PASSWORD}).status == 200
    )
    return {"anonymous": Tab(base_url), "client": client, "therapist": therapist, "administrator": admin}


def redeem(tab: Tab, email: str) -> None:
    assert tab.post("/api/password-tokens/redeem", {"token": token_for(tab.base_url, email), "password": PASSWORD}).status == 200


def fresh_session(people: dict[str, Tab], role: str) -> dict[str, str]:
    """Headers of a fresh session for the role (a generated request may end the one it was sent with). The local
    stack runs in this process, so the session is made as sign-in makes one."""
    if role == "anonymous":
        return {}
    from chalicelib.auth.principals import Role
    from chalicelib.auth.sessions import Identity, new_session, split_token
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import Login

    cookie = people[role].cookie
    assert cookie
    org_id, account_id, _ = split_token(cookie) or ("", "", "")
    account = Login.get(keys.org_pk(org_id), keys.account_sk(account_id), consistent_read=True)
    created = new_session(Identity(org_id=org_id, principal_id=account_id, role=Role(account.role), epoch=int(account.session_epoch or 0)))
    created.record.save()
    return {"cookie": f"__Host-portal_session={created.token}", "x-csrf-token": created.record.csrf_token}


@pytest.mark.parametrize("role", ROLES)
def test_generated_requests_get_no_server_error_and_documented_answers(base_url: str, people: dict[str, Tab], role: str) -> None:
    schema = schemathesis.openapi.from_dict(document(base_url))
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation: Any = result.ok()  # type: ignore[union-attr]

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            headers = {"user-agent": "fuzz", **fresh_session(people, role)}
            response = case.call(base_url=base_url, headers=headers)
            for check in CHECKS:
                try:
                    case.validate_response(response, checks=[check])
                except Exception as error:
                    failures.append(f"{case.method} {case.path} as {role} ({response.status_code}): {str(error)[:300]}")

        run()
    assert failures == [], "\n".join(failures[:40])
