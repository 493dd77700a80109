"""Freed time offered to the waitlist: when an appointment is cancelled or declined, the first few waiting clients whose
wish fits the freed time get an offer (and a mail without PHI) in the transaction that frees it. Below ``booking``,
which cancels, and ``waitlist``, which joins, lists and claims (a claim is a booking)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from chalicelib.auth.features import PracticeFacts
from chalicelib.auth.tokens import new_id
from chalicelib.services.scheduling import notices, slots
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction
from chalicelib.tables.scheduling import Appointment, Offer, WaitlistEntry

MAX_OFFERS = 5  # per opening: a handful of people race for it, and the transaction stays small
MAX_WAITING = 200
TIMES_OF_DAY = {"morning": (5, 12), "afternoon": (12, 17), "evening": (17, 23), "any": (0, 24)}
MIN_LEAD = timedelta(hours=1)  # an opening closer than this is not offered


def waiting_for(org_id: str, therapist_id: str) -> list[WaitlistEntry]:
    """The therapist's waitlist, oldest first: one Query (read before the change that may free time)."""
    found = WaitlistEntry._get_connection().query(keys.waitlist_key(org_id, therapist_id), index_name="by_therapist", limit=MAX_WAITING)
    return [WaitlistEntry.from_raw_data(raw) for raw in found.get("Items", [])]


def fits(entry: WaitlistEntry, freed: Appointment) -> bool:
    if entry.service_id != freed.service_id or entry.client_id == freed.client_id:
        return False
    low, high = TIMES_OF_DAY.get(entry.time_of_day, (0, 24))
    return low <= freed.start.astimezone(slots.zone(entry.time_zone)).hour < high


def offer_freed(tx: Transaction, practice: PracticeFacts, freed: Appointment, waiting: list[WaitlistEntry]) -> int:
    """Offer a freed time to the first few waiting clients it fits, in the transaction that frees it."""
    if freed.service_id is None or freed.start - clock.now() < MIN_LEAD:
        return 0
    chosen = [entry for entry in waiting if fits(entry, freed)][:MAX_OFFERS]
    ids = [(entry.client_id, new_id("ofr")) for entry in chosen]
    now = clock.now()
    for entry, (client_id, offer_id) in zip(chosen, ids, strict=True):
        siblings = {f"{c}/{o}" for c, o in ids if o != offer_id}
        tx.save(
            Offer(
                keys.org_pk(practice.id),
                keys.offer_sk(client_id, offer_id),
                id=offer_id,
                client_id=client_id,
                therapist_id=freed.therapist_id,
                therapist_name=freed.therapist_name,
                service_id=entry.service_id,
                service_name=entry.service_name,
                start=freed.start,
                end=freed.end,
                siblings=siblings or None,
                created_at=now,
                expires=freed.end + timedelta(days=7),
            )
        )
        notices.send(tx, practice, client_id, "waitlist_opening")
    return len(chosen)
