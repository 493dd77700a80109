"""Private document storage in S3: server-generated keys, server-side encryption, presigned GETs of at most five
minutes. boto3 is imported and the client created on first use. Failures become domain errors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chalicelib.config import get_settings
from chalicelib.errors import DependencyFailed

MAX_PRESIGN_SECONDS = 300


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int


class DocumentStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def put(self, key: str, body: bytes, content_type: str) -> StoredObject:
        from botocore.exceptions import BotoCoreError, ClientError

        digest = hashlib.sha256(body).hexdigest()
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                ServerSideEncryption="aws:kms",
                Metadata={"sha256": digest},
            )
        except (BotoCoreError, ClientError) as error:
            raise DependencyFailed("The document could not be stored; nothing was submitted. Please try again.") from error
        return StoredObject(key=key, sha256=digest, size=len(body))

    def delete_quietly(self, key: str) -> None:
        """Best effort: an orphan object is harmless (no record points at it), a failure here must not mask the error
        that led to it."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except (BotoCoreError, ClientError):
            return

    def sha256_of(self, key: str) -> str:
        """Read the stored object back and hash it, to verify it is the document that was signed."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except (BotoCoreError, ClientError) as error:
            raise DependencyFailed("The document could not be read. Please try again.") from error
        return hashlib.sha256(body).hexdigest()

    def presigned_get(self, key: str, filename: str, seconds: int = MAX_PRESIGN_SECONDS) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            url: str = self._client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self._bucket,
                    "Key": key,
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                    "ResponseContentType": "application/pdf",
                },
                ExpiresIn=min(seconds, MAX_PRESIGN_SECONDS),
            )
        except (BotoCoreError, ClientError) as error:
            raise DependencyFailed("A download link could not be made. Please try again.") from error
        return url


@lru_cache(maxsize=4)
def _store(region: str, endpoint: str | None, bucket: str) -> DocumentStore:
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", region_name=region, endpoint_url=endpoint, config=Config(signature_version="s3v4"))
    return DocumentStore(client, bucket)


def get_storage() -> DocumentStore:
    settings = get_settings()
    return _store(settings.region, settings.aws_endpoint_url, settings.bucket_name)
