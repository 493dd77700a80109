"""Every S3 object key, built in one place. Keys hold opaque ids only (never a name or a file name a person typed),
start with the organization, and are never taken from a request."""

from __future__ import annotations


def signed_document(org_id: str, client_id: str, request_id: str, attempt_id: str) -> str:
    """Each signing attempt writes its own object, so a losing concurrent attempt never replaces the winner's PDF."""
    return f"orgs/{org_id}/clients/{client_id}/documents/{request_id}/{attempt_id}.pdf"


def drawn_signature(org_id: str, client_id: str, request_id: str, attempt_id: str) -> str:
    """A signature the client drew (PNG), beside the signed document of the same attempt."""
    return f"orgs/{org_id}/clients/{client_id}/documents/{request_id}/{attempt_id}-signature.png"


def upload(org_id: str, owner: str, upload_id: str) -> str:
    """A file a person uploads (an attachment): it lives here from the presigned POST until it is accepted or removed."""
    return f"orgs/{org_id}/uploads/{owner}/{upload_id}"


def practice_logo(org_id: str, digest: str, content_type: str) -> str:
    """The practice's logo, copied here from its upload once checked: a key only the server writes, named by the
    checked bytes' hash (the upload's presigned form could otherwise replace the bytes after the check)."""
    return f"orgs/{org_id}/branding/logo-{digest}.{'png' if content_type == 'image/png' else 'jpg'}"


def invoice_document(org_id: str, client_id: str, invoice_id: str, digest: str) -> str:
    """A rendered invoice or receipt; named by its content, so the same state renders to the same object."""
    return f"orgs/{org_id}/clients/{client_id}/invoices/{invoice_id}/{digest}.pdf"
