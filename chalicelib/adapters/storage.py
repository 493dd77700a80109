"""Private document storage in S3: server-built keys (``object_keys``), server-side encryption, presigned POST
uploads with size and type limits, inspection of what arrived (type by its bytes, SHA-256), presigned GETs of at most
five minutes. boto3 is imported and the client created on first use; failures become domain errors.

Tests may install another store with ``use_storage`` (as mail has ``use_mailer``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

from chalicelib.config import get_settings
from chalicelib.errors import DependencyFailed, NotFound

MAX_PRESIGN_SECONDS = 300
ENCRYPTION = "aws:kms"
SNIFF_BYTES = 64

# What a file's first bytes say it is. A name or a declared Content-Type says nothing: both are the uploader's.
SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("application/pdf", b"%PDF-", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/gif", b"GIF87a", 0),
    ("image/gif", b"GIF89a", 0),
    ("image/webp", b"WEBP", 8),
    ("image/heic", b"ftypheic", 4),
    ("image/heic", b"ftypheix", 4),
    ("image/heic", b"ftypmif1", 4),
)


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Inspection:
    """What an uploaded object turned out to be."""

    size: int
    sha256: str
    sniffed_type: str | None


@dataclass(frozen=True)
class UploadForm:
    """A presigned POST: the browser posts ``fields`` plus the file to ``url``."""

    url: str
    fields: dict[str, str]
    expires_in: int


def sniff(head: bytes) -> str | None:
    for content_type, signature, offset in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    return None


class DocumentStore(Protocol):
    def put(self, key: str, body: bytes, content_type: str) -> StoredObject: ...
    def delete_quietly(self, key: str) -> None: ...
    def sha256_of(self, key: str) -> str: ...
    def read(self, key: str, max_bytes: int) -> bytes: ...
    def inspect(self, key: str, max_bytes: int) -> Inspection | None: ...
    def upload_form(self, key: str, content_type: str, max_bytes: int, seconds: int = MAX_PRESIGN_SECONDS) -> UploadForm: ...
    def presigned_get(
        self,
        key: str,
        filename: str,
        content_type: str = "application/pdf",
        disposition: Literal["attachment", "inline"] = "attachment",
        seconds: int = MAX_PRESIGN_SECONDS,
    ) -> str: ...


class S3Store:
    def __init__(self, client: Any, bucket: str, public_base: str | None, endpoint: str | None, kms_key: str | None = None) -> None:
        self._client = client
        self._bucket = bucket
        # Deployed stages name their customer-managed key: a request that says only "aws:kms" would get the AWS
        # managed key instead, and the bucket's policy refuses any other key.
        self._kms = {"x-amz-server-side-encryption-aws-kms-key-id": kms_key} if kms_key else {}
        # Local stages serve the emulator through the app's own origin (/local-s3), as CloudFront does on AWS.
        self._rewrite = (endpoint.rstrip("/"), public_base.rstrip("/")) if public_base and endpoint else None

    def put(self, key: str, body: bytes, content_type: str) -> StoredObject:
        digest = hashlib.sha256(body).hexdigest()
        self._call(
            "The document could not be stored; nothing was submitted. Please try again.",
            self._client.put_object,
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption=ENCRYPTION,
            **({"SSEKMSKeyId": self._kms["x-amz-server-side-encryption-aws-kms-key-id"]} if self._kms else {}),
            Metadata={"sha256": digest},
        )
        return StoredObject(key=key, sha256=digest, size=len(body))

    def delete_quietly(self, key: str) -> None:
        """Best effort: an orphan object is harmless (no record points at it); a failure here must not mask the error
        that led to it."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except (BotoCoreError, ClientError):
            return

    def sha256_of(self, key: str) -> str:
        """Read the stored object back and hash it, to verify it is the document that was recorded."""
        body = self._call("The document could not be read. Please try again.", self._client.get_object, Bucket=self._bucket, Key=key)
        digest = hashlib.sha256()
        for chunk in iter(lambda: body["Body"].read(1 << 16), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def read(self, key: str, max_bytes: int) -> bytes:
        """A small object's bytes (a logo for a letterhead); more than ``max_bytes`` is refused, not read."""
        body = self._call("The file could not be read. Please try again.", self._client.get_object, Bucket=self._bucket, Key=key)
        if int(body.get("ContentLength", 0)) > max_bytes:
            raise DependencyFailed("The file is larger than expected.")
        data: bytes = body["Body"].read(max_bytes + 1)
        if len(data) > max_bytes:
            raise DependencyFailed("The file is larger than expected.")
        return data

    def inspect(self, key: str, max_bytes: int) -> Inspection | None:
        """Size, SHA-256 and the type its first bytes show, or None when nothing was uploaded under the key."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if str(error.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise DependencyFailed("The upload could not be checked. Please try again.") from error
        except BotoCoreError as error:
            raise DependencyFailed("The upload could not be checked. Please try again.") from error
        size = int(head.get("ContentLength", 0))
        if size > max_bytes:
            return Inspection(size=size, sha256="", sniffed_type=None)
        body = self._call("The upload could not be read. Please try again.", self._client.get_object, Bucket=self._bucket, Key=key)
        digest = hashlib.sha256()
        first = b""
        for chunk in iter(lambda: body["Body"].read(1 << 16), b""):
            if len(first) < SNIFF_BYTES:
                first += chunk[: SNIFF_BYTES - len(first)]
            digest.update(chunk)
        return Inspection(size=size, sha256=digest.hexdigest(), sniffed_type=sniff(first))

    def upload_form(self, key: str, content_type: str, max_bytes: int, seconds: int = MAX_PRESIGN_SECONDS) -> UploadForm:
        fields = {"Content-Type": content_type, "x-amz-server-side-encryption": ENCRYPTION, **self._kms}
        conditions: list[Any] = [
            ["content-length-range", 1, max_bytes],
            {"Content-Type": content_type},
            {"x-amz-server-side-encryption": ENCRYPTION},
            *[{name: value} for name, value in self._kms.items()],
        ]
        presigned = self._call(
            "An upload could not be prepared. Please try again.",
            self._client.generate_presigned_post,
            Bucket=self._bucket,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=min(seconds, MAX_PRESIGN_SECONDS),
        )
        return UploadForm(
            url=self._public(presigned["url"]), fields=dict(presigned["fields"]), expires_in=min(seconds, MAX_PRESIGN_SECONDS)
        )

    def presigned_get(
        self,
        key: str,
        filename: str,
        content_type: str = "application/pdf",
        disposition: Literal["attachment", "inline"] = "attachment",
        seconds: int = MAX_PRESIGN_SECONDS,
    ) -> str:
        safe_name = filename.replace('"', "").replace("\r", " ").replace("\n", " ")
        url = self._call(
            "A download link could not be made. Please try again.",
            self._client.generate_presigned_url,
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f'{disposition}; filename="{safe_name}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=min(seconds, MAX_PRESIGN_SECONDS),
        )
        return self._public(str(url))

    def _public(self, url: str) -> str:
        if self._rewrite and url.startswith(self._rewrite[0]):
            return self._rewrite[1] + url[len(self._rewrite[0]) :]
        return url

    def _call(self, message: str, operation: Any, *args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return operation(*args, **kwargs)
        except ClientError as error:
            if str(error.response.get("Error", {}).get("Code")) in {"404", "NoSuchKey", "NotFound"}:
                raise NotFound("The file is not there.") from error
            raise DependencyFailed(message) from error
        except BotoCoreError as error:
            raise DependencyFailed(message) from error


@lru_cache(maxsize=4)
def _store(region: str, endpoint: str | None, bucket: str, public_base: str | None, kms_key: str | None) -> S3Store:
    from chalicelib.adapters.aws import client

    return S3Store(client("s3", region, endpoint, signature_version="s3v4"), bucket, public_base, endpoint, kms_key)


_override: list[DocumentStore] = []


def get_storage() -> DocumentStore:
    if _override:
        return _override[-1]
    settings = get_settings()
    return _store(
        settings.region, settings.aws_endpoint_url, settings.bucket_name, settings.storage_public_base, settings.documents_kms_key
    )


def use_storage(store: DocumentStore | None) -> None:
    """Tests install a failing or recording store here (S3 itself is the emulator's)."""
    _override.clear()
    if store is not None:
        _override.append(store)
