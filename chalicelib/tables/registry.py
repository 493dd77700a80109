"""Every table model, and binding them to a stage's tables. The local stack, the tests and the CloudFormation template
are generated from this list, so their tables cannot drift from the models the code uses."""

from __future__ import annotations

from collections.abc import Iterator

from chalicelib.config import Settings
from chalicelib.tables import (
    accounts,
    audit,
    factors,
    files,
    intake,
    messaging,
    organizations,
    outbox,
    payments,
    scheduling,
    sessions,
    throttles,
    tokens,
    webhooks,
    worklist,
)
from chalicelib.tables.base import PortalModel, forget_connections

MODELS: tuple[type[PortalModel], ...] = (
    organizations.Organization,
    organizations.OrganizationCounters,
    organizations.SlugClaim,
    organizations.PracticeOfficeHours,
    organizations.PracticeBranding,
    accounts.StaffMember,
    accounts.StaffSeat,
    accounts.EmailClaim,
    accounts.Login,
    accounts.ClientRecord,
    accounts.ClientInvitation,
    accounts.ClientPreferences,
    accounts.ClientActivity,
    accounts.AccountInbox,
    accounts.Assignment,
    accounts.SearchEntry,
    accounts.InvitationTemplate,
    sessions.Session,
    tokens.PasswordToken,
    throttles.Throttle,
    audit.AuditEvent,
    intake.FormRequest,
    intake.FormHead,
    intake.FormVersion,
    intake.OpenRequestClaim,
    outbox.OutboxItem,
    files.Upload,
    webhooks.ProcessedEvent,
    # The first model of a physical table defines it (its indexes included): Appointment carries both indexes.
    scheduling.Appointment,
    scheduling.Schedule,
    scheduling.FeedSetting,
    scheduling.KnownClients,
    scheduling.BlockClaim,
    scheduling.HourClaim,
    scheduling.DayCount,
    scheduling.WaitlistEntry,
    scheduling.Offer,
    scheduling.FeedKey,
    messaging.MessagingTable,  # first of its table: it carries the schema (both indexes)
    messaging.Conversation,
    messaging.MessageItem,
    messaging.InboxEntry,
    messaging.CampaignItem,
    payments.InvoiceItem,  # first: the table's schema (both indexes) comes from it
    payments.PaymentItem,
    payments.RefundItem,
    payments.InvoiceCounter,
    payments.PaymentsConnection,
    payments.SavedCardItem,
    factors.Authenticator,
    factors.AuthenticatorSetUp,
    factors.Passkey,
    factors.RecoveryCode,
    factors.FactorItem,
    factors.PasskeyChallenge,
    worklist.WorkEntry,  # first of its table: the schema (its index, TTL) comes from it
    worklist.SignedEntry,
)


def table_models() -> tuple[type[PortalModel], ...]:
    return MODELS


def table_name(settings: Settings, short_name: str) -> str:
    return f"{settings.table_prefix}-{short_name}"


def bind_tables(settings: Settings) -> None:
    """Point every model at this stage's tables and endpoint. No I/O: safe at import time."""
    for model in MODELS:
        model.Meta.table_name = table_name(settings, model.Meta.short_name)
        model.Meta.region = settings.region
        model.Meta.host = settings.aws_endpoint_url
        model._connection = None
    forget_connections()


_bound_to: list[Settings] = []


def ensure_bound(settings: Settings) -> None:
    """Bind once per settings object (the first request of a cold start, or a test that installs new settings)."""
    if not _bound_to or _bound_to[-1] is not settings:
        bind_tables(settings)
        _bound_to[:] = [settings]


def physical_tables() -> Iterator[type[PortalModel]]:
    """One model per physical table (several models may share a table)."""
    seen: set[str] = set()
    for model in MODELS:
        if model.Meta.short_name not in seen:
            seen.add(model.Meta.short_name)
            yield model
