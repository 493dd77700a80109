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


# ----------------------------------------------------------------------------------------------- scheduling
# One item per therapist's settings and per appointment in the organization's partition; the ``by_therapist`` index
# gathers a therapist's settings, their known clients and their live appointments under one key, so listing slots is
# one Query (tables/scheduling.py).

SCHEDULE_PREFIX = "SCHED#"
APPOINTMENT_PREFIX = "APPT#"
SETTINGS_CALENDAR_SK = "~settings"  # sorts after every ISO time: a Query from a time onwards reads it too
KNOWN_CALENDAR_SK = "~known"


def schedule_sk(therapist_id: str) -> str:
    return f"{SCHEDULE_PREFIX}{therapist_id}"


def known_clients_sk(therapist_id: str) -> str:
    return f"KNOWN#{therapist_id}"


def appointment_sk(client_id: str, appointment_id: str) -> str:
    return f"{APPOINTMENT_PREFIX}{client_id}#{appointment_id}"


def client_appointments_prefix(client_id: str) -> str:
    return f"{APPOINTMENT_PREFIX}{client_id}#"


def calendar_key(org_id: str, therapist_id: str) -> str:
    """The ``by_therapist`` index key of a therapist's settings and live appointments."""
    return f"{org_id}#{therapist_id}"


def calendar_sk(start_iso: str, appointment_id: str) -> str:
    return f"{start_iso}#{appointment_id}"


def practice_calendar_key(org_id: str, bucket: str) -> str:
    """The ``by_practice`` index key of a practice's live appointments: ``pending`` (requests waiting for approval)
    or ``booked`` (confirmed, attended, no-show), each sorted by start — the administrator's day in one Query."""
    return f"{org_id}#{bucket}"


def waitlist_key(org_id: str, therapist_id: str) -> str:
    """The ``by_therapist`` index key of a therapist's waitlist (first come, first offered)."""
    return f"{org_id}#{therapist_id}#wait"


def block_claim_sk(therapist_id: str, epoch_minute: int) -> str:
    """The claim on one five-minute block of a therapist's time: written with attribute_not_exists when an
    appointment takes the block, deleted when it lets go (services/scheduling/holds.py)."""
    return f"SLOT#{therapist_id}#{epoch_minute:010d}"


def hour_claim_sk(therapist_id: str, epoch_minute: int) -> str:
    """One hour of a therapist's time: held whole by one appointment, or shared by the five-minute claims in it."""
    return f"HOUR#{therapist_id}#{epoch_minute:010d}"


def day_count_sk(therapist_id: str, local_day: str) -> str:
    return f"DAY#{therapist_id}#{local_day}"


def client_waitlist_prefix(client_id: str) -> str:
    """A client's waitlist entries and offers: one Query."""
    return f"WL#{client_id}#"


def waitlist_entry_sk(client_id: str, entry_id: str) -> str:
    return f"WL#{client_id}#E#{entry_id}"


def offer_sk(client_id: str, offer_id: str) -> str:
    return f"WL#{client_id}#O#{offer_id}"


def feed_setting_sk(therapist_id: str) -> str:
    return f"FEEDSET#{therapist_id}"


def feed_pk(token_hash: str) -> str:
    """A therapist's private calendar feed, found by the SHA-256 of the token in its URL."""
    return f"FEED#{token_hash}"


# ------------------------------------------------------------------------------------------------ messaging

CONVERSATION_PREFIX = "CONV#"
MESSAGE_PREFIX = "MSG#"
INBOX_PREFIX = "INBOX#"
CAMPAIGN_PREFIX = "CAMPAIGN#"
CAMPAIGNS_SENDING = "SENDING"


def conversation_sk(client_id: str) -> str:
    """One conversation per client: the client and their care team at the practice."""
    return f"{CONVERSATION_PREFIX}{client_id}"


def messages_prefix(client_id: str) -> str:
    return f"{MESSAGE_PREFIX}{client_id}#"


def message_sk(client_id: str, sent_at_iso: str, message_id: str) -> str:
    """Sorted by time within the client's conversation: newest first is one Query in reverse."""
    return f"{MESSAGE_PREFIX}{client_id}#{sent_at_iso}#{message_id}"


def inbox_sk(staff_id: str, client_id: str) -> str:
    """A staff member's entry for one conversation: their unread count and its place in their inbox."""
    return f"{INBOX_PREFIX}{staff_id}#{client_id}"


def inbox_owner(org_id: str, staff_id: str) -> str:
    """The ``by_recency`` index key: one staff member's conversations, newest activity first."""
    return f"{org_id}#{staff_id}"


def inbox_recency(at_iso: str, client_id: str) -> str:
    return f"{at_iso}#{client_id}"


def campaign_sk(created_iso: str, campaign_id: str) -> str:
    """Newest first is one Query in reverse."""
    return f"{CAMPAIGN_PREFIX}{created_iso}#{campaign_id}"


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


# ------------------------------------------------------------------------------------------------ worklist
# The staff dashboards' lists (tables/worklist.py); ``viewer`` is "all" (the practice) or a therapist's staff id.


def work_sk(viewer: str, client_id: str) -> str:
    return f"TODO#{viewer}#{client_id}"


def viewer_key(org_id: str, viewer: str) -> str:
    """The ``by_viewer`` index key: one viewer's clients needing attention, oldest first."""
    return f"{org_id}#{viewer}"


def signed_prefix(viewer: str) -> str:
    return f"SIGNED#{viewer}#"


def signed_sk(viewer: str, signed_at_iso: str, request_id: str) -> str:
    """Sorted by time within the viewer's feed: the newest first is one Query in reverse, bounded by a date."""
    return f"{signed_prefix(viewer)}{signed_at_iso}#{request_id}"


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
