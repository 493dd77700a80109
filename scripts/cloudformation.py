"""Print the CloudFormation merge template for `chalice package --merge-template .chalice/resources.json`.

Everything `chalice package` does not make is generated here, from the code the app runs: every table from the
PynamoDB models (the same definitions the local stack and the tests create in moto), every function's log group,
dead-letter queue, alarms and least-privilege role from the app's own declarations (scripts/deploy_functions.py),
the CDN and mail set-up (scripts/deploy_edge.py), the KMS keys, buckets and secrets. A table, a schedule or a stream
added to the code reaches the template with `make cloudformation`; tests/unit/test_cloudformation.py fails until
the committed file is regenerated. Checks skipped on purpose are named, with their reasons, in
.chalice/checkov-skips.json and written into the resources' metadata here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pynamodb.attributes import TTLAttribute

from chalicelib.tables.base import PortalModel
from chalicelib.tables.registry import physical_tables, table_models
from scripts.deploy_edge import cdn, mail, tls_only
from scripts.deploy_functions import Function, alarm, function_resources, functions, table_logical_id, topic_name

ROOT = Path(__file__).resolve().parent.parent
SKIPS = ROOT / ".chalice" / "checkov-skips.json"
LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
# Point-in-time recovery reaches back 35 days; old versions of documents are kept as long, so a restore to any point
# in that window finds the documents its records name (docs/operations.md, "Backups and restore drills").
RECOVERY_DAYS = 35
API_THROTTLE = {"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100}

# --------------------------------------------------------------------------------------------------- tables


def _keys(key_schema: Any) -> list[dict[str, str]]:
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in key_schema]


def _models_of(short_name: str) -> list[type[PortalModel]]:
    return [model for model in table_models() if model.Meta.short_name == short_name]


def _table_shape(short_name: str) -> tuple[dict[str, str], dict[str, Any], set[str], str | None]:
    """Attribute types, indexes, TTL attributes and stream of one physical table, over every model stored in it."""
    types: dict[str, str] = {}
    indexes: dict[str, Any] = {}
    ttl: set[str] = set()
    stream = None
    for model in _models_of(short_name):
        schema = model._get_schema()
        for definition in schema["attribute_definitions"]:
            types[definition["AttributeName"]] = definition["AttributeType"]
        for index in schema["global_secondary_indexes"]:
            for definition in index.get("attribute_definitions", []):
                types[definition["AttributeName"]] = definition["AttributeType"]
            shape = {
                "IndexName": index["index_name"],
                "KeySchema": _keys(index["key_schema"]),
                "Projection": {"ProjectionType": index["projection"]["ProjectionType"]},
            }
            if indexes.setdefault(index["index_name"], shape) != shape:
                raise ValueError(f"{short_name}: two models declare the index {index['index_name']} differently")
        ttl |= {attribute.attr_name for attribute in model.get_attributes().values() if isinstance(attribute, TTLAttribute)}
        stream = stream or getattr(model.Meta, "stream_view_type", None)
    return types, indexes, ttl, stream


def table_resource(model: type[PortalModel]) -> dict[str, Any]:
    short_name = model.Meta.short_name
    types, indexes, ttl, stream = _table_shape(short_name)
    if len(ttl) > 1:
        raise ValueError(f"{short_name}: a table has one TTL attribute, the models name {sorted(ttl)}")
    properties: dict[str, Any] = {
        "TableName": {"Fn::Sub": "${AWS::StackName}-" + short_name},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": kind} for name, kind in sorted(types.items())],
        "KeySchema": _keys(model._get_schema()["key_schema"]),
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "DeletionProtectionEnabled": True,
    }
    if indexes:
        properties["GlobalSecondaryIndexes"] = [indexes[name] for name in sorted(indexes)]
    if stream:
        properties["StreamSpecification"] = {"StreamViewType": stream}
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl.pop(), "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties}


def tables() -> dict[str, Any]:
    return {table_logical_id(model): table_resource(model) for model in physical_tables()}


# ----------------------------------------------------------------------------------------- keys and secrets


def _key(description: str, extra_statements: list[dict[str, Any]]) -> dict[str, Any]:
    administer = {
        "Sid": "AccountAdministers",
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
        "Action": "kms:*",
        "Resource": "*",
    }
    return {
        "Type": "AWS::KMS::Key",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "Description": description,
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": [administer, *extra_statements]},
        },
    }


def keys_and_secrets() -> dict[str, Any]:
    same_account = {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    logs = {
        "Sid": "LogsEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"}
            }
        },
    }
    # SES (bounces) and CloudWatch (alarms) publish to the encrypted topics.
    topics = {
        "Sid": "PublishersToEncryptedTopics",
        "Effect": "Allow",
        "Principal": {"Service": ["ses.amazonaws.com", "cloudwatch.amazonaws.com"]},
        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
        "Resource": "*",
        "Condition": same_account,
    }
    secret = {"PasswordLength": 64, "ExcludePunctuation": True}
    return {
        # Tables, documents, queues, topics, logs, secrets and the functions' environment.
        "DataKey": _key("Client portal: data at rest", [logs, topics]),
        "DataKeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": {"Fn::Sub": "alias/${AWS::StackName}-data"}, "TargetKeyId": {"Ref": "DataKey"}},
        },
        # Each practice's Stripe keys, with the practice as encryption context; only the API's role may use it.
        "PaymentsKey": _key("Client portal: each practice's Stripe keys", []),
        "PaymentsKeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": {"Fn::Sub": "alias/${AWS::StackName}-payments"}, "TargetKeyId": {"Ref": "PaymentsKey"}},
        },
        # Generated by Secrets Manager: the values never pass through the template, the environment or a log.
        "SigningKeySecret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}/signing-key"},
                "Description": "HMAC key for page cursors",
                "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]},
                "GenerateSecretString": secret,
            },
        },
        # CloudFront sends it to the API with every request: the proof that a CloudFront-Viewer-Address is CloudFront's.
        "OriginVerifySecret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}/origin-verify"},
                "Description": "Header value CloudFront adds to API requests",
                "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]},
                "GenerateSecretString": secret,
            },
        },
        "ProvisioningKeySecret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}/provisioning-key"},
                "Description": "Operator key for POST /api/organizations",
                "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]},
                "GenerateSecretString": secret,
            },
        },
    }


# --------------------------------------------------------------------------------------------------- buckets

_PRIVATE = {"BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}


def _bucket(
    encryption: dict[str, Any], ownership: str, logs_prefix: str | None, rules: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
        "PublicAccessBlockConfiguration": _PRIVATE,
        "VersioningConfiguration": {"Status": "Enabled"},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": ownership}]},
        "LifecycleConfiguration": {"Rules": rules},
        **extra,
    }
    if logs_prefix:
        properties["LoggingConfiguration"] = {"DestinationBucketName": {"Ref": "LogBucket"}, "LogFilePrefix": logs_prefix}
    return {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": properties}


def _old_versions(days: int) -> dict[str, Any]:
    return {
        "Id": "old-versions",
        "Status": "Enabled",
        "NoncurrentVersionExpiration": {"NoncurrentDays": days},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
        "ExpiredObjectDeleteMarker": True,
    }


def buckets() -> dict[str, Any]:
    s3_managed = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    cmk = {
        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]}},
        "BucketKeyEnabled": True,
    }
    expire_logs = {"Id": "expire-logs", "Status": "Enabled", "ExpirationInDays": {"Ref": "LogRetentionDays"}}
    # Browsers post uploads straight to the bucket with a presigned policy (chalicelib/adapters/storage.py).
    cors = {
        "CorsRules": [
            {
                "AllowedOrigins": [{"Fn::Sub": "https://${DomainName}"}],
                "AllowedMethods": ["POST"],
                "AllowedHeaders": ["*"],
                "ExposedHeaders": ["ETag"],
                "MaxAge": 300,
            }
        ]
    }
    own_key_only = {
        "Sid": "OwnKeyOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": {"Fn::Sub": "${DocumentsBucket.Arn}/*"},
        "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": {"Fn::GetAtt": ["DataKey", "Arn"]}}},
    }
    access_logs = {
        "Sid": "S3ServerAccessLogs",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": {"Fn::Sub": "${LogBucket.Arn}/access/*"},
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    }
    return {
        # Server access logs can only land in an SSE-S3 bucket; CloudFront's standard logs need ACLs (BucketOwnerPreferred).
        "LogBucket": _bucket(s3_managed, "BucketOwnerPreferred", None, [expire_logs, _old_versions(30)]),
        "DocumentsBucket": _bucket(cmk, "BucketOwnerEnforced", "access/documents/", [_old_versions(RECOVERY_DAYS)], CorsConfiguration=cors),
        "FrontendBucket": _bucket(s3_managed, "BucketOwnerEnforced", "access/frontend/", [_old_versions(30)]),
        "LogBucketPolicy": _bucket_policy("LogBucket", [access_logs]),
        "DocumentsBucketPolicy": _bucket_policy("DocumentsBucket", [own_key_only]),
    }


def _bucket_policy(bucket: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [tls_only(bucket), *statements]},
        },
    }


# ---------------------------------------------------------------------------------------- topics and queues


def _topic(name: str) -> dict[str, Any]:
    return {
        "Type": "AWS::SNS::Topic",
        "Properties": {"TopicName": {"Fn::Sub": "${AWS::StackName}-" + name}, "KmsMasterKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}},
    }


def _topic_policy(topic: str, publisher: str) -> dict[str, Any]:
    statements = [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": {"Ref": topic},
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "Publisher",
            "Effect": "Allow",
            "Principal": {"Service": publisher},
            "Action": "sns:Publish",
            "Resource": {"Ref": topic},
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        },
    ]
    return {
        "Type": "AWS::SNS::TopicPolicy",
        "Properties": {"Topics": [{"Ref": topic}], "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}},
    }


def topics_and_queues(found: list[Function]) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "AlarmTopic": _topic("alarms"),
        "AlarmTopicPolicy": _topic_policy("AlarmTopic", "cloudwatch.amazonaws.com"),
        "AlarmEmailSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasAlarmEmail",
            "Properties": {"TopicArn": {"Ref": "AlarmTopic"}, "Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}},
        },
    }
    for function in found:
        if function.topic:
            # SNS topics the app subscribes to; only SES publishes (mail events).
            resources[function.topic] = _topic(topic_name(function.topic))
            resources[f"{function.topic}Policy"] = _topic_policy(function.topic, "ses.amazonaws.com")
    queues = [{"Ref": f.queue} for f in found if f.queue]
    if queues:
        tls = {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sqs:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
        resources["DeadLetterQueuesPolicy"] = {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {"Queues": queues, "PolicyDocument": {"Version": "2012-10-17", "Statement": [tls]}},
        }
    return resources


# ------------------------------------------------------------------------------------------------ the API


def _problem(kind: str, title: str, status: int) -> str:
    body = {"type": kind, "title": title, "status": status, "detail": title, "request_id": "$context.requestId"}
    return json.dumps(body)


def gateway_responses() -> dict[str, Any]:
    """Answers API Gateway gives itself (an unknown path, a throttle, a gateway error) in the app's problem+json
    shape and with no-store, instead of the gateway's own JSON. They live in the API's definition: separate
    GatewayResponse resources would be wiped whenever the definition is put again."""
    headers = {
        "gatewayresponse.header.Cache-Control": "'no-store'",
        "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
    }
    answers = {
        "MISSING_AUTHENTICATION_TOKEN": (404, _problem("/problems/not-found", "Not found", 404)),
        "DEFAULT_4XX": (None, _problem("/problems/malformed-request", "The request could not be read", 400)),
        "DEFAULT_5XX": (None, _problem("/problems/internal", "Something went wrong on our side", 500)),
    }
    responses: dict[str, Any] = {}
    for response_type, (status, body) in answers.items():
        response: dict[str, Any] = {
            "responseParameters": headers,
            "responseTemplates": {"application/json": body, "application/problem+json": body},
        }
        if status:
            response["statusCode"] = status
        responses[response_type] = response
    return responses


ACCESS_LOG_FORMAT = json.dumps(
    # Route templates, never paths (they hold ids) or query strings; no bodies.
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "time": "$context.requestTime",
        "method": "$context.httpMethod",
        "route": "$context.resourcePath",
        "status": "$context.status",
        "bytes": "$context.responseLength",
        "latencyMs": "$context.responseLatency",
        "integrationMs": "$context.integrationLatency",
        "error": "$context.error.responseType",
    },
    separators=(",", ":"),
)


def api() -> dict[str, Any]:
    resources = {
        # API Gateway writes access logs through one account-wide role (AWS::ApiGateway::Account).
        "ApiGatewayLogsRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}],
                },
                "ManagedPolicyArns": [
                    {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"}
                ],
            },
        },
        "ApiGatewayAccount": {
            "Type": "AWS::ApiGateway::Account",
            "Properties": {"CloudWatchRoleArn": {"Fn::GetAtt": ["ApiGatewayLogsRole", "Arn"]}},
        },
        "ApiAccessLogGroup": {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": {"Fn::Sub": "/aws/apigateway/${AWS::StackName}-access"},
                "RetentionInDays": {"Ref": "LogRetentionDays"},
                "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]},
            },
        },
        "RestAPI": {
            "DependsOn": ["ApiGatewayAccount"],
            "Properties": {
                "Name": {"Ref": "AWS::StackName"},  # the API's name in the console and its metrics' ApiName
                "DefinitionBody": {"x-amazon-apigateway-gateway-responses": gateway_responses()},
                "TracingEnabled": True,
                "AccessLogSetting": {"DestinationArn": {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}, "Format": ACCESS_LOG_FORMAT},
                "MethodSettings": [
                    {
                        "ResourcePath": "/*",
                        "HttpMethod": "*",
                        "MetricsEnabled": True,
                        "DataTraceEnabled": False,
                        "LoggingLevel": "OFF",
                        **API_THROTTLE,
                    }
                ],
            },
        },
        "FontLayer": {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "LayerName": {"Fn::Sub": "${AWS::StackName}-fonts"},
                "Description": "Noto Sans Arabic, Hebrew and CJK for signed PDFs (scripts/build_font_layer.py)",
                "ContentUri": "./font-layer.zip",
                "CompatibleRuntimes": ["python3.11"],
                "RetentionPolicy": "Delete",
            },
        },
        "PdfLayer": {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "LayerName": {"Fn::Sub": "${AWS::StackName}-pdf"},
                "Description": "fpdf2, fontTools, uharfbuzz and Pillow for signed PDFs (scripts/build_pdf_layer.py)",
                "ContentUri": "./pdf-layer.zip",
                "CompatibleRuntimes": ["python3.11"],
                "RetentionPolicy": "Delete",
            },
        },
    }
    resources.update(
        alarm(
            "ApiServerErrorsAlarm",
            "API Gateway answered 5xx 5+ times in 5 minutes",
            "AWS/ApiGateway",
            "5XXError",
            {"ApiName": {"Ref": "AWS::StackName"}, "Stage": "api"},
            threshold=5,
        )
    )
    return resources


def mail_alarms() -> dict[str, Any]:
    # SES reviews an account at a 5% bounce rate or a 0.1% complaint rate, and may pause sending at 10% / 0.5%.
    found = alarm(
        "MailBounceRateAlarm",
        "SES bounce rate at 5%: check addresses before SES pauses sending",
        "AWS/SES",
        "Reputation.BounceRate",
        {},
        statistic="Maximum",
        period=3600,
        threshold=0.05,
    )
    found.update(
        alarm(
            "MailComplaintRateAlarm",
            "SES complaint rate at 0.1%",
            "AWS/SES",
            "Reputation.ComplaintRate",
            {},
            statistic="Maximum",
            period=3600,
            threshold=0.001,
        )
    )
    return found


# ---------------------------------------------------------------------------------------------- the template


def environment() -> dict[str, Any]:
    """Every function's settings from the stack (chalicelib/config.py reads them): names and ARNs, never a secret."""
    return {
        "PORTAL_TABLE_PREFIX": {"Ref": "AWS::StackName"},
        "PORTAL_BUCKET": {"Ref": "DocumentsBucket"},
        "PORTAL_DOCUMENTS_KMS_KEY": {"Fn::GetAtt": ["DataKey", "Arn"]},
        "PORTAL_PUBLIC_BASE_URL": {"Fn::Sub": "https://${DomainName}"},
        "PORTAL_MAIL_SENDER": {"Fn::Sub": "no-reply@${DomainName}"},
        "PORTAL_MAIL_CONFIGURATION_SET": {"Ref": "MailConfigurationSet"},
        "PORTAL_SIGNING_KEY_SECRET": {"Ref": "SigningKeySecret"},
        "PORTAL_PROVISIONING_KEY_SECRET": {"Ref": "ProvisioningKeySecret"},
        "PORTAL_ORIGIN_VERIFY_SECRET": {"Ref": "OriginVerifySecret"},
        "PORTAL_PAYMENTS_KMS_KEY": {"Fn::GetAtt": ["PaymentsKey", "Arn"]},
    }


def parameters() -> dict[str, Any]:
    return {
        "DomainName": {
            "Type": "String",
            "Description": "The portal's host name, e.g. portal.example.org; mail is sent from no-reply@ it",
            "AllowedPattern": "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$",
        },
        "CertificateArn": {
            "Type": "String",
            "Description": "ACM certificate for DomainName, in us-east-1 (CloudFront)",
            "AllowedPattern": "^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]+$",
        },
        "HostedZoneId": {
            "Type": "String",
            "Default": "",
            "Description": "Route 53 zone of DomainName: the stack adds the alias and DKIM records",
        },
        "AlarmEmail": {"Type": "String", "Default": "", "Description": "Where alarms are mailed (confirm the subscription mail)"},
        "WebAclArn": {"Type": "String", "Default": "", "Description": "Optional AWS WAF web ACL (scope CLOUDFRONT, us-east-1)"},
        "LogRetentionDays": {"Type": "Number", "Default": 365, "AllowedValues": LOG_RETENTION_DAYS, "Description": "Days logs are kept"},
    }


def conditions() -> dict[str, Any]:
    def given(name: str) -> dict[str, Any]:
        return {"Fn::Not": [{"Fn::Equals": [{"Ref": name}, ""]}]}

    return {"HasHostedZone": given("HostedZoneId"), "HasAlarmEmail": given("AlarmEmail"), "HasWebAcl": given("WebAclArn")}


def outputs() -> dict[str, Any]:
    out: dict[str, Any] = {
        "PortalUrl": {"Value": {"Fn::Sub": "https://${DomainName}"}},
        "DistributionId": {"Value": {"Ref": "Distribution"}},
        "DistributionDomainName": {"Value": {"Fn::GetAtt": ["Distribution", "DomainName"]}, "Description": "CNAME DomainName to this"},
        "FrontendBucketName": {"Value": {"Ref": "FrontendBucket"}},
        "DocumentsBucketName": {"Value": {"Ref": "DocumentsBucket"}},
        "ProvisioningKeySecret": {"Value": {"Ref": "ProvisioningKeySecret"}},
        "SigningKeySecret": {"Value": {"Ref": "SigningKeySecret"}},
        "AlarmTopicArn": {"Value": {"Ref": "AlarmTopic"}},
    }
    for n in (1, 2, 3):
        record = {"Fn::Sub": "${MailIdentity.DkimDNSTokenName" + str(n) + "} CNAME ${MailIdentity.DkimDNSTokenValue" + str(n) + "}"}
        out[f"MailDkimRecord{n}"] = {"Value": record}
    return out


def _checkov_skips(types: dict[str, str]) -> dict[str, Any]:
    """Metadata naming each skipped check, with its reason, for every resource it applies to (by logical id or type)."""
    found: dict[str, list[dict[str, str]]] = {}
    for skip in json.loads(SKIPS.read_text())["skips"]:
        for logical, kind in sorted(types.items()):
            if logical in skip["resources"] or kind in skip["resources"]:
                found.setdefault(logical, []).append({"id": skip["check"], "comment": skip["reason"]})
    return {logical: {"Metadata": {"checkov": {"skip": entries}}} for logical, entries in found.items()}


def _types(resources: dict[str, Any], found: list[Function]) -> dict[str, str]:
    types = {logical: resource["Type"] for logical, resource in resources.items() if "Type" in resource}
    for function in found:  # what `chalice package` creates
        types[function.logical_id] = "AWS::Serverless::Function"
        types[function.role] = "AWS::IAM::Role"
    types["RestAPI"] = "AWS::Serverless::Api"
    return types


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def template() -> dict[str, Any]:
    from app import app

    found = functions(app)
    resources: dict[str, Any] = {}
    for part in (keys_and_secrets(), tables(), buckets(), topics_and_queues(found), api(), cdn(), mail(), mail_alarms()):
        resources.update(part)
    for function in found:
        resources.update(function_resources(function, environment()))
    _merge(resources, _checkov_skips(_types(resources, found)))
    return {"Parameters": parameters(), "Conditions": conditions(), "Resources": resources, "Outputs": outputs()}


def main() -> int:
    json.dump(template(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
