"""Print the CloudFormation merge template for `chalice package --merge-template .chalice/resources.json`.

Tables are generated from the PynamoDB models (the same definitions the local stack and the tests create in
moto), so the deployed schema cannot drift. tests/unit/test_cloudformation.py checks the committed file.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from chalicelib.tables.base import PortalModel
from chalicelib.tables.registry import physical_tables

TTL_ATTRIBUTE = "expires"


def _logical_id(short_name: str) -> str:
    return "".join(part.title() for part in short_name.split("-")) + "Table"


def _keys(key_schema: Any) -> list[dict[str, str]]:
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in key_schema]


def _attribute_definitions(schema: Any) -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for definition in schema["attribute_definitions"]:
        seen[definition["AttributeName"]] = definition["AttributeType"]
    for index in schema["global_secondary_indexes"]:
        for definition in index.get("attribute_definitions", []):
            seen[definition["AttributeName"]] = definition["AttributeType"]
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in sorted(seen.items())]


def table_resource(model: type[PortalModel]) -> dict[str, Any]:
    schema = model._get_schema()
    properties: dict[str, Any] = {
        "TableName": {"Fn::Sub": "${AWS::StackName}-" + model.Meta.short_name},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": _attribute_definitions(schema),
        "KeySchema": _keys(schema["key_schema"]),
        "SSESpecification": {"SSEEnabled": True},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "DeletionProtectionEnabled": True,
    }
    indexes = [
        {
            "IndexName": index["index_name"],
            "KeySchema": _keys(index["key_schema"]),
            "Projection": {"ProjectionType": index["projection"]["ProjectionType"]},
        }
        for index in schema["global_secondary_indexes"]
    ]
    if indexes:
        properties["GlobalSecondaryIndexes"] = indexes
    stream = getattr(model.Meta, "stream_view_type", None)
    if stream:
        properties["StreamSpecification"] = {"StreamViewType": stream}
    if TTL_ATTRIBUTE in model.get_attributes():
        properties["TimeToLiveSpecification"] = {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties}


def _problem(kind: str, title: str, status: int) -> str:
    body = {"type": kind, "title": title, "status": status, "detail": title, "request_id": "$context.requestId"}
    return json.dumps(body)


def gateway_responses() -> dict[str, Any]:
    """Answers API Gateway gives itself (an unknown path, a throttle, a gateway error) in the app's problem+json
    shape and with no-store, instead of the gateway's own JSON."""
    headers = {
        "gatewayresponse.header.Cache-Control": "'no-store'",
        "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
    }
    answers = {
        "MissingAuthenticationToken": ("MISSING_AUTHENTICATION_TOKEN", "404", _problem("/problems/not-found", "Not found", 404)),
        "Default4XX": ("DEFAULT_4XX", None, _problem("/problems/malformed-request", "The request could not be read", 400)),
        "Default5XX": ("DEFAULT_5XX", None, _problem("/problems/internal", "Something went wrong on our side", 500)),
    }
    resources: dict[str, Any] = {}
    for name, (response_type, status, body) in answers.items():
        properties: dict[str, Any] = {
            "RestApiId": {"Ref": "RestAPI"},
            "ResponseType": response_type,
            "ResponseParameters": headers,
            "ResponseTemplates": {"application/json": body, "application/problem+json": body},
        }
        if status:
            properties["StatusCode"] = status
        resources[f"GatewayResponse{name}"] = {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": properties}
    return resources


def template() -> dict[str, Any]:
    tables = {_logical_id(model.Meta.short_name): table_resource(model) for model in physical_tables()}
    table_arns = [{"Fn::GetAtt": [logical, "Arn"]} for logical in tables]
    index_arns = [{"Fn::Sub": "${" + logical + ".Arn}/index/*"} for logical in tables]
    resources: dict[str, Any] = dict(tables)
    resources["DocumentsBucket"] = {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        },
    }
    # Practices' Stripe keys are encrypted under this key (docs/decisions.md, 36); only the API's role may use it.
    resources["PaymentsKey"] = {
        "Type": "AWS::KMS::Key",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "Description": "Client portal: each practice's Stripe keys",
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdministers",
                        "Effect": "Allow",
                        "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            },
        },
    }
    resources["PortalDataAccess"] = {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": "portal-data-access",
            "Roles": [{"Ref": "ApiHandlerRole"}, {"Ref": "IntakeRemindersRole"}],  # the roles `chalice package` creates
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": [
                            "dynamodb:GetItem",
                            "dynamodb:BatchGetItem",
                            "dynamodb:Query",
                            "dynamodb:PutItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:DeleteItem",
                            "dynamodb:BatchWriteItem",
                            "dynamodb:ConditionCheckItem",
                            "dynamodb:DescribeTable",
                        ],
                        "Resource": table_arns + index_arns,
                    },
                    {
                        "Effect": "Allow",
                        "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        "Resource": {"Fn::Sub": "${DocumentsBucket.Arn}/*"},
                    },
                    {"Effect": "Allow", "Action": ["ses:SendEmail"], "Resource": "*"},
                    {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": {"Fn::GetAtt": ["PaymentsKey", "Arn"]}},
                ],
            },
        },
    }
    resources.update(gateway_responses())
    resources["APIHandler"] = {
        "Properties": {
            "Environment": {
                "Variables": {
                    "PORTAL_TABLE_PREFIX": {"Ref": "AWS::StackName"},
                    "PORTAL_BUCKET": {"Ref": "DocumentsBucket"},
                    "PORTAL_PAYMENTS_KMS_KEY": {"Fn::GetAtt": ["PaymentsKey", "Arn"]},
                }
            }
        }
    }
    return {"Resources": resources}


def main() -> int:
    json.dump(template(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
