"""Conventions every route keeps: health, the OpenAPI document, security headers and problem+json errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chalicelib.handlers.api import Access
from chalicelib.routes import ROUTE_MAP
from chalicelib.tables.audit import AuditEvent
from tests.conftest import Browser, Practice, Response

PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def test_health_answers_without_a_session(browser: Browser) -> None:
    # When a load balancer asks for health
    response = browser.get("/api/health")

    # Then it is OK
    assert response.status == 200
    assert response.json == {"status": "ok"}


def test_the_openapi_document_describes_every_route(browser: Browser) -> None:
    # When a developer fetches the API description
    response = browser.get("/api/openapi.json")

    # Then it is OpenAPI 3.1 and lists exactly the routes of the route map
    assert response.status == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    described = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    assert described == {(method, path) for method, path, _ in ROUTE_MAP}

    # And every operation says who may call it and how its errors look
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["x-access"] in {access.value for access in Access}
            assert "application/problem+json" in operation["responses"]["default"]["content"]
    assert set(document["components"]["schemas"]["Problem"]["required"]) == PROBLEM_FIELDS


Scenario = Callable[[Practice], Response]

SCENARIOS: dict[str, Scenario] = {
    "200 public": lambda p: p.new_browser().get(f"/api/orgs/{p.slug}"),
    "200 signed in": lambda p: p.admin.get("/api/session"),
    "201 created": lambda p: p.admin.post("/api/staff", {"name": "Sam", "email": "sam@harbor.test", "role": "therapist"}),
    "204 no content": lambda p: p.admin.delete("/api/session"),
    "200 csv": lambda p: p.admin.get("/api/audit/export"),
    "400 malformed": lambda p: p.new_browser().post("/api/organizations", raw=b"{not json"),
    "401 unauthenticated": lambda p: p.new_browser().get("/api/session"),
    "403 forbidden": lambda p: Browser(p.client, cookie=p.admin.cookie, csrf="wrong").patch("/api/organization/settings", {"version": 1}),
    "404 not found": lambda p: p.admin.get("/api/staff/stf_0000000000000000"),
    "409 conflict": lambda p: p.admin.post(f"/api/staff/{p.admin_id}/reactivate"),
    "410 gone": lambda p: p.new_browser().post("/api/password-tokens/inspect", {"token": "x" * 43}),
    "413 too large": lambda p: p.new_browser().post("/api/organizations", raw=b"{" + b" " * 70_000 + b"}"),
    "415 media type": lambda p: p.new_browser().post("/api/organizations", raw=b"a=b", headers={"content-type": "text/plain"}),
    "422 validation": lambda p: p.new_browser().post("/api/orgs/harbor/sign-in", {"email": "a@b.test"}),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_response_carries_the_security_headers(practice: Practice, scenario: str) -> None:
    # When a route answers — with success or with a problem
    response = SCENARIOS[scenario](practice)

    # Then it was the answer we meant, and it may not be cached, sniffed or framed, and it names its request
    assert str(response.status) == scenario.split()[0], response.json
    assert_security_headers(response)


def test_errors_are_problem_documents(practice: Practice) -> None:
    # When requests fail in different ways
    for name, scenario in SCENARIOS.items():
        if not name.startswith(("4", "5")):
            continue
        response = scenario(practice)

        # Then each is application/problem+json with a stable type, a title, the status and a detail
        assert response.headers["content-type"] == "application/problem+json", name
        problem = response.json
        assert set(problem) >= PROBLEM_FIELDS, name
        assert problem["status"] == response.status, name
        assert problem["type"].startswith("/problems/"), name
        assert problem["request_id"] == response.headers["x-request-id"], name


def test_an_unexpected_failure_is_a_problem_without_internals(practice: Practice) -> None:
    # Given a backing table has disappeared (a failure no code path expects)
    version = practice.admin.get("/api/organization/settings").json["version"]
    AuditEvent.delete_table()

    # When a request needs it
    response = practice.admin.patch("/api/organization/settings", {"version": version, "name": "Renamed"})

    # Then the answer is a generic 5xx problem with the usual headers, and nothing from inside the server
    assert response.status >= 500
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.json) >= PROBLEM_FIELDS
    assert_security_headers(response)
    body = response.body.decode()
    for leak in ("Traceback", "pynamodb", "botocore", "portal-test-", ".py"):
        assert leak not in body


def test_an_unknown_route_is_refused_without_details(practice: Practice) -> None:
    # When someone probes paths that do not exist
    for path in ("/api/nothing-here", "/api/staff/stf_1/../../etc/passwd", "/api/admin/debug"):
        response = practice.admin.get(path)

        # Then the answer is a plain refusal without a stack trace
        assert response.status in (403, 404), path
        assert b"Traceback" not in response.body
        assert b"chalicelib" not in response.body


def assert_security_headers(response: Response) -> None:
    headers = response.headers
    assert headers.get("cache-control") == "no-store"
    assert "default-src 'none'" in headers.get("content-security-policy", "")
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-request-id") not in (None, "", "-")


def test_an_unsupported_method_is_a_problem_with_allow(browser: Browser) -> None:
    # When a known route is called with a method it does not accept
    response = browser.put("/api/health")

    # Then the answer is problem+json like every other error, naming the allowed method
    assert response.status == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.problem_type == "/problems/method-not-allowed"
    assert response.headers["allow"] == "GET"
    assert response.headers["x-request-id"]
    assert response.headers["cache-control"] == "no-store"
