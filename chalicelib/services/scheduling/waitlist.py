"""The waitlist: a client waits for a therapist's service at a time of day; when an appointment is cancelled or
declined, the first few waiting clients whose wish the freed time fits are offered it by mail (no PHI), and the
first to claim it books it — the claim is an ordinary booking, so the time claims decide (one winner, 409 for the
rest), and the other offers of that opening are marked taken in the winner's transaction."""

from __future__ import annotations

import hashlib

from chalicelib import audit, clock
from chalicelib.auth.principals import ClientPrincipal
from chalicelib.domain import scheduling as domain
from chalicelib.errors import Conflict, NotFound
from chalicelib.services.scheduling.booking import assigned, check_start, open_settings, write_booking
from chalicelib.services.scheduling.schedule import read_schedule
from chalicelib.services.scheduling.settings import service_for
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_not_found, transaction
from chalicelib.tables.scheduling import Offer, WaitlistEntry, appointment_of, entry_of, offer_of


def entry_id_for(client_id: str, therapist_id: str, service_id: str) -> str:
    """One entry per client, therapist and service: the id is derived, so a second join meets the first."""
    return "w" + hashlib.sha256(f"{client_id}:{therapist_id}:{service_id}".encode()).hexdigest()[:16]


def join(principal: ClientPrincipal, therapist_id: str, service_id: str, time_of_day: str) -> domain.WaitlistEntry:
    """One entry per client, therapist and service (a second is 409)."""
    assigned(principal, therapist_id)
    schedule = read_schedule(principal.org_id, therapist_id)
    settings = open_settings(schedule)
    service = service_for(settings, service_id)
    entry_id = entry_id_for(principal.id, therapist_id, service_id)
    now = clock.now()
    entry = WaitlistEntry(
        keys.org_pk(principal.org_id),
        keys.waitlist_entry_sk(principal.id, entry_id),
        id=entry_id,
        client_id=principal.id,
        therapist_id=therapist_id,
        therapist_name=schedule.settings_item.therapist_name if schedule.settings_item else "",
        service_id=service.id,
        service_name=service.name,
        time_of_day=time_of_day,
        time_zone=principal.time_zone,
        created_at=now,
        cal_pk=keys.waitlist_key(principal.org_id, therapist_id),
        cal_sk=f"{clock.iso(now)}#{principal.id}#{entry_id}",
    )
    with transaction({"entry": Conflict("You are already on this waitlist.")}) as tx:
        tx.save(entry, condition=WaitlistEntry.pk.does_not_exist(), label="entry")
        tx.save(audit.event(principal, "waitlist.join", f"waitlist/{entry_id}", subject_client_id=principal.id))
    return entry_of(entry)


def leave(principal: ClientPrincipal, entry_id: str) -> None:
    entry = WaitlistEntry(keys.org_pk(principal.org_id), keys.waitlist_entry_sk(principal.id, entry_id))
    with transaction({"entry": NotFound("No such waitlist entry.")}) as tx:
        tx.delete(entry, condition=WaitlistEntry.pk.exists(), label="entry")
        tx.save(audit.event(principal, "waitlist.leave", f"waitlist/{entry_id}", subject_client_id=principal.id))


def my_waitlist(principal: ClientPrincipal) -> domain.Waitlist:
    """The client's entries and their offers still open (or just decided), in one Query."""
    items = WaitlistEntry._get_connection().query(
        keys.org_pk(principal.org_id), WaitlistEntry.sk.startswith(keys.client_waitlist_prefix(principal.id)), consistent_read=True
    )
    entries: list[domain.WaitlistEntry] = []
    offers: list[domain.Offer] = []
    now = clock.now()
    for raw in items.get("Items", []):
        kind = raw.get("kind", {}).get("S")
        if kind == "waitlist":
            entries.append(entry_of(WaitlistEntry.from_raw_data(raw)))
        elif kind == "offer":
            offer = Offer.from_raw_data(raw)
            if offer.start > now:
                offers.append(offer_of(offer))
    audit.record(principal, "waitlist.list", f"client/{principal.id}", subject_client_id=principal.id)
    return domain.Waitlist(tuple(sorted(entries, key=lambda e: e.created_at)), tuple(sorted(offers, key=lambda o: o.start)))


# -------------------------------------------------------------------------------------------- claiming an offer


def claim(principal: ClientPrincipal, offer_id: str) -> domain.Appointment:
    """Book the offered time: a normal booking (first claim wins), the offer claimed, its siblings taken, and the
    client's place on the waitlist given up."""
    offer = get_or_not_found(Offer, keys.org_pk(principal.org_id), keys.offer_sk(principal.id, offer_id), message="No such offer.")
    if offer.status != "open":
        raise Conflict("Someone else claimed this time first." if offer.status == "taken" else "You already claimed this time.")
    checked = check_start(principal, offer.therapist_id, offer.service_id, offer.start)
    pk = keys.org_pk(principal.org_id)
    with transaction({"offer": Conflict("This offer changed in the meantime.")}) as tx:
        item = write_booking(tx, principal, checked, offer_id=offer_id)
        tx.update(offer, actions=[Offer.status.set("claimed"), Offer.appointment_id.set(item.id)], condition=Offer.status == "open",
                  label="offer", add_version_condition=False)  # fmt: skip
        for sibling in sorted(offer.siblings or ()):
            client_id, other = sibling.split("/", 1)
            sibling_offer = Offer(pk, keys.offer_sk(client_id, other))
            tx.update(sibling_offer, actions=[Offer.status.set("taken")], condition=Offer.pk.exists(), add_version_condition=False)
        tx.delete(WaitlistEntry(pk, keys.waitlist_entry_sk(principal.id, entry_id_for(principal.id, offer.therapist_id, offer.service_id))))
        tx.save(audit.event(principal, "waitlist.claim", f"appointment/{item.id}", subject_client_id=principal.id))
    return appointment_of(item)
