"""General Documents: a client's signed forms, opened through a five-minute link issued only after the stored
file's SHA-256 matches the one recorded at signing. Every list and every download is audited."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal, Principal, StaffPrincipal
from chalicelib.domain.intake import DownloadLink
from chalicelib.domain.intake import FormRequest as Request
from chalicelib.errors import DependencyFailed, NotFound
from chalicelib.services.paperwork.common import request_item, requests_of
from chalicelib.services.visibility import checked, client_for
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import read_together
from chalicelib.tables.intake import FormRequest, request_of


def documents_of(principal: StaffPrincipal, client_id: str) -> list[Request]:
    client_for(principal, client_id)
    found = [request_of(request) for request in requests_of(principal.org_id, client_id) if request.status == "completed"]
    audit.record(principal, "documents.list", f"client/{client_id}", subject_client_id=client_id)
    return found


def staff_download(principal: StaffPrincipal, client_id: str, request_id: str, *, inline: bool = False) -> DownloadLink:
    """The client (visible to the principal) and the request in one read, then the verified link."""
    pk = keys.org_pk(principal.org_id)
    client, request = read_together(
        (ClientRecord, pk, keys.client_sk(client_id)), (FormRequest, pk, keys.request_sk(client_id, request_id))
    )
    checked(principal, client, client_id)
    return _download(principal, client_id, request_id, request, inline=inline)


def client_download(principal: ClientPrincipal, request_id: str, *, inline: bool = False) -> DownloadLink:
    return _download(principal, principal.id, request_id, request_item(principal.org_id, principal.id, request_id), inline=inline)


def _download(principal: Principal, client_id: str, request_id: str, request: FormRequest | None, *, inline: bool) -> DownloadLink:
    """A five-minute link, issued after the stored file's hash matches the one recorded at signing."""
    from chalicelib.adapters.storage import MAX_PRESIGN_SECONDS, get_storage

    if request is None or request.status != "completed" or not request.document_key:
        raise NotFound("This form has not been signed yet.")
    storage = get_storage()
    if storage.sha256_of(request.document_key) != request.document_sha256:
        audit.record(principal, "documents.download", f"form_request/{request_id}", outcome="failure", subject_client_id=client_id)
        raise DependencyFailed("The stored document does not match the signed one. Contact your administrator.")
    # The day it was signed in the practice's zone (the certificate's readable times are), not UTC's.
    signed_day = request.signed_at.astimezone(ZoneInfo(principal.practice.time_zone)) if request.signed_at else None
    filename = f"{request.title} - signed {signed_day:%Y-%m-%d}.pdf"
    url = storage.presigned_get(request.document_key, filename, "application/pdf", "inline" if inline else "attachment")
    audit.record(principal, "documents.download", f"form_request/{request_id}", subject_client_id=client_id)
    return DownloadLink(
        url=url, expires_at=clock.now() + timedelta(seconds=MAX_PRESIGN_SECONDS), sha256=str(request.document_sha256), filename=filename
    )
