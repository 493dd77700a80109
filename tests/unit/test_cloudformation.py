from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chalice.app import Chalice, Rate

from scripts.cloudformation import template
from scripts.deploy_functions import Needs, function_resources, functions, role_policy, stream_table, topic_logical_id

COMMITTED = Path(__file__).resolve().parents[2] / ".chalice" / "resources.json"


def test_committed_merge_template_is_generated_from_the_models_and_the_app() -> None:
    # The deployed tables and functions come from the same models and app.py as moto's; regenerate with `make cloudformation`.
    assert json.loads(COMMITTED.read_text()) == template()


def test_tables_are_encrypted_recoverable_and_keyed_like_the_models() -> None:
    resources = template()["Resources"]
    accounts = resources["AccountsTable"]["Properties"]
    assert accounts["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}}
    assert accounts["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert [k["AttributeName"] for k in accounts["KeySchema"]] == ["pk", "sk"]
    assert {i["IndexName"] for i in accounts["GlobalSecondaryIndexes"]} == {"by_email"}
    assert resources["SessionsTable"]["Properties"]["TimeToLiveSpecification"]["AttributeName"] == "expires"
    assert resources["OutboxTable"]["Properties"]["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}


def test_the_gateways_own_answers_are_problem_json_and_not_cached() -> None:
    # In the API's definition (separate GatewayResponse resources would be wiped when the definition is put again).
    answers = template()["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    unknown_path = answers["MISSING_AUTHENTICATION_TOKEN"]
    assert unknown_path["statusCode"] == 404
    assert json.loads(unknown_path["responseTemplates"]["application/json"])["type"] == "/problems/not-found"
    assert unknown_path["responseParameters"]["gatewayresponse.header.Cache-Control"] == "'no-store'"
    assert set(answers) == {"MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX", "DEFAULT_5XX"}


def test_the_roles_are_the_ones_chalice_package_creates_for_each_function() -> None:
    from app import app

    names = {(f.logical_id, f.role) for f in functions(app)}
    assert names == {("APIHandler", "ApiHandlerRole"), ("IntakeReminders", "IntakeRemindersRole"), ("OutboxSweep", "OutboxSweepRole"),
                     ("OutboxStream", "OutboxStreamRole"), ("MailEvents", "MailEventsRole"),
                     ("AppointmentReminders", "AppointmentRemindersRole"), ("MassMessages", "MassMessagesRole")}  # fmt: skip
    resources = template()["Resources"]
    for _, role in names:
        assert resources[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]


def a_new_app() -> Chalice:
    """What another engineer might add: a schedule with no entry in NEEDS."""
    app = Chalice(app_name="client-portal")

    @app.schedule(Rate(15, unit=Rate.MINUTES), name="appointment_reminders")
    def appointment_reminders(event: Any) -> None:
        pass

    return app


def test_a_new_schedule_gets_a_log_group_a_dead_letter_queue_alarms_and_the_default_role() -> None:
    [function] = functions(a_new_app())
    resources = function_resources(function, {"PORTAL_TABLE_PREFIX": {"Ref": "AWS::StackName"}})

    properties = resources["AppointmentReminders"]["Properties"]
    assert properties["DeadLetterQueue"]["TargetArn"] == {"Fn::GetAtt": ["AppointmentRemindersDeadLetters", "Arn"]}
    assert properties["LoggingConfig"]["LogGroup"] == {"Ref": "AppointmentRemindersLogGroup"}
    assert properties["Timeout"] == 60 and properties["Environment"]["Variables"]["PORTAL_TABLE_PREFIX"]
    assert {"AppointmentRemindersErrorsAlarm", "AppointmentRemindersDeadLettersAlarm", "AppointmentRemindersThrottlesAlarm"} <= set(
        resources
    )
    granted = {
        a for s in resources["AppointmentRemindersRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"] for a in s["Action"]
    }
    assert "dynamodb:Query" in granted and "sqs:SendMessage" in granted
    assert not any(a.startswith(("s3:", "ses:", "secretsmanager:")) for a in granted)


def test_needs_add_exactly_what_they_name() -> None:
    [function] = functions(a_new_app())
    mailer = type(function)(function.name, function.kind, function.event, needs=Needs(mail=True))
    granted = {a for s in role_policy(mailer)["PolicyDocument"]["Statement"] for a in s["Action"]}
    assert "ses:SendEmail" in granted and not any(a.startswith("s3:") for a in granted)


def test_a_stream_handler_names_its_table_through_the_placeholder_arn() -> None:
    assert stream_table("arn:aws:dynamodb:us-east-1:000000000000:table/portal-outbox/stream/unset").Meta.short_name == "outbox"
    with pytest.raises(ValueError, match="declares no Meta"):
        stream_table("arn:aws:dynamodb:us-east-1:000000000000:table/portal-accounts/stream/unset")
    with pytest.raises(ValueError, match="no table named"):
        stream_table("arn:aws:dynamodb:us-east-1:000000000000:table/portal-nothing/stream/unset")


def test_a_topic_the_app_subscribes_to_is_the_stacks_own() -> None:
    assert topic_logical_id("portal-mail-events") == "MailEventsTopic"
    resources = template()["Resources"]
    assert resources["MailEventsTopic"]["Properties"]["TopicName"] == {"Fn::Sub": "${AWS::StackName}-mail-events"}
