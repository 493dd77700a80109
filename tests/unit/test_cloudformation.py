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


def test_the_gateways_own_answers_are_problem_json_and_not_cached() -> None:
    resources = template()["Resources"]
    unknown_path = resources["GatewayResponseMissingAuthenticationToken"]["Properties"]
    assert unknown_path["StatusCode"] == "404"
    assert json.loads(unknown_path["ResponseTemplates"]["application/json"])["type"] == "/problems/not-found"
    assert unknown_path["ResponseParameters"]["gatewayresponse.header.Cache-Control"] == "'no-store'"
    assert unknown_path["RestApiId"] == {"Ref": "RestAPI"}


def test_the_data_policy_attaches_to_the_roles_chalice_package_creates() -> None:
    # `chalice package` (autogen_policy false, one iam_policy_file) names a role per function: API and schedule.
    roles = template()["Resources"]["PortalDataAccess"]["Properties"]["Roles"]
    assert roles == [{"Ref": "ApiHandlerRole"}, {"Ref": "IntakeRemindersRole"}]
