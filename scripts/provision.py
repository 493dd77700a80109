"""Create every table, the documents bucket and the verified mail sender in the embedded AWS emulator.

The tables come from the same PynamoDB models that ``scripts/cloudformation.py`` turns into the deployment
template, so local, test and deployed schemas cannot drift. Idempotent.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import Settings
from chalicelib.tables.registry import bind_tables, physical_tables


def create_tables(settings: Settings) -> None:
    bind_tables(settings)
    for model in physical_tables():
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)


def _client(service: str, settings: Settings) -> Any:
    import boto3

    return boto3.client(service, region_name=settings.region, endpoint_url=settings.aws_endpoint_url)


def create_bucket(settings: Settings) -> None:
    s3 = _client("s3", settings)
    existing = {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}
    if settings.bucket_name not in existing:
        s3.create_bucket(Bucket=settings.bucket_name)
    s3.put_bucket_encryption(
        Bucket=settings.bucket_name,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
    )
    s3.put_public_access_block(
        Bucket=settings.bucket_name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )


def verify_sender(settings: Settings) -> None:
    ses = _client("sesv2", settings)
    known = {identity["IdentityName"] for identity in ses.list_email_identities().get("EmailIdentities", [])}
    if settings.mail_sender not in known:
        ses.create_email_identity(EmailIdentity=settings.mail_sender)


def create_payments_key(settings: Settings) -> None:
    """The KMS key practices' Stripe keys are encrypted under (an alias locally; the template's key when deployed)."""
    alias = settings.payments_kms_key
    if not alias.startswith("alias/"):
        return
    kms = _client("kms", settings)
    if alias not in {entry["AliasName"] for entry in kms.list_aliases().get("Aliases", [])}:
        key_id = kms.create_key(Description="Client portal: each practice's Stripe keys")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=alias, TargetKeyId=key_id)


def provision(settings: Settings) -> None:
    create_tables(settings)
    create_bucket(settings)
    verify_sender(settings)
    create_payments_key(settings)
