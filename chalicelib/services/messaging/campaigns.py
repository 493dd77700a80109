"""Mass messages: an administrator writes once, and every client of the audience — all clients with an active portal
account, a therapist's clients, or clients with paperwork waiting — gets it in their own private conversation,
seeing no other recipient.

Starting one writes the campaign and its audit event (the request returns at once). A job sends it in batches:
each batch reads the next part of the audience in client-id order (one Query, and one BatchGetItem when the audience
item does not carry the portal status) and writes, in one transaction, each recipient's message, conversation head,
counters, notification mail and audit event *and* the campaign's progress cursor — conditioned on the cursor being
where this run read it. A batch therefore happens entirely or not at all; a run that dies halfway resumes after the
last committed batch; two runs cannot both send a batch. Each conversation also records the campaigns delivered to
it, under a condition, so no client ever gets one twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pynamodb.exceptions import PynamoDBException

from chalicelib import audit, clock
from chalicelib.auth.features import PracticeFacts
from chalicelib.auth.principals import Anonymous, StaffPrincipal
from chalicelib.auth.tokens import new_id
from chalicelib.domain.messaging import Campaign
from chalicelib.errors import Conflict, DomainError, FieldError, ValidationFailed
from chalicelib.observability import get_logger
from chalicelib.services.messaging import common, notices
from chalicelib.tables import keys
from chalicelib.tables.accounts import Assignment, ClientRecord, StaffMember
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.intake import OpenRequestClaim
from chalicelib.tables.messaging import CampaignItem, Conversation, MessageItem, campaign_of
from chalicelib.tables.organizations import Organization

AUDIENCES = ("all", "therapist", "pending_paperwork")
# Five items per recipient (message, conversation, account, notice, audit event) and the cursor: at most 96 of
# DynamoDB's 100 per transaction.
BATCH = 19
CANDIDATES = 60  # audience items read per batch (one Query page)
LISTED = 20


@dataclass
class CampaignRun:
    sent: int = 0
    skipped: int = 0
    batches: int = 0
    finished: int = 0
    failed: int = 0  # campaigns whose run stopped on a failure (resumed by the next run)
    complete: bool = True


@dataclass
class Batch:
    recipients: list[str] = field(default_factory=list)
    cursor: str | None = None  # the last audience item looked at
    exhausted: bool = False


class CursorMoved(Conflict):
    """Another run sent this batch first."""


# ---------------------------------------------------------------------------------------------- requests


def start_campaign(principal: StaffPrincipal, text: str, audience: str, therapist_id: str | None = None) -> Campaign:
    clean = common.check_text(text)
    if audience not in AUDIENCES:
        raise ValidationFailed("Choose who receives the message.", [FieldError("audience", f"One of: {', '.join(AUDIENCES)}.")])
    therapist_id = _therapist(principal, therapist_id) if audience == "therapist" else None
    now = clock.now()
    campaign_id = new_id("cmp")
    at = clock.iso(now)
    item = CampaignItem(
        keys.org_pk(principal.org_id),
        keys.campaign_sk(at, campaign_id),
        id=campaign_id,
        org_id=principal.org_id,
        text=clean,
        audience=audience,
        therapist_id=therapist_id,
        created_by=principal.id,
        created_by_name=principal.name,
        created_at=now,
        status="sending",
        sending_shard=keys.CAMPAIGNS_SENDING,
        sending_since=f"{at}#{campaign_id}",
    )
    with transaction() as tx:
        tx.save(item, condition=CampaignItem.pk.does_not_exist())
        tx.save(audit.event(principal, "messages.mass_start", f"campaign/{campaign_id}"))
    return campaign_of(item)


def _therapist(principal: StaffPrincipal, therapist_id: str | None) -> str:
    member = get_or_none(StaffMember, keys.org_pk(principal.org_id), keys.staff_sk(therapist_id)) if therapist_id else None
    if member is None or member.status == "deactivated":
        raise ValidationFailed("Choose a therapist of your practice.", [FieldError("therapist_id", "Choose a therapist of your practice.")])
    return str(member.id)


def list_campaigns(principal: StaffPrincipal) -> list[Campaign]:
    """The practice's latest mass messages with their progress (one Query)."""
    found = CampaignItem.query(
        keys.org_pk(principal.org_id),
        CampaignItem.sk.startswith(keys.CAMPAIGN_PREFIX),
        scan_index_forward=False,
        limit=LISTED,
        consistent_read=True,
    )
    return [campaign_of(item) for item in found]


# --------------------------------------------------------------------------------------------------- the job


def send_due(*, seconds: float = 50.0) -> CampaignRun:
    """Every campaign still sending, batch after batch, until done or ``seconds`` are up; the rest waits for the next
    run, which resumes after the last committed batch."""
    run = CampaignRun()
    deadline = time.monotonic() + seconds
    for listed in CampaignItem.by_sending.query(keys.CAMPAIGNS_SENDING):
        if time.monotonic() > deadline:
            run.complete = False
            break
        campaign = get_or_none(CampaignItem, listed.pk, listed.sk)  # the index lags; the cursor must be current
        if campaign is None or campaign.status != "sending":
            continue
        try:
            _work(campaign, deadline, run)
        except (DomainError, PynamoDBException):
            # Nothing of the failed batch was written: the next run resumes after the last committed one.
            get_logger().exception("mass message batch failed", campaign=campaign.id)
            run.failed += 1
            run.complete = False
    return run


def _work(campaign: CampaignItem, deadline: float, run: CampaignRun) -> None:
    org = get_or_none(Organization, keys.org_pk(campaign.org_id), keys.ORGANIZATION_SK)
    try:
        if org is None:
            _finish(campaign)  # the practice is gone: nothing to send
            return
        practice = PracticeFacts.of(org)
        while True:
            if time.monotonic() > deadline:
                run.complete = False
                return
            batch = _next_batch(campaign)
            if batch.recipients or batch.cursor != campaign.cursor:
                _deliver(campaign, practice, batch, run)
            if batch.exhausted:
                _finish(campaign)
                run.finished += 1
                return
    except CursorMoved:
        return  # another run is on it


def _next_batch(campaign: CampaignItem) -> Batch:
    """The next recipients in client-id order: audience items after the cursor, with an active portal account."""
    items, more = _audience(campaign)
    batch = Batch(cursor=campaign.cursor, exhausted=not more)
    statuses = _statuses(campaign, [client_id for _, client_id, status in items if status is None])
    last = campaign.last_client
    for sort_key, client_id, status in items:
        if len(batch.recipients) == BATCH:
            batch.exhausted = False
            break
        batch.cursor = sort_key
        if client_id == last or client_id in batch.recipients:
            continue  # a client with several open forms
        if (status or statuses.get(client_id)) == "active":
            batch.recipients.append(client_id)
        last = client_id
    return batch


def _audience(campaign: CampaignItem) -> tuple[list[tuple[str, str, str | None]], bool]:
    """One page of the audience after the cursor: (sort key, client id, portal status if known), and whether more."""
    pk = keys.org_pk(campaign.org_id)
    start = {"pk": {"S": pk}, "sk": {"S": campaign.cursor}} if campaign.cursor else None
    results: Any
    items: list[tuple[str, str, str | None]]
    if campaign.audience == "all":
        results = ClientRecord.query(
            pk, ClientRecord.sk.startswith(keys.CLIENT_PREFIX), limit=CANDIDATES, last_evaluated_key=start,
            attributes_to_get=["pk", "sk", "id", "status"], consistent_read=True,
        )  # fmt: skip
        items = [(str(item.sk), str(item.id), str(item.status)) for item in results]
    elif campaign.audience == "therapist":
        prefix = keys.assignments_prefix(str(campaign.therapist_id))
        results = Assignment.query(pk, Assignment.sk.startswith(prefix), limit=CANDIDATES, last_evaluated_key=start, consistent_read=True)
        items = [(str(item.sk), str(item.client_id), None) for item in results]
    else:
        results = OpenRequestClaim.query(
            pk, OpenRequestClaim.sk.startswith("OPENREQ#"), limit=CANDIDATES, last_evaluated_key=start, consistent_read=True
        )
        items = [(str(item.sk), str(item.sk).split("#")[1], None) for item in results]
    return items, results.last_evaluated_key is not None


def _statuses(campaign: CampaignItem, client_ids: Iterable[str]) -> dict[str, str]:
    wanted = list(dict.fromkeys(client_ids))
    if not wanted:
        return {}
    pk = keys.org_pk(campaign.org_id)
    found = ClientRecord.batch_get(
        [(pk, keys.client_sk(client_id)) for client_id in wanted], attributes_to_get=["pk", "sk", "id", "status"]
    )
    return {str(item.id): str(item.status) for item in found}


def _deliver(campaign: CampaignItem, practice: PracticeFacts, batch: Batch, run: CampaignRun) -> None:
    """One transaction: the recipients' messages and the cursor. A recipient who already has this campaign fails
    their own condition; the batch is sent again without them."""
    remaining, skipped = list(batch.recipients), 0
    while True:
        tx = transaction({"cursor": CursorMoved()})
        try:
            with tx:
                _advance(tx, campaign, batch, len(remaining), skipped)
                for client_id in remaining:
                    _message(tx, campaign, practice, client_id)
            break
        except CursorMoved:
            raise
        except Conflict:
            already = {label.removeprefix("to:") for label in tx.failed_labels if label.startswith("to:")}
            if not already:
                raise
            remaining = [client_id for client_id in remaining if client_id not in already]
            skipped += len(already)
    campaign.cursor = batch.cursor
    campaign.last_client = batch.recipients[-1] if batch.recipients else campaign.last_client
    run.sent += len(remaining)
    run.skipped += skipped
    run.batches += 1


def _advance(tx: Any, campaign: CampaignItem, batch: Batch, sent: int, skipped: int) -> None:
    where = CampaignItem.cursor.does_not_exist() if campaign.cursor is None else CampaignItem.cursor == campaign.cursor
    actions = [
        CampaignItem.cursor.set(batch.cursor or ""),
        CampaignItem.sent_count.add(sent),
        CampaignItem.skipped_count.add(skipped),
        CampaignItem.batches.add(1),
    ]
    if batch.recipients:
        actions.append(CampaignItem.last_client.set(batch.recipients[-1]))
    tx.update(CampaignItem(campaign.pk, campaign.sk), actions=actions, condition=where, label="cursor")


def _message(tx: Any, campaign: CampaignItem, practice: PracticeFacts, client_id: str) -> None:
    now = clock.now()
    org_id = campaign.org_id
    message = common.message_item(
        org_id, client_id, sender_id=campaign.created_by, sender_kind="staff", sender_name=campaign.created_by_name,
        text=campaign.text, at=now, campaign_id=campaign.id,
    )  # fmt: skip
    tx.save(message, condition=MessageItem.pk.does_not_exist())
    tx.update(
        common.conversation_key(org_id, client_id),
        actions=[
            *common.conversation_actions(client_id, now),
            Conversation.last_staff_message.set(message.sk),
            Conversation.client_unread.add(1),
            Conversation.administrator_ids.add({campaign.created_by}),
            Conversation.campaign_ids.add({campaign.id}),
        ],
        condition=~Conversation.campaign_ids.contains(campaign.id),
        label=f"to:{client_id}",
    )
    common.touch_account(tx, org_id, client_id, common.new_version(), unread=1)
    notices.notify(tx, practice, client_id)
    sender = Anonymous(org_id=org_id, id=campaign.created_by, role="administrator")
    tx.save(audit.event(sender, "messages.send", f"message/{message.id}", subject_client_id=client_id))


def _finish(campaign: CampaignItem) -> None:
    where = CampaignItem.cursor.does_not_exist() if campaign.cursor is None else CampaignItem.cursor == campaign.cursor
    with transaction({"cursor": CursorMoved()}) as tx:
        tx.update(
            CampaignItem(campaign.pk, campaign.sk),
            actions=[
                CampaignItem.status.set("sent"),
                CampaignItem.finished_at.set(clock.now()),
                CampaignItem.sending_shard.remove(),
                CampaignItem.sending_since.remove(),
            ],
            condition=where,
            label="cursor",
        )
    campaign.status = "sent"
