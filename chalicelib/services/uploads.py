"""Uploads: a file goes straight from the browser to S3 through a presigned POST (size and type limited by the
policy), and is accepted only after the server has looked at it — its size, its SHA-256 and the type its first bytes
show. A file that is not what it claims (an executable named .pdf) is refused and its object removed.

A feature asks for an upload with ``start`` (it says for what, so the allowed types and size come from here), and
later ``check``s it and ``attach``es it in the transaction of its own change, under a condition that it is still
pending and the caller's own — so one upload is attached once, by the person who uploaded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from chalicelib import clock
from chalicelib.auth.principals import Principal
from chalicelib.auth.tokens import new_id
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction, get_or_none, transaction
from chalicelib.tables.files import Upload

PENDING_HOURS = 24
MAX_NAME = 200


@dataclass(frozen=True)
class Purpose:
    name: str
    types: frozenset[str]
    max_bytes: int
    field: str = "attachments"  # where a refusal is reported
    kinds: str = "a PDF or an image"  # what may be sent, in words
    verb: str = "attached"


ATTACHMENT = Purpose(
    "message_attachment",
    frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic"}),
    10 * 1024 * 1024,
)
# A practice's logo (services/branding.py): shown on its pages and PDFs, so only formats every browser and fpdf2 draw.
LOGO = Purpose("practice_logo", frozenset({"image/png", "image/jpeg"}), 256 * 1024, "upload_id", "a PNG or JPEG image", "used")
PURPOSES = {purpose.name: purpose for purpose in (ATTACHMENT, LOGO)}


@dataclass(frozen=True)
class Ticket:
    """Where and how the browser posts the file."""

    upload_id: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_in: int


@dataclass(frozen=True)
class CheckedFile:
    upload: Upload
    content_type: str
    size: int
    sha256: str
    filename: str


def start(principal: Principal, purpose: Purpose, *, content_type: str, size: int, filename: str) -> Ticket:
    from chalicelib.adapters.object_keys import upload
    from chalicelib.adapters.storage import get_storage

    _check_declared(purpose, content_type, size)
    name = _filename(filename)
    upload_id = new_id("upl")
    key = upload(principal.org_id, principal.id, upload_id)
    now = clock.now()
    record = Upload(
        keys.org_pk(principal.org_id),
        keys.upload_sk(upload_id),
        id=upload_id,
        org_id=principal.org_id,
        owner_id=principal.id,
        purpose=purpose.name,
        filename=name,
        declared_type=content_type,
        max_bytes=purpose.max_bytes,
        key=key,
        created_at=now,
        expires=now + timedelta(hours=PENDING_HOURS),
    )
    form = get_storage().upload_form(key, content_type, purpose.max_bytes)
    with transaction() as tx:
        tx.save(record, condition=Upload.pk.does_not_exist())
    return Ticket(upload_id=upload_id, url=form.url, fields=form.fields, max_bytes=purpose.max_bytes, expires_in=form.expires_in)


def _check_declared(purpose: Purpose, content_type: str, size: int) -> None:
    if content_type not in purpose.types:
        allowed = ", ".join(sorted(purpose.types))
        message = f"This kind of file cannot be {purpose.verb}. Allowed: {allowed}."
        raise ValidationFailed(message, [FieldError("content_type", "Not allowed.")])
    if not 0 < size <= purpose.max_bytes:
        limit = _size(purpose.max_bytes)
        raise ValidationFailed(f"Files up to {limit} can be {purpose.verb}.", [FieldError("size", f"At most {limit}.")])


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def _filename(filename: str) -> str:
    name = filename.strip().replace("/", "_").replace("\\", "_")[:MAX_NAME]
    if not name:
        raise ValidationFailed("Name the file.", [FieldError("filename", "Required.")])
    return name


def check(principal: Principal, upload_id: str, purpose: Purpose) -> CheckedFile:
    """The caller's own pending upload, as its bytes show it. Refused — and removed — if it is not what it claimed."""
    return check_record(principal, get_or_none(Upload, keys.org_pk(principal.org_id), keys.upload_sk(upload_id)), purpose)


def check_record(principal: Principal, record: Upload | None, purpose: Purpose) -> CheckedFile:
    """As ``check``, for an upload record the caller already read (e.g. together with what it is attached to)."""
    from chalicelib.adapters.storage import get_storage

    if record is None or record.owner_id != principal.id or record.purpose != purpose.name:
        raise NotFound("No such upload.")
    if record.status != "pending":
        raise Conflict("This file was already used or refused. Upload it again.")
    seen = get_storage().inspect(record.key, int(record.max_bytes))
    if seen is None:
        raise ValidationFailed(
            "The file has not finished uploading. Try again in a moment.", [FieldError(purpose.field, "Not uploaded yet.")]
        )
    if seen.size > int(record.max_bytes) or seen.sniffed_type != record.declared_type:
        _refuse(record)
        raise ValidationFailed(
            f"This file is not what it claims to be, so it was removed. Send {purpose.kinds}.",
            [FieldError(purpose.field, "The file's contents do not match its type.")],
        )
    return CheckedFile(upload=record, content_type=record.declared_type, size=seen.size, sha256=seen.sha256, filename=record.filename)


def refuse(record: Upload) -> None:
    """Remove an upload its owner's own check refused (for example a logo too large to draw), as a spoofed file is."""
    _refuse(record)


def _refuse(record: Upload) -> None:
    from chalicelib.adapters.storage import get_storage

    get_storage().delete_quietly(record.key)
    record.update(actions=[Upload.status.set("rejected")], condition=Upload.status == "pending")


def attach(tx: Transaction, checked: CheckedFile, attached_to: str) -> None:
    """Claim a checked upload for what it was attached to, in the caller's transaction: once, and only if pending."""
    upload = Upload(checked.upload.pk, checked.upload.sk)
    tx.update(
        upload,
        actions=[
            Upload.status.set("attached"),
            Upload.size.set(checked.size),
            Upload.sha256.set(checked.sha256),
            Upload.attached_to.set(attached_to),
            Upload.expires.remove(),
        ],
        condition=(Upload.status == "pending") & (Upload.owner_id == checked.upload.owner_id),
        label="upload",
    )
    tx.conflicts.setdefault("upload", Conflict("This file was already used. Upload it again."))
