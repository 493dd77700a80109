"""What the packaged template must say, whoever adds a table, a bucket or a function: encryption with the stack's
own key, point-in-time recovery, private buckets reachable over TLS only, and roles that name what they touch."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import TTLAttribute

from chalicelib.tables.registry import physical_tables, table_models
from scripts.deploy_edge import page_csp
from scripts.deploy_functions import APPEND_ONLY, table_logical_id
from scripts.local_stack import PAGE_CSP
from tests.infra.conftest import Packaged

DATA_KEY = {"Fn::GetAtt": ["DataKey", "Arn"]}
# Actions that name no resource (AWS offers none to name).
NO_RESOURCE_ACTIONS = {"dynamodb:ListStreams"}


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for policy in role["Properties"].get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]


def actions(statement: dict[str, Any]) -> list[str]:
    found = statement["Action"]
    return [found] if isinstance(found, str) else list(found)


def role_of(packaged: Packaged, function: str) -> dict[str, Any]:
    role = packaged.resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    return dict(packaged.resources[role])


def allowed(packaged: Packaged, function: str) -> set[str]:
    return {action for s in statements(role_of(packaged, function)) if s["Effect"] == "Allow" for action in actions(s)}


# ----------------------------------------------------------------------------------------------------- tables


def test_every_table_is_on_demand_encrypted_with_the_stacks_key_recoverable_and_protected(packaged: Packaged) -> None:
    tables = packaged.of_type("AWS::DynamoDB::Table")
    assert set(tables) == {table_logical_id(model) for model in physical_tables()}
    for table in tables.values():
        properties = table["Properties"]
        assert properties["BillingMode"] == "PAY_PER_REQUEST"
        assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": DATA_KEY}
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert properties["DeletionProtectionEnabled"] is True
        assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_ttl_indexes_and_streams_come_from_every_model_of_a_table(packaged: Packaged) -> None:
    for model in table_models():
        properties = packaged.resources[table_logical_id(model)]["Properties"]
        indexes = {index["IndexName"] for index in properties.get("GlobalSecondaryIndexes", [])}
        assert {index.Meta.index_name for index in model._indexes.values()} <= indexes
        for attribute in model.get_attributes().values():
            if isinstance(attribute, TTLAttribute):
                assert properties["TimeToLiveSpecification"] == {"AttributeName": attribute.attr_name, "Enabled": True}
        stream = getattr(model.Meta, "stream_view_type", None)
        if stream:
            assert properties["StreamSpecification"] == {"StreamViewType": stream}


def test_the_customer_managed_keys_rotate_and_outlive_the_stack(packaged: Packaged) -> None:
    for key in packaged.of_type("AWS::KMS::Key").values():
        assert key["Properties"]["EnableKeyRotation"] is True
        assert key["DeletionPolicy"] == "Retain"
        principals = [s["Principal"] for s in key["Properties"]["KeyPolicy"]["Statement"]]
        assert "*" not in principals and {"AWS": "*"} not in principals


# ---------------------------------------------------------------------------------------------------- buckets


def policy_of(packaged: Packaged, bucket: str) -> list[dict[str, Any]]:
    [policy] = [p for p in packaged.of_type("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": bucket}]
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def test_every_bucket_is_private_versioned_encrypted_and_tls_only(packaged: Packaged) -> None:
    buckets = packaged.of_type("AWS::S3::Bucket")
    assert set(buckets) == {"DocumentsBucket", "FrontendBucket", "LogBucket"}
    for logical, bucket in buckets.items():
        properties = bucket["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}  # fmt: skip
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
        assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"]
        assert any("NoncurrentVersionExpiration" in rule for rule in properties["LifecycleConfiguration"]["Rules"])
        [tls] = [s for s in policy_of(packaged, logical) if s["Sid"] == "TlsOnly"]
        assert (tls["Effect"], tls["Principal"], tls["Action"]) == ("Deny", "*", "s3:*")
        assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        if logical != "LogBucket":
            assert properties["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "LogBucket"}


def test_documents_are_encrypted_with_the_stacks_key_and_no_other(packaged: Packaged) -> None:
    properties = packaged.resources["DocumentsBucket"]["Properties"]
    default = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert default["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": DATA_KEY}
    [own_key] = [s for s in policy_of(packaged, "DocumentsBucket") if s["Sid"] == "OwnKeyOnly"]
    assert (own_key["Effect"], own_key["Action"]) == ("Deny", "s3:PutObject")
    assert own_key["Condition"] == {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": DATA_KEY}}
    assert packaged.resources["APIHandler"]["Properties"]["Environment"]["Variables"]["PORTAL_DOCUMENTS_KMS_KEY"] == DATA_KEY


def test_the_frontend_bucket_is_read_only_by_this_distribution(packaged: Packaged) -> None:
    [reads] = [s for s in policy_of(packaged, "FrontendBucket") if s["Effect"] == "Allow"]
    assert reads["Principal"] == {"Service": "cloudfront.amazonaws.com"} and reads["Action"] == "s3:GetObject"
    assert "${Distribution}" in reads["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]


# ------------------------------------------------------------------------------------------------ the CDN


def test_the_cdn_serves_the_page_with_its_headers_and_the_api_uncached_over_tls(packaged: Packaged) -> None:
    config = packaged.resources["Distribution"]["Properties"]["DistributionConfig"]
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    assert origins["frontend"]["OriginAccessControlId"] == {"Fn::GetAtt": ["FrontendOriginAccess", "Id"]}
    assert origins["api"]["OriginPath"] == "/api"
    assert origins["api"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    # The API believes CloudFront-Viewer-Address only with this header, whose value is the secret its role may read
    [verify] = origins["api"]["OriginCustomHeaders"]
    assert verify["HeaderName"] == "x-portal-origin-verify"
    assert verify["HeaderValue"] == {"Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}"}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    [pay, api] = config["CacheBehaviors"]
    assert (pay["PathPattern"], pay["TargetOriginId"]) == ("/o/*/app/pay/*", "frontend")
    assert pay["ResponseHeadersPolicyId"] == {"Ref": "PaymentPageHeadersPolicy"}
    assert (api["PathPattern"], api["TargetOriginId"], api["ViewerProtocolPolicy"]) == ("/api/*", "api", "https-only")
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert config["Logging"]["IncludeCookies"] is False


def test_the_page_gets_the_local_stacks_csp_plus_the_upload_bucket(packaged: Packaged) -> None:
    policy = packaged.resources["PageHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = policy["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    assert csp == page_csp()["Fn::Sub"]
    local = dict(d.strip().split(" ", 1) for d in PAGE_CSP.split(";") if d.strip())
    deployed = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert {k: v for k, v in deployed.items() if k != "connect-src"} == {k: v for k, v in local.items() if k != "connect-src"}
    assert deployed["connect-src"].startswith(local["connect-src"] + " https://${DocumentsBucket}")
    assert policy["FrameOptions"]["FrameOption"] == "DENY" and policy["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000


def test_only_the_payment_page_may_load_stripe(packaged: Packaged) -> None:
    def csp_of(policy: str) -> dict[str, str]:
        config = packaged.resources[policy]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
        text = config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
        return dict(d.strip().split(" ", 1) for d in text.split(";") if d.strip())

    page, pay = csp_of("PageHeadersPolicy"), csp_of("PaymentPageHeadersPolicy")
    assert "stripe" not in " ".join(page.values())
    assert pay["script-src"] == page["script-src"] + " https://js.stripe.com"
    assert pay["connect-src"] == page["connect-src"] + " https://api.stripe.com"
    assert pay["frame-src"] == page["frame-src"] + " https://js.stripe.com https://hooks.stripe.com"
    assert {k: v for k, v in pay.items() if k not in ("script-src", "connect-src", "frame-src")} == {
        k: v for k, v in page.items() if k not in ("script-src", "connect-src", "frame-src")
    }


# ---------------------------------------------------------------------------------------- least privilege


def test_no_role_allows_every_action_or_an_unnamed_resource(packaged: Packaged) -> None:
    roles = packaged.of_type("AWS::IAM::Role")
    assert roles
    for logical, role in roles.items():
        for statement in statements(role):
            assert not any(a == "*" or a.endswith(":*") for a in actions(statement)), (logical, statement)
            if statement["Resource"] == "*" or "*" in statement["Resource"]:
                assert set(actions(statement)) <= NO_RESOURCE_ACTIONS, (logical, statement)


def test_each_function_touches_only_what_it_needs(packaged: Packaged) -> None:
    api = allowed(packaged, "APIHandler")
    assert {"s3:PutObject", "ses:SendEmail", "secretsmanager:GetSecretValue"} <= api
    for sender in ("OutboxSweep", "OutboxStream"):
        assert "ses:SendEmail" in allowed(packaged, sender)
        assert not any(a.startswith(("s3:", "secretsmanager:")) for a in allowed(packaged, sender))
    for job in ("IntakeReminders", "MailEvents"):
        assert not any(a.startswith(("s3:", "ses:", "secretsmanager:")) for a in allowed(packaged, job))
    for function in packaged.of_type("AWS::Serverless::Function"):
        assert not {"dynamodb:Scan", "dynamodb:DeleteTable", "dynamodb:UpdateTable"} & allowed(packaged, function)


def test_no_function_may_change_or_delete_an_audit_event(packaged: Packaged) -> None:
    audit = [table_logical_id(m) for m in physical_tables() if m.Meta.short_name in APPEND_ONLY]
    for function in packaged.of_type("AWS::Serverless::Function"):
        for statement in statements(role_of(packaged, function)):
            names = json.dumps(statement["Resource"])
            if any(f'"{logical}"' in names or "${" + logical + ".Arn}" in names for logical in audit):
                assert not {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} & set(actions(statement))


def test_mail_is_sent_only_from_the_portals_address(packaged: Packaged) -> None:
    [send] = [s for s in statements(role_of(packaged, "APIHandler")) if "ses:SendEmail" in actions(s)]
    assert send["Condition"] == {"StringEquals": {"ses:FromAddress": {"Fn::Sub": "no-reply@${DomainName}"}}}


# ----------------------------------------------------------------------------------------------- functions


def test_every_function_logs_to_its_own_encrypted_group_with_retention(packaged: Packaged) -> None:
    for logical, function in packaged.of_type("AWS::Serverless::Function").items():
        group = packaged.resources[function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]]["Properties"]
        assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"} and group["KmsKeyId"] == DATA_KEY, logical
        assert function["Properties"]["KmsKeyArn"] == DATA_KEY


def test_every_function_not_behind_the_api_has_a_dead_letter_queue_and_alarms(packaged: Packaged) -> None:
    alarms = packaged.of_type("AWS::CloudWatch::Alarm")
    for logical, function in packaged.of_type("AWS::Serverless::Function").items():
        assert f"{logical}ErrorsAlarm" in alarms and f"{logical}ThrottlesAlarm" in alarms
        if logical == "APIHandler":
            continue
        queue = function["Properties"]["DeadLetterQueue"]["TargetArn"]["Fn::GetAtt"][0]
        assert packaged.resources[queue]["Properties"]["KmsMasterKeyId"] == DATA_KEY
        assert f"{logical}DeadLettersAlarm" in alarms


def test_the_stream_function_reads_the_outbox_tables_real_stream(packaged: Packaged) -> None:
    [event] = packaged.resources["OutboxStream"]["Properties"]["Events"].values()
    assert event["Properties"]["Stream"] == {"Fn::GetAtt": ["OutboxTable", "StreamArn"]}
    assert event["Properties"]["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["OutboxStreamDeadLetters", "Arn"]}


def test_ses_reports_bounces_and_complaints_to_the_mail_events_function(packaged: Packaged) -> None:
    destination = packaged.resources["MailEventDestination"]["Properties"]["EventDestination"]
    assert sorted(destination["MatchingEventTypes"]) == ["bounce", "complaint"]
    assert destination["SnsDestination"]["TopicARN"] == {"Ref": "MailEventsTopic"}
    [event] = packaged.resources["MailEvents"]["Properties"]["Events"].values()
    assert event["Properties"]["Topic"] == {"Fn::Sub": ["${Topic}", {"Topic": {"Ref": "MailEventsTopic"}}]}
    variables = packaged.resources["OutboxSweep"]["Properties"]["Environment"]["Variables"]
    assert variables["PORTAL_MAIL_CONFIGURATION_SET"] == {"Ref": "MailConfigurationSet"}


def test_secrets_are_named_never_given(packaged: Packaged) -> None:
    for logical, function in packaged.of_type("AWS::Serverless::Function").items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert "PORTAL_SIGNING_KEY" not in variables and "PORTAL_PROVISIONING_KEY" not in variables, logical
        assert variables["PORTAL_SIGNING_KEY_SECRET"] == {"Ref": "SigningKeySecret"}
    for secret in packaged.of_type("AWS::SecretsManager::Secret").values():
        assert "SecretString" not in secret["Properties"] and "GenerateSecretString" in secret["Properties"]


def test_the_api_function_has_the_font_and_pdf_layers(packaged: Packaged) -> None:
    assert packaged.resources["APIHandler"]["Properties"]["Layers"] == [{"Ref": "FontLayer"}, {"Ref": "PdfLayer"}]
    assert packaged.resources["FontLayer"]["Properties"]["ContentUri"] == "./font-layer.zip"
    assert packaged.resources["PdfLayer"]["Properties"]["ContentUri"] == "./pdf-layer.zip"


def test_the_api_logs_access_traces_and_throttles(packaged: Packaged) -> None:
    api = packaged.resources["RestAPI"]["Properties"]
    assert api["TracingEnabled"] is True and api["EndpointConfiguration"] == "REGIONAL"
    fields = json.loads(api["AccessLogSetting"]["Format"])
    assert fields["route"] == "$context.resourcePath" and "$context.path" not in fields.values()  # route templates, never ids
    assert api["MethodSettings"][0]["ThrottlingRateLimit"] > 0 and api["MethodSettings"][0]["DataTraceEnabled"] is False
