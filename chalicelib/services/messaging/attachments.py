"""Attachments: PDF and images up to 10 MB, uploaded straight to S3 (``services.uploads``: presigned POST, checked by
their bytes when the message is sent, attached once) and opened through a five-minute link — issued only to someone
who may read the conversation, after the stored file's SHA-256 matches the one recorded when it was attached, and
after an audit event."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.domain.messaging import DownloadLink
from chalicelib.errors import DependencyFailed, NotFound
from chalicelib.services import uploads
from chalicelib.services.messaging.common import belongs_to
from chalicelib.services.visibility import checked
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import get_or_none, read_together
from chalicelib.tables.files import Upload

NOT_HERE = "No such attachment in this conversation."


def start_upload(principal: Principal, *, content_type: str, size: int, filename: str) -> uploads.Ticket:
    return uploads.start(principal, uploads.ATTACHMENT, content_type=content_type, size=size, filename=filename)


def staff_link(principal: StaffPrincipal, client_id: str, attachment_id: str) -> DownloadLink:
    """The client (visible to the caller, else 404 audited) and the upload in one read, then the verified link."""
    pk = keys.org_pk(principal.org_id)
    client, upload = read_together((ClientRecord, pk, keys.client_sk(client_id)), (Upload, pk, keys.upload_sk(attachment_id)))
    checked(principal, client, client_id)
    return _link(principal, client_id, upload)


def client_link(principal: ClientPrincipal, attachment_id: str) -> DownloadLink:
    """Only an attachment of the client's own conversation (another client's is 404)."""
    upload = get_or_none(Upload, keys.org_pk(principal.org_id), keys.upload_sk(attachment_id))
    return _link(principal, principal.id, upload)


def _link(principal: Principal, client_id: str, upload: Upload | None) -> DownloadLink:
    from chalicelib.adapters.storage import MAX_PRESIGN_SECONDS, get_storage

    attached = upload is not None and upload.status == "attached" and upload.purpose == uploads.ATTACHMENT.name
    if upload is None or not attached or not belongs_to(upload.attached_to, client_id):
        raise NotFound(NOT_HERE)
    resource = f"attachment/{upload.id}"
    storage = get_storage()
    if storage.sha256_of(upload.key) != upload.sha256:
        audit.record(principal, "messages.attachment_download", resource, outcome="failure", subject_client_id=client_id)
        raise DependencyFailed("The stored file does not match the one that was sent. Contact your practice.")
    url = storage.presigned_get(upload.key, upload.filename, upload.declared_type, "attachment")
    audit.record(principal, "messages.attachment_download", resource, subject_client_id=client_id)
    return DownloadLink(
        url=url,
        expires_at=clock.now() + timedelta(seconds=MAX_PRESIGN_SECONDS),
        sha256=str(upload.sha256),
        filename=upload.filename,
        content_type=upload.declared_type,
    )
