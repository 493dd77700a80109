"""What the paperwork modules share: reading one request, the summary projection, the "immutable once signed" rule."""

from __future__ import annotations

from chalicelib.errors import Conflict
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_not_found
from chalicelib.tables.intake import FormRequest

MAX_LISTED = 500
SIGNED = "This form is already signed and can no longer change."

SUMMARY_ATTRIBUTES = [
    "pk", "sk", "id", "org_id", "client_id", "form_id", "form_version", "title", "status", "sent_at", "sent_by",
    "viewed_at", "updated_at", "signed_at", "signed_name", "document_sha256", "reminders_sent", "position",
]  # fmt: skip


def request_item(org_id: str, client_id: str, request_id: str) -> FormRequest:
    return get_or_not_found(FormRequest, keys.org_pk(org_id), keys.request_sk(client_id, request_id), message="No such form request.")


def requests_of(org_id: str, client_id: str) -> list[FormRequest]:
    """A client's paperwork in the practice's order (each form's place when it was sent; then oldest first): one
    Query reading only the summary attributes (not the definitions and answers), so the page stays within one read
    whatever the forms' size."""
    found = FormRequest.query(
        keys.org_pk(org_id),
        FormRequest.sk.startswith(keys.client_requests_prefix(client_id)),
        limit=MAX_LISTED,
        attributes_to_get=SUMMARY_ATTRIBUTES,
    )
    return sorted(found, key=lambda request: (int(request.position or 0), request.sent_at, request.title))


def refuse_if_completed(request: FormRequest) -> None:
    if request.status == "completed":
        raise Conflict(SIGNED)
