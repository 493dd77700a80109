"""The appointment reminder job: every confirmed appointment whose reminder is due, across all practices.

It Queries the sparse ``by_reminder`` index page by page (never a Scan) until nothing is due or its time is up. Each
reminder removes the appointment's due time in the same transaction that queues the mail (no PHI: "an appointment
is coming up — sign in") and writes the audit event, so a run that stops halfway resumes where it stopped and no
appointment is reminded twice. A practice with self-scheduling switched off sends none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from chalicelib import audit, clock
from chalicelib.auth.features import Feature, PracticeFacts
from chalicelib.auth.principals import Anonymous
from chalicelib.errors import DomainError
from chalicelib.services.scheduling import ledger, notices
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_none, transaction
from chalicelib.tables.organizations import Organization
from chalicelib.tables.scheduling import REMINDER_SHARD, Appointment

PAGE = 100


@dataclass
class ReminderRun:
    reminded: int = 0
    skipped: int = 0
    finished: bool = True


def send_due_reminders(*, seconds: float = 50.0) -> ReminderRun:
    run = ReminderRun()
    deadline = time.monotonic() + seconds
    now = clock.iso(clock.now())
    practices: dict[str, PracticeFacts | None] = {}
    for item in Appointment.by_reminder.query(REMINDER_SHARD, Appointment.reminder_due_at <= now, page_size=PAGE):
        if time.monotonic() > deadline:
            run.finished = False
            return run
        if item.org_id not in practices:
            org = get_or_none(Organization, keys.org_pk(item.org_id), keys.ORGANIZATION_SK)
            practices[item.org_id] = PracticeFacts.of(org) if org is not None else None
        try:
            if _remind(item, practices[item.org_id]):
                run.reminded += 1
            else:
                run.skipped += 1
        except DomainError:
            run.skipped += 1  # cancelled or moved while the job ran: the next run looks again
    return run


def _remind(item: Appointment, practice: PracticeFacts | None) -> bool:
    send = practice is not None and practice.switched_on(Feature.SELF_SCHEDULING) and item.status == "confirmed"
    with transaction() as tx:
        tx.update(
            item,
            actions=ledger.no_reminder(),
            condition=(Appointment.status == item.status) & (Appointment.reminder_due_at == item.reminder_due_at),
            add_version_condition=False,
        )
        if send and practice is not None:
            notices.send(tx, practice, item.client_id, "appointment_reminder")
            system = Anonymous(org_id=item.org_id, id="system", role="system")
            tx.save(audit.event(system, "appointment.remind", f"appointment/{item.id}", subject_client_id=item.client_id))
    return send
