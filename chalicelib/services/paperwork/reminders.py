"""The hourly reminder job: every pending request whose reminder is due, across all practices.

It Queries the sparse ``by_reminder`` index page by page (never a Scan) until nothing is due or its time is up;
each reminder moves its request's next due time on in the same transaction that queues the mail and writes the audit
event, so a run that stops halfway resumes exactly where it stopped and nothing is counted without its mail. A
practice with intake switched off gets nothing (its reminders wait a day and are looked at again). An active client
is reminded to sign in; an invited client who never set a password gets a fresh invitation link instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.expressions.update import Action

from chalicelib import audit, clock
from chalicelib.auth.features import Feature, PracticeFacts
from chalicelib.auth.principals import Anonymous
from chalicelib.config import get_settings
from chalicelib.errors import DomainError
from chalicelib.services import outbox, password_links
from chalicelib.services.password_links import sign_in_url
from chalicelib.tables import keys
from chalicelib.tables.accounts import ClientRecord
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.intake import REMINDER_SHARD, FormRequest
from chalicelib.tables.organizations import Organization

MAX_REMINDERS = 3
PAGE = 100


@dataclass
class ReminderRun:
    reminded: int = 0
    invited: int = 0
    skipped: int = 0
    finished: bool = True


def send_due_reminders(*, seconds: float = 50.0) -> ReminderRun:
    """Everything due now, or as much as ``seconds`` allow; the rest is picked up by the next run."""
    run = ReminderRun()
    deadline = time.monotonic() + seconds
    now = clock.now()
    practices: dict[str, PracticeFacts | None] = {}
    # Paged lazily; a handled request moves its due time past now, so it never comes round again in this run.
    for request in FormRequest.by_reminder.query(REMINDER_SHARD, FormRequest.reminder_due_at <= clock.iso(now), page_size=PAGE):
        if time.monotonic() > deadline:
            run.finished = False
            return run
        _remind(request, now, practices, run)
    return run


def _remind(request: FormRequest, now: datetime, practices: dict[str, PracticeFacts | None], run: ReminderRun) -> None:
    if request.org_id not in practices:
        org = get_or_none(Organization, keys.org_pk(request.org_id), keys.ORGANIZATION_SK)
        practices[request.org_id] = PracticeFacts.of(org) if org is not None else None
    practice = practices[request.org_id]
    client = get_or_none(ClientRecord, keys.org_pk(request.org_id), keys.client_sk(request.client_id))
    try:
        if practice is None or client is None or not practice.switched_on(Feature.INTAKE_FORMS):
            _postpone(request, now)
            run.skipped += 1
        elif client.status == "active" and client.email:
            _reminder_mail(request, client, practice, now)
            run.reminded += 1
        elif client.status == "invited" and client.email:
            _invitation_again(request, client, practice, now)
            run.invited += 1
        else:
            _postpone(request, now)
            run.skipped += 1
    except DomainError:
        run.skipped += 1  # signed while the job ran, or a passing failure: the next run looks again


def _schedule(request: FormRequest, now: datetime) -> list[Action]:
    done = int(request.reminders_sent or 0) + 1 >= MAX_REMINDERS
    actions: list[Action] = [FormRequest.reminders_sent.add(1)]
    if done:
        return [*actions, FormRequest.reminder_shard.remove(), FormRequest.reminder_due_at.remove()]
    return [*actions, FormRequest.reminder_due_at.set(clock.iso(now + timedelta(days=get_settings().intake_reminder_days)))]


def _postpone(request: FormRequest, now: datetime) -> None:
    request.update(
        actions=[FormRequest.reminder_due_at.set(clock.iso(now + timedelta(days=1)))],
        condition=FormRequest.status != "completed",
        add_version_condition=False,
    )


def _system(org_id: str) -> Anonymous:
    return Anonymous(org_id=org_id, id="system", role="system")


def _reminder_mail(request: FormRequest, client: ClientRecord, practice: PracticeFacts, now: datetime) -> None:
    mail = outbox.Mail(
        to=client.email or "", template="paperwork_reminder", params={"practice": practice.name, "sign_in_link": sign_in_url(practice.slug)}
    )
    with transaction() as tx:
        tx.update(request, actions=_schedule(request, now), condition=FormRequest.status != "completed", add_version_condition=False)
        outbox.enqueue(tx, request.org_id, mail)
        tx.save(audit.event(_system(request.org_id), "forms.remind", f"form_request/{request.id}", subject_client_id=client.id))


def _invitation_again(request: FormRequest, client: ClientRecord, practice: PracticeFacts, now: datetime) -> None:
    """An invited client cannot sign in yet: the reminder is their invitation, with a fresh link (the old one ends)."""
    link = password_links.issue(
        password_links.Purpose.CLIENT_INVITE, client.org_id, client.id, org_name=practice.name, org_slug=practice.slug
    )
    with transaction() as tx:
        tx.update(request, actions=_schedule(request, now), condition=FormRequest.status != "completed", add_version_condition=False)
        tx.save(link.record)
        tx.update(
            ClientRecord(client.pk, client.sk),
            actions=[ClientRecord.password_token_hash.set(link.token_hash), ClientRecord.invitation_expires_at.set(link.record.expires_at)],
            condition=ClientRecord.status == "invited",
            add_version_condition=False,
        )
        password_links.enqueue(
            tx,
            link,
            password_links.mail_for(link, to=client.email or "", practice=practice.name, slug=practice.slug, time_zone=practice.time_zone),
            report=True,
            send_now=False,
        )
        tx.save(audit.event(_system(request.org_id), "forms.remind", f"form_request/{request.id}", subject_client_id=client.id))
