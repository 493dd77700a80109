"""The functions `chalice package` creates, found in the app itself, and what the merge template adds to each:
its own log group, a dead-letter queue and alarms (for everything not behind API Gateway), and a least-privilege
role policy. A new ``@app.schedule`` (or stream, or SNS handler) gets all of that without editing this file; it
gets only the default permissions (every table, its log group, its queue) until ``NEEDS`` names more.
docs/operations.md, "Adding a function", says the same for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalice.utils import to_cfn_resource_name

from chalicelib.tables.audit import SHORT_NAME as AUDIT_TABLE
from chalicelib.tables.base import PortalModel
from chalicelib.tables.registry import physical_tables

API_HANDLER = "api_handler"
JOB_TIMEOUT_SECONDS = 60  # jobs stop themselves after 50 s (chalicelib/jobs.py); the limit leaves room to finish
READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"]
WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
# The audit trail is append-only: no function may change or delete an event (HIPAA audit controls).
APPEND_ONLY = frozenset({AUDIT_TABLE})
KEY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:DescribeKey"]


@dataclass(frozen=True)
class Needs:
    """What a function may touch beyond the defaults (every table's data, its own log group and dead-letter queue)."""

    documents: bool = False  # the documents bucket (objects under orgs/)
    mail: bool = False  # SES SendEmail from the portal's identity, through its configuration set
    secrets: tuple[str, ...] = ()  # logical ids of Secrets Manager secrets it reads
    payments_key: bool = False  # encrypt/decrypt practices' Stripe keys, with the practice as encryption context


NEEDS: dict[str, Needs] = {
    API_HANDLER: Needs(
        documents=True, mail=True, secrets=("SigningKeySecret", "ProvisioningKeySecret", "OriginVerifySecret"), payments_key=True
    ),
    # The outbox delivers mail: from the table's stream within seconds, and every minute for what is due or retried.
    "outbox_sweep": Needs(mail=True),
    "outbox_stream": Needs(mail=True),
}


@dataclass(frozen=True)
class Function:
    """One Lambda function of the app as `chalice package` names it."""

    name: str  # the name in app.py (``api_handler`` for the API)
    kind: str  # "api" | "schedule" | "stream" | "sns"
    event: str | None = None  # the SAM event's key in the function's Events
    table: type[PortalModel] | None = None  # the table whose stream invokes it
    topic: str | None = None  # the SNS topic's logical id
    needs: Needs = field(default_factory=Needs)

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.kind == "api" else to_cfn_resource_name(self.name)

    @property
    def role(self) -> str:
        return to_cfn_resource_name(f"{self.name}_role")

    @property
    def log_group(self) -> str:
        return f"{self.logical_id}LogGroup"

    @property
    def queue(self) -> str | None:
        return None if self.kind == "api" else f"{self.logical_id}DeadLetters"


def functions(app: Any) -> list[Function]:
    """Every function of the app: the API handler (if there are routes) and one per event source."""
    found = [Function(API_HANDLER, "api", needs=NEEDS.get(API_HANDLER, Needs()))] if app.routes else []
    for source in app.event_sources:
        found.append(_event_function(source))
    if app.pure_lambda_functions:
        raise NotImplementedError("plain @app.lambda_function handlers: give them a kind in scripts/deploy_functions.py")
    return found


def _event_function(source: Any) -> Function:
    kind = type(source).__name__
    needs = NEEDS.get(source.name, Needs())
    resource = to_cfn_resource_name(source.name)
    if kind == "ScheduledEventConfig":
        return Function(source.name, "schedule", event=f"{resource}Event", needs=needs)
    if kind == "DynamoDBEventConfig":
        return Function(source.name, "stream", event=f"{resource}DynamodbEventSource", table=stream_table(source.stream_arn), needs=needs)
    if kind == "SNSEventConfig":
        return Function(source.name, "sns", event=f"{resource}SnsSubscription", topic=topic_logical_id(source.topic), needs=needs)
    raise NotImplementedError(f"{source.name}: {kind} event sources are not in the template yet (scripts/deploy_functions.py)")


def table_logical_id(model: type[PortalModel]) -> str:
    return to_cfn_resource_name(model.Meta.short_name) + "Table"


def stream_table(placeholder_arn: str) -> type[PortalModel]:
    """The table a stream handler reads, from its decorator's placeholder ARN (``.../table/portal-outbox/stream/unset``:
    the ``outbox`` table). The template replaces the placeholder with the real stream ARN."""
    table = placeholder_arn.split(":table/", 1)[-1].split("/", 1)[0]
    short_name = table.split("-", 1)[1] if "-" in table else table
    for model in physical_tables():
        if model.Meta.short_name == short_name:
            if not getattr(model.Meta, "stream_view_type", None):
                raise ValueError(f"{placeholder_arn}: the {short_name} table declares no Meta.stream_view_type")
            return model
    raise ValueError(f"{placeholder_arn}: no table named {short_name!r} in chalicelib/tables/registry.py")


def topic_logical_id(topic: str) -> str:
    """``portal-mail-events`` → ``MailEventsTopic`` (the stack creates the topic, named after the stack)."""
    return to_cfn_resource_name(topic.removeprefix("portal-")) + "Topic"


def topic_name(topic_logical: str) -> str:
    words = topic_logical.removesuffix("Topic")
    return "".join("-" + c.lower() if c.isupper() else c for c in words).lstrip("-")


# --------------------------------------------------------------------------------------------------- policies


def _table_statements() -> list[dict[str, Any]]:
    statements = []
    for model in physical_tables():
        logical = table_logical_id(model)
        indexes = [index.Meta.index_name for index in model._indexes.values()]
        resources: list[Any] = [{"Fn::GetAtt": [logical, "Arn"]}]
        resources += [{"Fn::Sub": "${" + logical + ".Arn}/index/" + name} for name in sorted(indexes)]
        actions = [*READ, "dynamodb:PutItem"] if model.Meta.short_name in APPEND_ONLY else READ + WRITE
        statements.append({"Sid": logical, "Effect": "Allow", "Action": actions, "Resource": resources})
    return statements


def _via(services: list[str]) -> dict[str, Any]:
    return {"StringEquals": {"kms:ViaService": [{"Fn::Sub": service + ".${AWS::Region}.amazonaws.com"} for service in services]}}


def role_policy(function: Function) -> dict[str, Any]:
    """The one inline policy of a function's role: named resources only (ListStreams names none)."""
    needs = function.needs
    statements: list[dict[str, Any]] = [
        {
            "Sid": "OwnLogGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": [function.log_group, "Arn"]},
        },
        *_table_statements(),
    ]
    services = ["dynamodb", "lambda"]
    if function.queue:
        statements.append(
            {"Sid": "DeadLetters", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": {"Fn::GetAtt": [function.queue, "Arn"]}}
        )
        services.append("sqs")
    if function.table is not None:
        stream = {"Fn::GetAtt": [table_logical_id(function.table), "StreamArn"]}
        statements.append(
            {
                "Sid": "ReadStream",
                "Effect": "Allow",
                "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                "Resource": stream,
            }
        )
        statements.append({"Sid": "ListStreams", "Effect": "Allow", "Action": ["dynamodb:ListStreams"], "Resource": "*"})
    if needs.documents:
        statements += _documents_statements()
        services.append("s3")
    if needs.mail:
        statements.append(_mail_statement())
    if needs.secrets:
        statements.append(
            {
                "Sid": "ReadSecrets",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": [{"Ref": s} for s in needs.secrets],
            }
        )
        services.append("secretsmanager")
    if needs.payments_key:
        statements.append(
            {
                "Sid": "PracticeSecrets",
                "Effect": "Allow",
                "Action": ["kms:Encrypt", "kms:Decrypt"],
                "Resource": {"Fn::GetAtt": ["PaymentsKey", "Arn"]},
                "Condition": {"Null": {"kms:EncryptionContext:org": "false"}},
            }
        )
    statements.append(
        {
            "Sid": "DataKey",
            "Effect": "Allow",
            "Action": KEY_USE,
            "Resource": {"Fn::GetAtt": ["DataKey", "Arn"]},
            "Condition": _via(services),
        }
    )
    return {"PolicyName": f"{function.logical_id}Access", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}


def _documents_statements() -> list[dict[str, Any]]:
    return [
        # Object keys all start with orgs/ (chalicelib/adapters/object_keys.py).
        {
            "Sid": "Documents",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": {"Fn::Sub": "${DocumentsBucket.Arn}/orgs/*"},
        },
        # Without ListBucket, S3 answers 403 instead of 404 for a missing object (an upload that never arrived).
        {"Sid": "DocumentsList", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": {"Fn::GetAtt": ["DocumentsBucket", "Arn"]}},
    ]


def _mail_statement() -> dict[str, Any]:
    return {
        "Sid": "SendMail",
        "Effect": "Allow",
        "Action": ["ses:SendEmail"],
        "Resource": [
            {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${DomainName}"},
            {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${MailConfigurationSet}"},
        ],
        "Condition": {"StringEquals": {"ses:FromAddress": {"Fn::Sub": "no-reply@${DomainName}"}}},
    }


# ------------------------------------------------------------------------------------------ per-function resources


def function_resources(function: Function, environment: dict[str, Any]) -> dict[str, Any]:
    """What the merge template adds to (and around) one function `chalice package` created."""
    resources: dict[str, Any] = {
        function.log_group: {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": {"Fn::Sub": "/aws/lambda/${AWS::StackName}-" + function.name.replace("_", "-")},
                "RetentionInDays": {"Ref": "LogRetentionDays"},
                "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]},
            },
        },
        function.role: {
            "Properties": {
                "Policies": [role_policy(function)],
                # X-Ray's write actions take no resource: AWS's managed policy rather than a "*" of our own.
                "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess"}],
            },
        },
        function.logical_id: {"Properties": _function_properties(function, environment)},
    }
    if function.queue:
        resources[function.queue] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {"KmsMasterKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}, "MessageRetentionPeriod": 14 * 24 * 3600},
        }
    resources.update(alarms(function))
    return resources


def _function_properties(function: Function, environment: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "Environment": {"Variables": environment},
        "KmsKeyArn": {"Fn::GetAtt": ["DataKey", "Arn"]},
        "LoggingConfig": {"LogGroup": {"Ref": function.log_group}, "LogFormat": "Text"},
    }
    if function.kind == "api":
        # Signed PDFs: Arabic, Hebrew and CJK fonts under /opt/fonts; the PDF libraries under /opt/python.
        properties["Layers"] = [{"Ref": "FontLayer"}, {"Ref": "PdfLayer"}]
        return properties
    properties["Timeout"] = JOB_TIMEOUT_SECONDS
    properties["DeadLetterQueue"] = {"Type": "SQS", "TargetArn": {"Fn::GetAtt": [function.queue, "Arn"]}}
    if function.kind == "stream" and function.table is not None:
        properties["Events"] = {function.event: {"Properties": _stream_event(function)}}
    if function.kind == "sns":
        # `chalice package` writes the topic as {"Fn::Sub": "arn:...:portal-mail-events"}, and the merge is key by key:
        # the same key, whose value refers to the stack's own topic.
        topic = {"Fn::Sub": ["${Topic}", {"Topic": {"Ref": function.topic}}]}
        properties["Events"] = {function.event: {"Properties": {"Topic": topic}}}
    return properties


def _stream_event(function: Function) -> dict[str, Any]:
    assert function.table is not None and function.queue is not None
    return {
        "Stream": {"Fn::GetAtt": [table_logical_id(function.table), "StreamArn"]},
        # A batch that keeps failing is split to find the bad record, then recorded in the queue (the sweep delivers
        # whatever the stream gave up on).
        "MaximumRetryAttempts": 3,
        "BisectBatchOnFunctionError": True,
        "MaximumRecordAgeInSeconds": 3600,
        "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": [function.queue, "Arn"]}}},
    }


# ---------------------------------------------------------------------------------------------------- alarms


def alarm(name: str, description: str, namespace: str, metric: str, dimensions: dict[str, Any], **settings: Any) -> dict[str, Any]:
    properties = {
        "AlarmDescription": description,
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": [{"Name": key, "Value": value} for key, value in dimensions.items()],
        "Statistic": settings.get("statistic", "Sum"),
        "Period": settings.get("period", 300),
        "EvaluationPeriods": settings.get("periods", 1),
        "Threshold": settings.get("threshold", 1),
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [{"Ref": "AlarmTopic"}],
        "OKActions": [{"Ref": "AlarmTopic"}],
    }
    return {name: {"Type": "AWS::CloudWatch::Alarm", "Properties": properties}}


def alarms(function: Function) -> dict[str, Any]:
    fn = {"FunctionName": {"Ref": function.logical_id}}
    found: dict[str, Any] = {}
    if function.kind == "api":
        found.update(
            alarm(
                f"{function.logical_id}ErrorsAlarm",
                "The API function failed (unhandled errors, timeouts) 5+ times in 5 minutes",
                "AWS/Lambda",
                "Errors",
                fn,
                threshold=5,
            )
        )
    else:
        found.update(alarm(f"{function.logical_id}ErrorsAlarm", f"{function.name} failed", "AWS/Lambda", "Errors", fn))
    found.update(
        alarm(
            f"{function.logical_id}ThrottlesAlarm",
            f"{function.name} was throttled: the account's concurrency is used up",
            "AWS/Lambda",
            "Throttles",
            fn,
        )
    )
    if function.queue:
        found.update(
            alarm(
                f"{function.logical_id}DeadLettersAlarm",
                f"{function.name} gave up on an event (see its dead-letter queue)",
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                {"QueueName": {"Fn::GetAtt": [function.queue, "QueueName"]}},
                statistic="Maximum",
            )
        )
    if function.kind == "stream":
        found.update(
            alarm(
                f"{function.logical_id}IteratorAgeAlarm",
                f"{function.name} is more than 5 minutes behind its stream",
                "AWS/Lambda",
                "IteratorAge",
                fn,
                statistic="Maximum",
                period=60,
                periods=5,
                threshold=300_000,
            )
        )
    return found
