from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from chalicelib import context
from chalicelib.config import Settings, use_settings
from chalicelib.domain.practice import AuditEntry
from chalicelib.errors import InvalidCursor
from chalicelib.services.audit_log import to_csv
from chalicelib.tables import cursors

KEY = {"pk": {"S": "ORG#org_1"}, "sk": {"S": "STAFF#stf_9"}}


@pytest.fixture(autouse=True)
def on_a_route() -> Iterator[None]:
    use_settings(replace(Settings(), signing_key="unit-test-key"))
    token = context.begin(context.RequestContext(request_id="r", ip="-", user_agent="-", route="GET /api/staff"))
    yield
    context.end(token)
    use_settings(None)


def on(route: str) -> object:
    return context.begin(context.RequestContext(request_id="r", ip="-", user_agent="-", route=route))


def test_a_cursor_round_trips_for_its_caller_on_its_route_and_hides_the_key() -> None:
    cursor = cursors.encode(KEY, caller="stf_1")
    assert cursor is not None and "ORG#" not in cursor and "STAFF#" not in cursor
    assert cursors.decode(cursor, caller="stf_1", expected={"pk": "ORG#org_1"}) == KEY


def test_a_cursor_of_another_caller_is_refused() -> None:
    cursor = cursors.encode(KEY, caller="stf_1")
    with pytest.raises(InvalidCursor):
        cursors.decode(cursor, caller="stf_2", expected={"pk": "ORG#org_1"})


def test_a_cursor_of_another_route_is_refused() -> None:
    token = on("GET /api/audit")
    audit_cursor = cursors.encode(KEY, caller="stf_1")
    context.end(token)
    with pytest.raises(InvalidCursor):
        cursors.decode(audit_cursor, caller="stf_1", expected={"pk": "ORG#org_1"})


def test_a_cursor_signed_with_another_key_is_refused() -> None:
    cursor = cursors.encode(KEY, caller="stf_1")
    use_settings(replace(Settings(), signing_key="another-deployment"))
    with pytest.raises(InvalidCursor):
        cursors.decode(cursor, caller="stf_1", expected={"pk": "ORG#org_1"})


def test_an_edited_cursor_is_refused() -> None:
    cursor = cursors.encode(KEY, caller="stf_1")
    assert cursor is not None
    version, _, tag = cursor.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"pk": "ORG#org_other", "sk": "STAFF#1"}).encode()).decode().rstrip("=")
    with pytest.raises(InvalidCursor):
        cursors.decode(f"{version}.{forged}.{tag}", caller="stf_1", expected={"pk": "ORG#org_1"})


def test_a_cursor_for_another_partition_is_refused_even_if_signed() -> None:
    cursor = cursors.encode({"pk": {"S": "ORG#org_other"}, "sk": {"S": "STAFF#1"}}, caller="stf_1")
    with pytest.raises(InvalidCursor):
        cursors.decode(cursor, caller="stf_1", expected={"pk": "ORG#org_1"})


@pytest.mark.parametrize("garbage", ["not base64 !!", "bnVsbA", "W10", "c1.e30.x", "c1..", "eyJwayI6eyJTIjoiT1JHI29yZ18xIn19"])
def test_garbage_cursors_are_refused(garbage: str) -> None:
    with pytest.raises(InvalidCursor):
        cursors.decode(garbage, caller="stf_1", expected={"pk": "ORG#org_1"})


def test_no_cursor_means_first_page() -> None:
    assert cursors.encode(None, caller="stf_1") is None
    assert cursors.decode(None, caller="stf_1", expected={"pk": "x"}) is None


def test_csv_export_neutralises_spreadsheet_formulas() -> None:
    event = AuditEntry(
        id="evt_1",
        at="2026-11-23T09:00:00.000000Z",
        actor_id="stf_1",
        actor_role="administrator",
        subject_client_id=None,
        resource="staff/stf_2",
        action="staff.invite",
        outcome="success",
        ip="127.0.0.1",
        user_agent='=HYPERLINK("http://evil")',
        request_id="r1",
    )
    text = to_csv([event])
    header, row = text.strip().splitlines()
    assert header.startswith("at,actor_id,actor_role,action")
    assert "'=HYPERLINK" in row
