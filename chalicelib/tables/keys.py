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


# --------------------------------------------------------------------------------------------- second factors
# Every factor item of an account shares one prefix, so a reset finds them all with one Query.


def factors_prefix(account_id: str) -> str:
    return f"MFA#{account_id}#"


def authenticator_sk(account_id: str) -> str:
    return f"{factors_prefix(account_id)}TOTP"


def authenticator_setup_sk(account_id: str) -> str:
    return f"{factors_prefix(account_id)}TOTPSETUP"


def passkeys_prefix(account_id: str) -> str:
    return f"{factors_prefix(account_id)}PASSKEY#"


def passkey_sk(account_id: str, passkey_id: str) -> str:
    return f"{passkeys_prefix(account_id)}{passkey_id}"


def recovery_prefix(account_id: str) -> str:
    return f"{factors_prefix(account_id)}RECOVERY#"


def recovery_code_sk(account_id: str, generation: int, code_hash: str) -> str:
    """A recovery code's item: the generation in the key means codes of an older set can never be used."""
    return f"{recovery_prefix(account_id)}{generation}#{code_hash}"


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


# ------------------------------------------------------------------------------------------ global lookups


def session_pk(token_hash: str) -> str:
    return f"SESSION#{token_hash}"


def principal_key(org_id: str, principal_id: str) -> str:
    return f"{org_id}#{principal_id}"


def token_pk(token_hash: str) -> str:
    return f"TOKEN#{token_hash}"


def challenge_pk(challenge_hash: str) -> str:
    """A WebAuthn challenge, keyed by the SHA-256 of the challenge the browser signs."""
    return f"CHALLENGE#{challenge_hash}"


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
