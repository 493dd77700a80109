"""Secrets a practice gives us (its Stripe keys), encrypted with KMS under the deployment's payments key.

The organization id is the encryption context: a ciphertext copied into another practice's record does not decrypt.
boto3 is imported and the client created on first use; failures become domain errors.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalicelib.config import get_settings
from chalicelib.errors import DependencyFailed


@lru_cache(maxsize=1)
def _kms(region: str, endpoint: str | None) -> Any:
    from chalicelib.adapters.aws import client

    return client("kms", region, endpoint)


def _client() -> Any:
    settings = get_settings()
    return _kms(settings.region, settings.aws_endpoint_url)


def encrypt(org_id: str, plaintext: bytes) -> bytes:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = _client().encrypt(KeyId=get_settings().payments_kms_key, Plaintext=plaintext, EncryptionContext={"org": org_id})
    except (BotoCoreError, ClientError) as error:
        raise DependencyFailed() from error
    return bytes(answer["CiphertextBlob"])


def decrypt(org_id: str, ciphertext: bytes) -> bytes:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = _client().decrypt(CiphertextBlob=ciphertext, EncryptionContext={"org": org_id})
    except (BotoCoreError, ClientError) as error:
        raise DependencyFailed() from error
    return bytes(answer["Plaintext"])
