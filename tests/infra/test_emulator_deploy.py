"""A smoke test: the template `make deploy` sends, deployed by scripts/deploy.py into the emulator's (moto's)
CloudFormation, then the frontend published to it.

What it proves: the template is well-formed for CloudFormation's engine (every reference, GetAtt and Sub resolves;
no dependency cycle), the change-set path of the deploy script works, and what moto can create comes out as the
template says (table names and keys, the KMS key on tables, the outbox stream wired to its function, buckets locked
down, functions configured). What it does not prove: moto creates no CloudFront, SES, Secrets Manager, alarm or
policy resources from a template (references to them are replaced by stand-ins here), enforces no IAM, KMS key
policy or bucket policy, and runs no function. Those are checked statically (tests/infra/test_template.py,
cfn-lint, checkov) and, for real, by the first deploy (docs/operations.md, "First deploy").
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.tables.registry import physical_tables
from scripts.deploy import IMMUTABLE, deploy_stack, publish_frontend, stack_outputs, template_in_s3
from scripts.deploy_functions import table_logical_id

STACK = "portal-prod"
# moto knows these types but cannot create ours: it ignores a REST API's definition body, so a deployment of it fails.
NOT_CREATED_BY_MOTO = {"AWS::ApiGateway::Deployment"}
PARAMETERS = {
    "DomainName": "portal.example.org",
    "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
}


def stand_in_for_unsupported(template: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The template without the resources moto's CloudFormation cannot create; references to them become stand-in
    strings, so everything else deploys as written."""
    from moto.cloudformation.parsing import get_model_map

    supported = get_model_map()
    resources = template["Resources"]
    removed = {logical for logical, r in resources.items() if r["Type"] not in supported or r["Type"] in NOT_CREATED_BY_MOTO}
    kept = {}
    for logical, resource in resources.items():
        if logical not in removed:
            kept[logical] = _without_dependencies_on(_stand_in(resource, removed), removed)
    outputs = {name: output for name, output in template.get("Outputs", {}).items() if not (_names(output) & removed)}
    return {**template, "Resources": kept, "Outputs": _stand_in(outputs, removed)}, removed


def _stand_in(value: Any, removed: set[str]) -> Any:
    if isinstance(value, list):
        return [_stand_in(item, removed) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in removed:
        return f"stand-in-{value['Ref']}"
    if set(value) == {"Fn::GetAtt"} and value["Fn::GetAtt"][0] in removed:
        return f"stand-in-{'-'.join(value['Fn::GetAtt'])}"
    if set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        return {"Fn::Sub": _sub_stand_ins(value["Fn::Sub"], removed)}
    return {key: _stand_in(item, removed) for key, item in value.items()}


def _sub_stand_ins(text: str, removed: set[str]) -> str:
    for logical in removed:
        for attribute in ("Arn", "DomainName", "Id"):
            text = text.replace("${" + logical + "." + attribute + "}", f"stand-in-{logical}-{attribute}")
        text = text.replace("${" + logical + "}", f"stand-in-{logical}")
    return text


def _without_dependencies_on(resource: dict[str, Any], removed: set[str]) -> dict[str, Any]:
    depends = resource.get("DependsOn")
    if depends:
        resource["DependsOn"] = [d for d in ([depends] if isinstance(depends, str) else depends) if d not in removed]
    return resource


def _names(value: Any) -> set[str]:
    text = json.dumps(value)
    return {part.split('"')[0].split(".")[0].split("}")[0] for part in text.replace("${", '"').split('"') if part}


def physical(aws: Any, logical: str) -> str:
    found = aws.client("cloudformation").describe_stack_resource(StackName=STACK, LogicalResourceId=logical)
    return str(found["StackResourceDetail"]["PhysicalResourceId"])


def small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "app = None\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def aws() -> Iterator[Any]:
    from moto import mock_aws

    previous = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    with mock_aws():
        import boto3

        yield boto3.Session(region_name="us-east-1")
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def deployed(aws: Any, translated: dict[str, Any]) -> dict[str, Any]:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="artifacts")
    for key in ("code.zip", "fonts.zip", "pdf.zip"):
        s3.put_object(Bucket="artifacts", Key=key, Body=small_zip())
    template, removed = stand_in_for_unsupported(translated)
    outputs = deploy_stack(aws.client("cloudformation"), STACK, template_in_s3(s3, "artifacts", STACK, template), PARAMETERS)
    return {"outputs": outputs, "removed": removed}


def test_the_stack_deploys_through_a_change_set(aws: Any, deployed: dict[str, Any]) -> None:
    stack = aws.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    # (moto keeps the outputs a change set's stack had before it ran: none. Physical ids come from its resources.)
    assert deployed["outputs"] == stack_outputs(aws.client("cloudformation"), STACK)
    assert physical(aws, "DocumentsBucket").startswith(STACK.lower())
    # What moto could not create, so this test says nothing about (checked statically instead):
    assert "Distribution" in deployed["removed"] and "MailConfigurationSet" in deployed["removed"]


def test_every_table_exists_named_after_the_stack_and_keyed_like_its_model(
    aws: Any, deployed: dict[str, Any], translated: dict[str, Any]
) -> None:
    # (moto's CloudFormation ignores a table's encryption and recovery settings: test_template.py checks them.)
    dynamodb = aws.client("dynamodb")
    for model in physical_tables():
        table = dynamodb.describe_table(TableName=f"{STACK}-{model.Meta.short_name}")["Table"]
        assert [k["AttributeName"] for k in table["KeySchema"]] == [k["AttributeName"] for k in model._get_schema()["key_schema"]]
        declared = translated["Resources"][table_logical_id(model)]["Properties"].get("GlobalSecondaryIndexes", [])
        assert {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])} == {i["IndexName"] for i in declared}
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_the_keys_rotate(aws: Any, deployed: dict[str, Any]) -> None:
    kms = aws.client("kms")
    keys = kms.list_keys()["Keys"]
    assert len(keys) == 2
    assert all(kms.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"] for k in keys)


def test_the_outbox_stream_invokes_its_function(aws: Any, deployed: dict[str, Any]) -> None:
    stream = aws.client("dynamodb").describe_table(TableName=f"{STACK}-outbox")["Table"]["LatestStreamArn"]
    mappings = aws.client("lambda").list_event_source_mappings(EventSourceArn=stream)["EventSourceMappings"]
    assert len(mappings) == 1 and mappings[0]["FunctionArn"].split(":")[-1].startswith(f"{STACK}-OutboxStream")


def test_the_functions_name_the_stacks_tables_and_secrets(aws: Any, deployed: dict[str, Any]) -> None:
    from app import app
    from scripts.deploy_functions import functions as declared

    functions = aws.client("lambda").list_functions()["Functions"]
    assert len(functions) == len(declared(app)) == 7  # the API and every job app.py declares
    for function in functions:
        variables = function["Environment"]["Variables"]
        assert variables["PORTAL_TABLE_PREFIX"] == STACK
        assert variables["PORTAL_PUBLIC_BASE_URL"] == "https://portal.example.org"
        assert "PORTAL_SIGNING_KEY" not in variables and "PORTAL_PROVISIONING_KEY" not in variables


def test_the_documents_bucket_is_encrypted_with_the_stacks_key(aws: Any, deployed: dict[str, Any]) -> None:
    # (moto's CloudFormation ignores a bucket's versioning and public access block: test_template.py checks them.)
    bucket = physical(aws, "DocumentsBucket")
    rule = aws.client("s3").get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"].endswith(physical(aws, "DataKey"))


def test_the_frontend_is_published_with_cache_headers_and_the_cdn_invalidated(aws: Any, deployed: dict[str, Any], tmp_path: Path) -> None:
    # Given a built frontend and the stack's frontend bucket (moto makes no distribution from a template: one by hand)
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Client Portal</title>")
    (tmp_path / "assets" / "index-3f9a1c.js").write_text("console.log(1)")
    cloudfront = aws.client("cloudfront")
    distribution = cloudfront.create_distribution(DistributionConfig=_distribution_config())["Distribution"]["Id"]
    bucket = physical(aws, "FrontendBucket")

    # When it is published
    assert publish_frontend(aws.client("s3"), cloudfront, bucket, distribution, dist=tmp_path) == 2

    # Then hashed assets are cached for good, the page never, and the CDN drops its copies
    s3 = aws.client("s3")
    page = s3.head_object(Bucket=bucket, Key="index.html")
    asset = s3.head_object(Bucket=bucket, Key="assets/index-3f9a1c.js")
    assert (page["CacheControl"], page["ContentType"]) == ("no-cache", "text/html")
    assert asset["CacheControl"] == IMMUTABLE and "javascript" in asset["ContentType"]
    assert cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]["Quantity"] == 1


def _distribution_config() -> dict[str, Any]:
    return {
        "CallerReference": "smoke",
        "Comment": "smoke",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [{"Id": "frontend", "DomainName": "frontend.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}],
        },
        "DefaultCacheBehavior": {"TargetOriginId": "frontend", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    }  # fmt: skip
