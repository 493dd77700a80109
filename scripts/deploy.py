"""Package and deploy a practice's portal into its own AWS account (docs/operations.md, "First deploy").

    python -m scripts.deploy package --stage prod     # build/prod/: sam.json (for review), deployment.zip
    python -m scripts.deploy deploy --stage prod      # package, deploy the stack, publish the frontend, print the URL

`make package STAGE=...` and `make deploy STAGE=...` run these (the latter builds the frontend and the font layer
first). The stage's stack name, region and parameters (domain, certificate, ...) come from .chalice/deploy.json.

Deploying: the function zip and the font layer are uploaded, content-addressed, to an artifact bucket (its own small
stack, ``<stack>-artifacts``); the SAM template `chalice package` wrote is translated to plain CloudFormation here,
with the pinned aws-sam-translator, so the template the tests lint, scan and deploy into the emulator is the one
CloudFormation receives; a change set is created, shown and executed; then frontend/dist is uploaded to the stack's
private frontend bucket (long-lived caching for hashed assets, none for index.html) and the CDN is invalidated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGES = ROOT / ".chalice" / "deploy.json"
MERGE_TEMPLATE = ROOT / ".chalice" / "resources.json"
FONT_LAYER = ROOT / "build" / "font-layer.zip"
PDF_LAYER = ROOT / "build" / "pdf-layer.zip"
# Each layer's zip by the ContentUri the template names (scripts/cloudformation.py).
LAYERS = {"./font-layer.zip": (FONT_LAYER, "font-layer"), "./pdf-layer.zip": (PDF_LAYER, "pdf-layer")}
FRONTEND = ROOT / "frontend" / "dist"
# Values in .chalice/deploy.json that say "fill me in": a deploy refuses to run with them.
PLACEHOLDERS = ("example.org", "111111111111", "00000000-0000-0000-0000-000000000000")
CAPABILITIES = ["CAPABILITY_IAM"]
IMMUTABLE = "public, max-age=31536000, immutable"


class DeployError(RuntimeError):
    pass


@dataclass(frozen=True)
class Stage:
    name: str
    stack: str
    region: str
    parameters: dict[str, str] = field(default_factory=dict)


def load_stage(name: str, overrides: dict[str, str] | None = None, path: Path = STAGES) -> Stage:
    stages = json.loads(path.read_text())
    if name not in stages or name.startswith("_"):
        raise DeployError(f"No stage {name!r} in {path.name}; stages: {', '.join(s for s in stages if not s.startswith('_'))}")
    entry = stages[name]
    return Stage(name, entry["stack"], entry["region"], {**entry.get("parameters", {}), **(overrides or {})})


def check_filled_in(stage: Stage) -> None:
    unfilled = [key for key, value in stage.parameters.items() if any(mark in value for mark in PLACEHOLDERS)]
    for required in ("DomainName", "CertificateArn"):
        if not stage.parameters.get(required):
            unfilled.append(required)
    if unfilled:
        raise DeployError(
            f"Stage {stage.name}: set {', '.join(sorted(set(unfilled)))} in .chalice/deploy.json (or --parameter NAME=VALUE) "
            "before deploying; docs/operations.md, 'First deploy'."
        )


# ------------------------------------------------------------------------------------------------- package


def check_merge_template() -> None:
    from scripts.cloudformation import template

    if json.loads(MERGE_TEMPLATE.read_text()) != template():
        raise DeployError(".chalice/resources.json is not what the code generates: run `make cloudformation` and commit it.")


def package(stage: str, output: Path) -> Path:
    """`chalice package` with the merge template into ``output``; returns the SAM template's path."""
    check_merge_template()
    if output.exists():
        shutil.rmtree(output)
    chalice = Path(sys.executable).with_name("chalice")
    command = [str(chalice), "package", "--stage", stage, "--merge-template", str(MERGE_TEMPLATE), str(output)]
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return output / "sam.json"


def point_at_artifacts(sam: dict[str, Any], code: tuple[str, str], layers: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The SAM template with its local zips replaced by their uploaded copies (``layers`` by each layer's local
    ContentUri)."""
    resources = sam["Resources"]
    for resource in resources.values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = {"Bucket": code[0], "Key": code[1]}
        elif resource["Type"] == "AWS::Serverless::LayerVersion":
            bucket, key = layers[resource["Properties"]["ContentUri"]]
            resource["Properties"]["ContentUri"] = {"Bucket": bucket, "Key": key}
    return sam


def translate(sam: dict[str, Any], region: str) -> dict[str, Any]:
    """SAM → plain CloudFormation with the pinned translator (what CloudFormation's transform would do)."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=region))
    translated: dict[str, Any] = translator.translate(json.loads(json.dumps(sam)), parameter_values={}, get_managed_policy_map=dict,
                                                      passthrough_metadata=True)  # fmt: skip
    return translated


# -------------------------------------------------------------------------------------------------- deploy

ARTIFACTS_TEMPLATE = {
    "Description": "Client portal: deployment artifacts (function and layer zips, templates)",
    "Resources": {
        "Artifacts": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                # Long enough for any rollback to find the code it returns to.
                "LifecycleConfiguration": {"Rules": [{"Id": "expire", "Status": "Enabled", "ExpirationInDays": 90}]},
            },
        },
        "ArtifactsPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "Artifacts"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "TlsOnly",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [{"Fn::GetAtt": ["Artifacts", "Arn"]}, {"Fn::Sub": "${Artifacts.Arn}/*"}],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                },
            },
        },
    },
    "Outputs": {"BucketName": {"Value": {"Ref": "Artifacts"}}},
}


def upload(s3: Any, bucket: str, prefix: str, path: Path) -> str:
    """Content-addressed: an unchanged zip keeps its key, so CloudFormation sees no change to the function."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    key = f"{prefix}/{digest[:32]}{path.suffix}"
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except s3.exceptions.ClientError:
        s3.upload_file(str(path), bucket, key)
    return key


def template_in_s3(s3: Any, bucket: str, stack: str, template: dict[str, Any]) -> dict[str, str]:
    """Where CloudFormation reads a template from: S3, since ours is larger than it accepts inline."""
    body = json.dumps(template, sort_keys=True).encode()
    key = f"{stack}/templates/{hashlib.sha256(body).hexdigest()[:32]}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    return {"TemplateURL": f"https://{bucket}.s3.amazonaws.com/{key}"}


def deploy_stack(cfn: Any, stack: str, template: dict[str, str], parameters: dict[str, str]) -> dict[str, str]:
    """Create or update ``stack`` (``template``: TemplateBody or TemplateURL) through a change set, showing its
    changes; returns the stack's outputs."""
    exists = _stack_exists(cfn, stack)
    name = f"deploy-{int(time.time())}"
    cfn.create_change_set(
        StackName=stack,
        ChangeSetName=name,
        ChangeSetType="UPDATE" if exists else "CREATE",
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in sorted(parameters.items())],
        Capabilities=CAPABILITIES,
        **template,
    )
    if not _change_set_ready(cfn, stack, name):
        print(f"{stack}: no changes", flush=True)
        return stack_outputs(cfn, stack)
    _show_changes(cfn, stack, name)
    cfn.execute_change_set(StackName=stack, ChangeSetName=name)
    waiter = cfn.get_waiter("stack_update_complete" if exists else "stack_create_complete")
    try:
        # CloudFront takes 5-15 minutes to create or change a distribution.
        waiter.wait(StackName=stack, WaiterConfig={"Delay": 15, "MaxAttempts": 240})
    except Exception as error:
        raise DeployError(f"{stack} did not deploy: {_failure_reasons(cfn, stack)}") from error
    return stack_outputs(cfn, stack)


def _stack_exists(cfn: Any, stack: str) -> bool:
    try:
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except cfn.exceptions.ClientError:
        return False
    if status == "REVIEW_IN_PROGRESS":
        return False
    if status in {"ROLLBACK_COMPLETE", "ROLLBACK_FAILED"}:
        raise DeployError(f"{stack} is {status} after a failed first deploy: delete it (tables and buckets are retained) and deploy again.")
    return True


def _change_set_ready(cfn: Any, stack: str, name: str) -> bool:
    while True:
        described = cfn.describe_change_set(StackName=stack, ChangeSetName=name)
        status, reason = described["Status"], described.get("StatusReason", "")
        if status == "CREATE_COMPLETE":
            return True
        if status == "FAILED":
            if "didn't contain changes" in reason or "No updates" in reason:
                cfn.delete_change_set(StackName=stack, ChangeSetName=name)
                return False
            raise DeployError(f"{stack}: the change set failed: {reason}")
        time.sleep(3)


def _show_changes(cfn: Any, stack: str, name: str) -> None:
    for change in cfn.describe_change_set(StackName=stack, ChangeSetName=name).get("Changes", []):
        detail = change.get("ResourceChange", {})
        replace = " (REPLACEMENT)" if detail.get("Replacement") == "True" else ""
        print(f"  {detail.get('Action', '?'):<7} {detail.get('LogicalResourceId')} {detail.get('ResourceType')}{replace}", flush=True)


def _failure_reasons(cfn: Any, stack: str) -> str:
    events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    failed = [f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}" for e in events if e["ResourceStatus"].endswith("_FAILED")]
    return "; ".join(failed[:5]) or "see the stack's events"


def stack_outputs(cfn: Any, stack: str) -> dict[str, str]:
    described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}


def cache_control(relative: str) -> str:
    # Vite's hashed files never change; index.html must be fetched again after each deploy.
    return IMMUTABLE if relative.startswith("assets/") else "no-cache"


def publish_frontend(s3: Any, cloudfront: Any, bucket: str, distribution: str, dist: Path = FRONTEND) -> int:
    """Upload the built frontend (assets first, index.html last, so no page names an asset not yet there) and
    invalidate the CDN's copies. Earlier assets stay: a page loaded before the deploy can still fetch its chunks."""
    if not (dist / "index.html").is_file():
        raise DeployError(f"{dist} has no index.html: build the frontend first (make frontend)")
    files = sorted((p for p in dist.rglob("*") if p.is_file()), key=lambda p: (p.name == "index.html", str(p)))
    for path in files:
        relative = path.relative_to(dist).as_posix()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        extra = {"ContentType": content_type, "CacheControl": cache_control(relative)}
        s3.upload_file(str(path), bucket, relative, ExtraArgs=extra)
    cloudfront.create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": f"deploy-{time.time_ns()}"},
    )
    return len(files)


def deploy(stage: Stage, output: Path, session: Any) -> dict[str, str]:
    """The whole deploy of one stage; returns the stack's outputs."""
    check_filled_in(stage)
    for path, target in LAYERS.values():
        if not path.is_file():
            raise DeployError(f"{path.relative_to(ROOT)} is missing: run `make {target}` (docs/operations.md, 'Layers')")
    sam_path = package(stage.name, output)
    cfn, s3 = session.client("cloudformation"), session.client("s3")
    artifacts = f"{stage.stack}-artifacts"
    print(f"Stack {artifacts} (deployment artifacts)", flush=True)
    bucket = deploy_stack(cfn, artifacts, {"TemplateBody": json.dumps(ARTIFACTS_TEMPLATE)}, {})["BucketName"]
    code = (bucket, upload(s3, bucket, stage.stack, output / "deployment.zip"))
    layers = {uri: (bucket, upload(s3, bucket, stage.stack, path)) for uri, (path, _) in LAYERS.items()}
    template = translate(point_at_artifacts(json.loads(sam_path.read_text()), code, layers), stage.region)
    (output / "template.json").write_text(json.dumps(template, indent=2, sort_keys=True))
    print(f"Stack {stage.stack} ({stage.region})", flush=True)
    outputs = deploy_stack(cfn, stage.stack, template_in_s3(s3, bucket, stage.stack, template), stage.parameters)
    count = publish_frontend(s3, session.client("cloudfront"), outputs["FrontendBucketName"], outputs["DistributionId"])
    print(f"Frontend: {count} files published, CDN invalidated", flush=True)
    return outputs


def next_steps(stage: Stage, outputs: dict[str, str]) -> str:
    lines = ["", f"  The portal: {outputs.get('PortalUrl', '?')}", ""]
    if not stage.parameters.get("HostedZoneId"):
        lines += [
            "  DNS records to add at your DNS provider (once; the stack adds them itself when given HostedZoneId):",
            f"    {stage.parameters.get('DomainName')} CNAME {outputs.get('DistributionDomainName', '?')}",
            *[f"    {outputs[f'MailDkimRecord{n}']}" for n in (1, 2, 3) if f"MailDkimRecord{n}" in outputs],
            "",
        ]
    lines += [
        "  Create the first practice with the provisioning key (docs/operations.md, 'First deploy'):",
        "    aws secretsmanager get-secret-value --query SecretString --output text \\",
        f"      --secret-id {outputs.get('ProvisioningKeySecret', '?')}",
        "",
    ]
    return "\n".join(lines)


def _parameters(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if not name or not _:
            raise DeployError(f"--parameter {pair!r}: write NAME=VALUE")
        found[name] = value
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["package", "deploy"])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--output", type=Path, help="default: build/STAGE")
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE", help="override a stack parameter")
    args = parser.parse_args(argv)
    output = args.output or ROOT / "build" / args.stage
    try:
        stage = load_stage(args.stage, _parameters(args.parameter))
        if args.command == "package":
            sam = package(stage.name, output)
            shown = sam.relative_to(ROOT) if sam.is_relative_to(ROOT) else sam
            print(f"\n  {shown}: the template for review; `make deploy STAGE={stage.name}` deploys it\n")
            return 0
        import boto3

        outputs = deploy(stage, output, boto3.Session(region_name=stage.region))
    except DeployError as error:
        print(f"\n  {error}\n", file=sys.stderr)
        return 2
    print(next_steps(stage, outputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
