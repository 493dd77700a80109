"""One typed settings object, read from the environment once.

Nothing else in the code base reads ``os.environ``: tests build their own ``Settings`` and install it with
``use_settings``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    stage: str = "local"
    region: str = "us-east-1"
    # Local stack and tests point every AWS client at the embedded emulator; deployed stages leave it empty.
    aws_endpoint_url: str | None = None
    table_prefix: str = "portal-local"
    bucket_name: str = "portal-local-documents"
    mail_sender: str = "no-reply@portal.localhost"
    # Absolute base of links placed in mail, e.g. https://portal.example.org (no trailing slash).
    public_base_url: str = "http://localhost:8000"
    cookie_name: str = "__Host-portal_session"
    staff_idle_seconds: int = 15 * 60
    client_idle_seconds: int = 30 * 60
    session_absolute_seconds: int = 12 * 60 * 60
    staff_invitation_ttl_seconds: int = 7 * 24 * 60 * 60
    client_invitation_ttl_seconds: int = 7 * 24 * 60 * 60
    intake_reminder_days: int = 3
    # Paperwork waiting this long shows as overdue on the staff dashboards.
    paperwork_overdue_days: int = 7
    password_reset_ttl_seconds: int = 60 * 60
    sign_in_max_failures_per_account: int = 5
    sign_in_max_failures_per_ip: int = 50
    sign_in_failure_window_seconds: int = 15 * 60
    organization_signup_open: bool = True
    provisioning_key: str | None = None
    seat_price_cents: int = 1500
    max_body_bytes: int = 64 * 1024
    page_size: int = 50
    service_name: str = "client-portal"
    dev_mailbox: bool = False
    # Local stages: presigned S3 links point here (the app's origin proxies the emulator) instead of at the emulator.
    storage_public_base: str | None = None
    # HMAC key for page cursors and other server-issued tokens. Deployed stages set it (a secret); local stages
    # without one get a random key per process, so cursors simply expire on restart.
    signing_key: str | None = None
    # Deployed stages keep their secrets in Secrets Manager and name them here (ARNs, never values): the signing key
    # and the provisioning key are read at first use and cached (``read_secret``). A value set directly above wins.
    signing_key_secret: str | None = None
    provisioning_key_secret: str | None = None
    # The secret CloudFront sends to the API in ORIGIN_VERIFY_HEADER (deployed stages): only a request carrying it
    # came through the CDN, so only its CloudFront-Viewer-Address is the person's address (client_ip in handlers/api.py).
    origin_verify_secret: str | None = None
    # The customer-managed KMS key new documents are encrypted with (deployed stages); None: the bucket's default.
    documents_kms_key: str | None = None
    # The SES configuration set that reports bounces and complaints back to the app (deployed stages).
    mail_configuration_set: str | None = None
    # The notifications outbox: how many index partitions due mail spreads over, retries and their backoff.
    outbox_shards: int = 4
    outbox_max_attempts: int = 8
    outbox_retry_base_seconds: int = 30
    # Staff hear of signed paperwork at most once per client in this long, however many forms were signed meanwhile.
    paperwork_notice_seconds: int = 15 * 60
    # Secure messaging: when set, replaces every practice's "mail me if still unread after N minutes" with this many
    # seconds (the end-to-end tests and demos; deployments leave it unset and practices choose their delay).
    message_notice_seconds: int | None = None
    # The outbox table's stream, for the function that delivers new mail; set by the deployment's template.
    outbox_stream_arn: str = "arn:aws:dynamodb:us-east-1:000000000000:table/portal-outbox/stream/unset"
    # Trace every AWS call with X-Ray through powertools' Tracer (adds ~250 ms to a cold start; off by default —
    # API Gateway and Lambda active tracing still record each request). docs/decisions.md, 17.
    trace_aws_calls: bool = False
    # Where signed PDFs find the fonts not bundled in chalicelib/fonts (Arabic, Hebrew, CJK; searched recursively):
    # the font layer's /opt/fonts on Lambda, Debian's /usr/share/fonts locally (`make fonts` installs them there).
    font_dir: str = "/usr/share/fonts"
    # Payments (docs/decisions.md, 36): each practice connects its own Stripe account with its own keys, stored
    # encrypted under this KMS key. ``stripe_api_base`` points the stripe library at the embedded fake server
    # (localstripe) on local stages; empty means Stripe itself. ``stripe_js_url`` is the script the payment page loads.
    payments_kms_key: str = "alias/portal-payments"
    stripe_api_base: str | None = None
    stripe_js_url: str = "https://js.stripe.com/v3/"
    stripe_webhook_tolerance_seconds: int = 300
    # How long a started card payment holds its claim before the same attempt may be retried (the idempotency key
    # makes a retry safe at Stripe; the claim makes it safe here, where the fake server does not replay keys).
    payment_claim_seconds: int = 60

    @property
    def is_local(self) -> bool:
        return self.stage in {"local", "test"}


def settings_from_env(env: Mapping[str, str]) -> Settings:
    stage = env.get("PORTAL_STAGE", "local")
    prefix = env.get("PORTAL_TABLE_PREFIX", f"portal-{stage}")
    return Settings(
        stage=stage,
        region=env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "us-east-1")),
        aws_endpoint_url=env.get("PORTAL_AWS_ENDPOINT_URL") or None,
        table_prefix=prefix,
        bucket_name=env.get("PORTAL_BUCKET", f"{prefix}-documents"),
        mail_sender=env.get("PORTAL_MAIL_SENDER", "no-reply@portal.localhost"),
        public_base_url=env.get("PORTAL_PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/"),
        staff_idle_seconds=int(env.get("PORTAL_STAFF_IDLE_SECONDS", 15 * 60)),
        client_idle_seconds=int(env.get("PORTAL_CLIENT_IDLE_SECONDS", 30 * 60)),
        session_absolute_seconds=int(env.get("PORTAL_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)),
        staff_invitation_ttl_seconds=int(env.get("PORTAL_STAFF_INVITATION_TTL_SECONDS", 7 * 24 * 3600)),
        client_invitation_ttl_seconds=int(env.get("PORTAL_CLIENT_INVITATION_TTL_SECONDS", 7 * 24 * 3600)),
        intake_reminder_days=int(env.get("PORTAL_INTAKE_REMINDER_DAYS", 3)),
        paperwork_overdue_days=int(env.get("PORTAL_PAPERWORK_OVERDUE_DAYS", 7)),
        password_reset_ttl_seconds=int(env.get("PORTAL_PASSWORD_RESET_TTL_SECONDS", 3600)),
        sign_in_max_failures_per_account=int(env.get("PORTAL_SIGN_IN_MAX_FAILURES_PER_ACCOUNT", 5)),
        sign_in_max_failures_per_ip=int(env.get("PORTAL_SIGN_IN_MAX_FAILURES_PER_IP", 50)),
        organization_signup_open=_flag(env.get("PORTAL_ORGANIZATION_SIGNUP_OPEN"), stage in {"local", "test"}),
        provisioning_key=env.get("PORTAL_PROVISIONING_KEY") or None,
        seat_price_cents=int(env.get("PORTAL_SEAT_PRICE_CENTS", 1500)),
        dev_mailbox=_flag(env.get("PORTAL_DEV_MAILBOX"), False),
        signing_key=env.get("PORTAL_SIGNING_KEY") or None,
        signing_key_secret=env.get("PORTAL_SIGNING_KEY_SECRET") or None,
        provisioning_key_secret=env.get("PORTAL_PROVISIONING_KEY_SECRET") or None,
        origin_verify_secret=env.get("PORTAL_ORIGIN_VERIFY_SECRET") or None,
        documents_kms_key=env.get("PORTAL_DOCUMENTS_KMS_KEY") or None,
        mail_configuration_set=env.get("PORTAL_MAIL_CONFIGURATION_SET") or None,
        outbox_max_attempts=int(env.get("PORTAL_OUTBOX_MAX_ATTEMPTS", 8)),
        message_notice_seconds=int(env["PORTAL_MESSAGE_NOTICE_SECONDS"]) if env.get("PORTAL_MESSAGE_NOTICE_SECONDS") else None,
        trace_aws_calls=_flag(env.get("PORTAL_TRACE_AWS_CALLS"), False),
        outbox_stream_arn=env.get("PORTAL_OUTBOX_STREAM_ARN") or Settings.outbox_stream_arn,
        payments_kms_key=env.get("PORTAL_PAYMENTS_KMS_KEY") or Settings.payments_kms_key,
        stripe_api_base=env.get("PORTAL_STRIPE_API_BASE") or None,
        stripe_js_url=env.get("PORTAL_STRIPE_JS_URL") or Settings.stripe_js_url,
        font_dir=env.get("PORTAL_FONT_DIR") or ("/opt/fonts" if env.get("AWS_LAMBDA_FUNCTION_NAME") else "/usr/share/fonts"),
    )


@lru_cache(maxsize=1)
def _env_settings() -> Settings:
    return settings_from_env(os.environ)


_override: list[Settings] = []


def get_settings() -> Settings:
    return _override[-1] if _override else _env_settings()


_process_key: list[bytes] = []


def signing_key() -> bytes:
    """The key that authenticates cursors: set directly, read from Secrets Manager, or (local stages without either) a
    random one per process."""
    settings = get_settings()
    configured = settings.signing_key or (read_secret(settings.signing_key_secret) if settings.signing_key_secret else None)
    if configured:
        return configured.encode()
    if not _process_key:
        import secrets

        _process_key.append(secrets.token_bytes(32))
    return _process_key[0]


def provisioning_key() -> str | None:
    """The operator's key for creating practices while sign-up is closed: set directly or read from Secrets Manager."""
    settings = get_settings()
    if settings.provisioning_key:
        return settings.provisioning_key
    return read_secret(settings.provisioning_key_secret) if settings.provisioning_key_secret else None


# ------------------------------------------------------------------------------------------------- secrets

# A rotated secret reaches every warm function within this many seconds (docs/operations.md, "Rotating secrets").
SECRET_CACHE_SECONDS = 600
_secret_cache: dict[tuple[str, str, str | None], tuple[float, str]] = {}


@lru_cache(maxsize=2)
def _secrets_client(region: str, endpoint: str | None) -> Any:
    from chalicelib.adapters.aws import client

    return client("secretsmanager", region, endpoint)


def read_secret(secret_id: str) -> str:
    """A secret's value from Secrets Manager, read at first use and cached for ``SECRET_CACHE_SECONDS``. If Secrets
    Manager cannot be reached when the cache is stale, the value already held is used; with none held, the
    request fails (503). Values are never logged."""
    from chalicelib.errors import DependencyFailed

    settings = get_settings()
    key = (secret_id, settings.region, settings.aws_endpoint_url)
    held = _secret_cache.get(key)
    now = time.monotonic()
    if held and now - held[0] < SECRET_CACHE_SECONDS:
        return held[1]
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        value = str(_secrets_client(settings.region, settings.aws_endpoint_url).get_secret_value(SecretId=secret_id)["SecretString"])
    except (BotoCoreError, ClientError, KeyError) as error:
        if held:
            return held[1]
        raise DependencyFailed() from error
    _secret_cache[key] = (now, value)
    return value


def forget_secrets() -> None:
    """Drop cached secret values (tests; a rotation drill)."""
    _secret_cache.clear()


def use_settings(settings: Settings | None) -> None:
    """Install (or with ``None`` remove) explicit settings; used by tests and the local stack."""
    _override.clear()
    if settings is not None:
        _override.append(settings)
