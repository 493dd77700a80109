"""Every key this code writes, built in one place.

Tenant data lives in one partition per organization (``ORG#{org}``) in each table; the sort key says what the item
is. The few global keys — a slug, a session, a set-password token, a throttle counter, an outbox item — resolve to
a tenant and nothing more. Table modules and services build keys only through these functions.
"""

from __future__ import annotations

STAFF_PREFIX = "STAFF#"
CLIENT_PREFIX = "CLIENT#"
ASSIGN_PREFIX = "ASSIGN#"
SEARCH_PREFIX = "SEARCH#"
TEMPLATE_PREFIX = "TEMPLATE#"
EMAIL_PREFIX = "EMAIL#"
FORM_PREFIX = "FORM#"
REQUEST_PREFIX = "REQ#"
ORGANIZATION_SK = "ORG"
SLUG_SK = "SLUG"


# ----------------------------------------------------------------------------------------- tenant partitions


def org_pk(org_id: str) -> str:
    return f"ORG#{org_id}"


def slug_pk(slug: str) -> str:
    return f"SLUG#{slug}"


# ------------------------------------------------------------------------------------------------- accounts


def staff_sk(staff_id: str) -> str:
    return f"{STAFF_PREFIX}{staff_id}"


def client_sk(client_id: str) -> str:
    return f"{CLIENT_PREFIX}{client_id}"


def account_sk(account_id: str) -> str:
    """Staff ids start with ``stf_``, client ids with ``cli_``."""
    return client_sk(account_id) if account_id.startswith("cli_") else staff_sk(account_id)


def assignment_sk(therapist_id: str, client_id: str) -> str:
    return f"{ASSIGN_PREFIX}{therapist_id}#{client_id}"


def assignments_prefix(therapist_id: str) -> str:
    return f"{ASSIGN_PREFIX}{therapist_id}#"


def search_sk(token: str, client_id: str) -> str:
    return f"{SEARCH_PREFIX}{token}#{client_id}"


def template_sk(template_id: str) -> str:
    return f"{TEMPLATE_PREFIX}{template_id}"


def email_sk(email: str) -> str:
    return f"{EMAIL_PREFIX}{email}"


def email_key(org_id: str, email: str) -> str:
    """The sparse ``by_email`` index key of an account that can sign in."""
    return f"{org_id}#{email}"


# --------------------------------------------------------------------------------------------------- intake


def form_sk(form_id: str) -> str:
    return f"{FORM_PREFIX}{form_id}"


def form_version_sk(form_id: str, version: int) -> str:
    return f"FORMV#{form_id}#{version:04d}"


def request_sk(client_id: str, request_id: str) -> str:
    return f"{REQUEST_PREFIX}{client_id}#{request_id}"


def client_requests_prefix(client_id: str) -> str:
    return f"{REQUEST_PREFIX}{client_id}#"


def open_request_sk(client_id: str, form_id: str) -> str:
    """The claim that a form is waiting for a client: one open request per (client, form)."""
    return f"OPENREQ#{client_id}#{form_id}"


def upload_sk(upload_id: str) -> str:
    return f"UPLOAD#{upload_id}"


# ------------------------------------------------------------------------------------------------- payments

PAYMENTS_CONNECTION_SK = "PAYCONN"
INVOICE_COUNTER_SK = "INVCOUNTER"


def invoice_sk(client_id: str, invoice_id: str) -> str:
    return f"INV#{client_id}#{invoice_id}"


def client_invoices_prefix(client_id: str) -> str:
    """An invoice and its payments and refunds sort together under the client: one Query lists them all."""
    return f"INV#{client_id}#"


def payment_sk(client_id: str, invoice_id: str, payment_id: str) -> str:
    return f"INV#{client_id}#{invoice_id}#PAY#{payment_id}"


def refund_sk(client_id: str, invoice_id: str, refund_id: str) -> str:
    return f"INV#{client_id}#{invoice_id}#REF#{refund_id}"


def saved_card_sk(client_id: str) -> str:
    return f"CARD#{client_id}"


def open_invoices_key(org_id: str) -> str:
    """The sparse ``by_open`` index: a practice's open invoices (balance due), oldest first."""
    return f"{org_id}#OPEN"


def paid_feed_key(org_id: str) -> str:
    """The sparse ``by_paid`` index: a practice's received payments, newest first."""
    return f"{org_id}#PAID"


# ------------------------------------------------------------------------------------------ global lookups


def session_pk(token_hash: str) -> str:
    return f"SESSION#{token_hash}"


def principal_key(org_id: str, principal_id: str) -> str:
    return f"{org_id}#{principal_id}"


def token_pk(token_hash: str) -> str:
    return f"TOKEN#{token_hash}"


def throttle_account_key(org_id: str, email_digest: str, purpose: str = "SIGNIN") -> str:
    return f"{purpose}#ACCOUNT#{org_id}#{email_digest}"


def throttle_ip_key(ip: str, purpose: str = "SIGNIN") -> str:
    return f"{purpose}#IP#{ip}"


def webhook_event_pk(source: str, event_id: str) -> str:
    return f"EVENT#{source}#{event_id}"


# ---------------------------------------------------------------------------------------------------- audit


def actor_key(org_id: str, actor_id: str) -> str:
    return f"{org_id}#{actor_id}"


def subject_key(org_id: str, client_id: str) -> str:
    return f"{org_id}#{client_id}"


# --------------------------------------------------------------------------------------------------- outbox


def outbox_pk(item_id: str) -> str:
    return f"MAIL#{item_id}"


def outbox_shard(item_id: str, shards: int) -> str:
    """Due items spread over a few index partitions, so a busy deployment has no hot key."""
    return f"DUE#{sum(item_id.encode()) % shards}"
