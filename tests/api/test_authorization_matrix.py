"""The authorization matrix, held to the code.

- docs/authorization.md's route table and the cold-start route map are generated from the @endpoint declarations;
  either going stale fails here.
- Every route has a matrix example (tests/api/matrix): a route without one fails the meta-test.
- Every route is called by each of seven callers — anonymous, the client, another client of the same practice, the
  assigned therapist, an unassigned therapist, the administrator and another practice's administrator — and must
  answer exactly what its declaration promises (scripts/access_matrix.py): the route's success status for an admitted
  caller, 401, 403 (audited) or 404. A refused request writes nothing but its audit event.
"""

from __future__ import annotations

from typing import Any

from chalicelib.handlers.api import ROUTES, RouteSpec
from chalicelib.routes import load_all_handlers
from scripts.access_matrix import CALLERS, expected_status
from scripts.emulator import writes_to
from scripts.generate import MATRIX, ROUTE_MAP, authorization_document, route_map_source
from tests.api.matrix import EXAMPLES
from tests.api.matrix.world import World, build_world
from tests.conftest import Practice

# Written by refusals too, so not part of "nothing changed": the audit trail (refusals are audited), sessions (the
# idle timer) and throttle counters. Anything else a refused request writes — a record, a claim, an outbox mail, a
# token — fails the walk (the emulator reports every successful DynamoDB write: scripts/emulator.py, writes_to).
VOLATILE_TABLES = ("-audit", "-sessions", "-throttles")


def routes() -> list[RouteSpec]:
    load_all_handlers()
    return sorted(ROUTES, key=lambda spec: (spec.path, spec.method))


# ----------------------------------------------------------------------------------------------- the documents


def test_the_route_table_and_route_map_are_generated_from_the_declarations() -> None:
    # Then both derived files are exactly what `make generate` writes now
    assert MATRIX.read_text(encoding="utf-8") == authorization_document(), "docs/authorization.md is stale: run `make generate`"
    assert ROUTE_MAP.read_text(encoding="utf-8") == route_map_source(), "chalicelib/route_map.py is stale: run `make generate`"


def test_every_route_has_a_matrix_example() -> None:
    # Given every declared route
    declared = {(spec.method, spec.path) for spec in routes()}

    # Then each capability contributed an example for each of its routes, and nothing else
    assert sorted(declared - set(EXAMPLES)) == [], "routes without a matrix example (tests/api/matrix)"
    assert sorted(set(EXAMPLES) - declared) == [], "matrix examples for routes that do not exist"


# ------------------------------------------------------------------------------------------------------ the walk


def latest_event(org_id: str) -> Any:
    from chalicelib.tables.audit import AuditEvent
    from chalicelib.tables.keys import org_pk

    return next(iter(AuditEvent.query(org_pk(org_id), scan_index_forward=False, limit=1, consistent_read=True)))


def url_of(spec: RouteSpec, params: dict[str, str], query: str) -> str:
    url = spec.path
    for name, value in params.items():
        url = url.replace("{" + name + "}", value)
    assert "{" not in url, f"{spec.method} {spec.path}: the example left a path parameter unset"
    return f"{url}?{query}" if query else url


def check(world: World, spec: RouteSpec, caller: str) -> str | None:
    """One call; the reason it broke the promise, or None."""
    call = EXAMPLES[(spec.method, spec.path)](world, caller)
    expected = expected_status(spec, caller)
    browser = world.browser(caller)
    with writes_to() as written:
        response = browser.request(spec.method, url_of(spec, call.params, call.query), call.body, headers=call.headers)
    route = f"{spec.method} {spec.path}"
    if response.status != expected:
        return f"{route} as {caller}: expected {expected}, got {response.status} {response.json if response.body[:1] == b'{' else ''}"
    problem = {401: "/problems/unauthenticated", 403: "/problems/forbidden", 404: "/problems/not-found"}.get(expected)
    if problem and response.problem_type != problem:
        return f"{route} as {caller}: expected {problem}, got {response.problem_type}"
    if expected == 403:
        event = latest_event(world.practice.org_id if caller != "other practice's administrator" else world.other.org_id)
        if (event.action, event.outcome, event.resource) != ("request.denied", "denied", route):
            return f"{route} as {caller}: the refusal was not audited ({event.action}, {event.outcome}, {event.resource})"
    changed = sorted({table for table in written if not table.endswith(VOLATILE_TABLES)})
    if expected >= 400 and changed:
        return f"{route} as {caller}: a refused request wrote to {changed}"
    return None


def test_every_caller_gets_exactly_what_each_route_promises(practice: Practice, other_practice: Practice) -> None:
    # Given two practices and every kind of caller
    world = build_world(practice, other_practice)

    # When every route is called by each of them
    failures = [reason for spec in routes() for caller in CALLERS if (reason := check(world, spec, caller))]

    # Then every answer is the declared one, and no refused write left a trace
    assert failures == [], "\n".join(failures)


def test_the_matrix_callers_are_who_they_claim_to_be(practice: Practice, other_practice: Practice) -> None:
    # Given the world
    world = build_world(practice, other_practice)

    # Then each caller's session is the kind of person its column says, in the practice it says
    roles = {}
    for caller in CALLERS:
        session = world.browser(caller).get("/api/session")
        roles[caller] = (session.json["principal"]["role"], session.json["organization"]["id"]) if session.status == 200 else session.status
    harbor, cove = world.practice.org_id, world.other.org_id
    assert roles == {
        "anonymous": 401,
        "client": ("client", harbor),
        "other client": ("client", harbor),
        "assigned therapist": ("therapist", harbor),
        "unassigned therapist": ("therapist", harbor),
        "administrator": ("administrator", harbor),
        "other practice's administrator": ("administrator", cove),
    }
    # And the client is assigned to one therapist and not the other
    client = world.practice.admin.get(f"/api/clients/{world.client_id}").json
    assert world.therapist_id in client["therapist_ids"] and world.unassigned_id not in client["therapist_ids"]


# ---------------------------------------------------------------------------------------------- the feature gate


def admitted_caller(spec: RouteSpec) -> str:
    """Someone the route admits when its feature is on: the client for client routes, else a staff member."""
    for caller in ("administrator", "assigned therapist", "client"):
        if expected_status(spec, caller) < 400:
            return caller
    raise AssertionError(f"{spec.method} {spec.path} admits none of the matrix's signed-in callers")


def switch(world: World, feature: str, on: bool) -> None:
    admin = world.admin()
    version = admin.get("/api/organization/settings").json["version"]
    assert admin.patch("/api/organization/settings", {"version": version, "features": {feature: on}}).status == 200


def test_every_route_of_a_feature_is_refused_while_the_practice_has_it_switched_off(practice: Practice, other_practice: Practice) -> None:
    # Given the world, and every route that belongs to a feature
    world = build_world(practice, other_practice)
    gated = [spec for spec in routes() if spec.feature is not None]
    assert gated, "no route declares a feature"

    failures = []
    for spec in gated:
        # When the practice switches the feature off and an otherwise admitted caller calls the route
        caller = admitted_caller(spec)
        call = EXAMPLES[(spec.method, spec.path)](world, caller)
        switch(world, spec.feature.value, False)  # type: ignore[union-attr]
        with writes_to() as written:
            response = world.browser(caller).request(spec.method, url_of(spec, call.params, call.query), call.body, headers=call.headers)
        switch(world, spec.feature.value, True)  # type: ignore[union-attr]

        # Then it is refused as a disabled feature, audited, and nothing but the audit trail is written
        route = f"{spec.method} {spec.path}"
        if (response.status, response.problem_type) != (403, "/problems/feature-disabled"):
            failures.append(f"{route} as {caller}: expected 403 feature-disabled, got {response.status} {response.problem_type}")
        elif sorted({t for t in written if not t.endswith(VOLATILE_TABLES)}):
            failures.append(f"{route} as {caller}: a refused request wrote data")
    assert failures == [], "\n".join(failures)


def test_every_staff_route_of_a_seat_feature_needs_a_seat(practice: Practice, other_practice: Practice) -> None:
    from chalicelib.auth.features import SEAT_FEATURES

    # Given the world, and every staff route of a feature that needs a seat
    world = build_world(practice, other_practice)
    seated = [spec for spec in routes() if spec.feature in SEAT_FEATURES and expected_status(spec, "assigned therapist") < 400]

    failures = []
    for spec in seated:
        # When the assigned therapist, who may use the route with a seat, has none
        call = EXAMPLES[(spec.method, spec.path)](world, "assigned therapist")
        assert world.admin().delete(f"/api/subscription/seats/{world.therapist_id}").status == 200
        response = world.browser("assigned therapist").request(spec.method, url_of(spec, call.params, call.query), call.body)
        assert world.admin().put(f"/api/subscription/seats/{world.therapist_id}").status == 200

        # Then the route refuses them for want of a seat
        if (response.status, response.problem_type) != (403, "/problems/seat-required"):
            failures.append(f"{spec.method} {spec.path}: expected 403 seat-required, got {response.status} {response.problem_type}")
    assert failures == [], "\n".join(failures)
