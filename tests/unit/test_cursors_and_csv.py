from __future__ import annotations

import pytest

from chalicelib.errors import ValidationFailed
from chalicelib.services.audit import to_csv
from chalicelib.tables.audit import AuditEvent
from chalicelib.tables.base import decode_cursor, encode_cursor


def test_cursor_round_trips_and_is_opaque() -> None:
    key = {"pk": {"S": "ORG#org_1"}, "sk": {"S": "STAFF#stf_9"}}
    cursor = encode_cursor(key)
    assert cursor is not None and "ORG#" not in cursor
    assert decode_cursor(cursor, {"pk": "ORG#org_1"}) == key


def test_a_cursor_for_another_partition_is_refused() -> None:
    cursor = encode_cursor({"pk": {"S": "ORG#org_other"}, "sk": {"S": "STAFF#1"}})
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, {"pk": "ORG#org_1"})


@pytest.mark.parametrize("garbage", ["not base64 !!", "bnVsbA", "W10"])
def test_garbage_cursors_are_refused(garbage: str) -> None:
    with pytest.raises(ValidationFailed):
        decode_cursor(garbage, {"pk": "ORG#org_1"})


def test_no_cursor_means_first_page() -> None:
    assert encode_cursor(None) is None
    assert decode_cursor(None, {"pk": "x"}) is None


def test_csv_export_neutralises_spreadsheet_formulas() -> None:
    event = AuditEvent(
        "ORG#o",
        "t#e",
        id="evt_1",
        org_id="o",
        at="2026-11-23T09:00:00.000000Z",
        actor_id="stf_1",
        actor_key="o#stf_1",
        actor_role="administrator",
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
