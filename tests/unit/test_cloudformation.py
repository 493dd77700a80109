from __future__ import annotations

import json
from pathlib import Path

from scripts.cloudformation import template

COMMITTED = Path(__file__).resolve().parents[2] / ".chalice" / "resources.json"


def test_committed_merge_template_is_generated_from_the_models() -> None:
    # The deployed tables come from the same PynamoDB models as moto's; regenerate with `make cloudformation`.
    assert json.loads(COMMITTED.read_text()) == template()


def test_tables_are_encrypted_recoverable_and_keyed_like_the_models() -> None:
    resources = template()["Resources"]
    accounts = resources["AccountsTable"]["Properties"]
    assert accounts["SSESpecification"] == {"SSEEnabled": True}
    assert accounts["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert [k["AttributeName"] for k in accounts["KeySchema"]] == ["pk", "sk"]
    assert {i["IndexName"] for i in accounts["GlobalSecondaryIndexes"]} == {"by_email"}
    assert resources["SessionsTable"]["Properties"]["TimeToLiveSpecification"]["AttributeName"] == "expires"
