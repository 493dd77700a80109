"""iCalendar: an ``.ics`` file of one appointment for the client, and each therapist's private, revocable feed of
their appointments for their own calendar app (no client names unless they opt in). Built with the ``icalendar``
library, imported only here, when a calendar is rendered; times are written in UTC ("Z").

The feed's URL carries a random token (256 bits) that is its only credential: only its SHA-256 is stored
(``FEED#{hash}``); issuing a new one revokes the old, and revoking leaves no way in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from chalicelib import audit, clock
from chalicelib.auth.features import Feature, PracticeFacts
from chalicelib.auth.principals import Anonymous, ClientPrincipal, StaffPrincipal
from chalicelib.auth.tokens import digest, new_secret
from chalicelib.config import get_settings
from chalicelib.domain.scheduling import FeedState, IssuedFeed
from chalicelib.errors import NotFound
from chalicelib.services.scheduling.booking import my_appointment
from chalicelib.services.scheduling.schedule import read_schedule
from chalicelib.tables import keys
from chalicelib.tables.accounts import StaffMember
from chalicelib.tables.base import get_or_none, read_together, transaction
from chalicelib.tables.organizations import Organization
from chalicelib.tables.scheduling import Appointment, FeedKey, FeedSetting, feed_state_of

FEED_PAST = timedelta(days=30)
STATUS = {"pending": "TENTATIVE", "confirmed": "CONFIRMED", "attended": "CONFIRMED", "no_show": "CONFIRMED"}
PLACE = {"telehealth": "Video session (telehealth)", "in_person": "In person"}
NO_FEED = "No calendar feed with this address. It may have been revoked."


# ---------------------------------------------------------------------------------------------- one appointment


def appointment_file(principal: ClientPrincipal, appointment_id: str) -> tuple[str, str]:
    """The client's own appointment as an .ics file: (filename, text)."""
    item = my_appointment(principal, appointment_id)
    text = render(principal.practice, [item], title=f"{principal.practice.name}", for_client=True)
    audit.record(principal, "appointment.calendar_file", f"appointment/{appointment_id}", subject_client_id=principal.id)
    return f"appointment-{item.start:%Y-%m-%d}.ics", text


def render(practice: PracticeFacts, items: Iterable[Appointment], *, title: str, for_client: bool = False, names: bool = False) -> str:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Client Portal//Scheduling//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    now = clock.now()
    for item in items:
        event = Event()
        event.add("uid", f"{item.id}@{practice.slug}.client-portal")
        event.add("dtstamp", now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", _summary(item, practice, for_client=for_client, names=names))
        event.add("location", PLACE.get(item.modality, ""))
        event.add("status", STATUS.get(item.status, "CANCELLED"))
        event.add("sequence", int(item.version or 0))
        calendar.add_component(event)
    text: Any = calendar.to_ical()
    return bytes(text).decode("utf-8")


def _summary(item: Appointment, practice: PracticeFacts, *, for_client: bool, names: bool) -> str:
    if for_client:
        who = f" with {item.therapist_name}" if item.therapist_name else f" at {practice.name}"
        return f"{item.service_name}{who}" + (" (requested)" if item.status == "pending" else "")
    label = f"{item.service_name} — {item.client_name}" if names else item.service_name
    return label + (" (request)" if item.status == "pending" else "")


# --------------------------------------------------------------------------------------- the therapist's feed


def feed_state(principal: StaffPrincipal) -> FeedState:
    return feed_state_of(get_or_none(FeedSetting, keys.org_pk(principal.org_id), keys.feed_setting_sk(principal.id)))


def issue_feed(principal: StaffPrincipal, include_names: bool) -> IssuedFeed:
    """A new feed address (shown once); the previous one stops working in the same write."""
    pk = keys.org_pk(principal.org_id)
    old = get_or_none(FeedSetting, pk, keys.feed_setting_sk(principal.id))
    token = new_secret()
    token_hash = digest(token)
    now = clock.now()
    setting = FeedSetting(pk, keys.feed_setting_sk(principal.id), token_hash=token_hash, created_at=now, include_names=include_names)
    with transaction() as tx:
        if old is not None:
            tx.delete(FeedKey(keys.feed_pk(old.token_hash), "FEED"))
        tx.save(FeedKey(keys.feed_pk(token_hash), "FEED", org_id=principal.org_id, therapist_id=principal.id, include_names=include_names,
                        created_at=now), condition=FeedKey.pk.does_not_exist())  # fmt: skip
        tx.save(setting)
        tx.save(audit.event(principal, "calendar_feed.issue", f"schedule/{principal.id}"))
    url = f"{get_settings().public_base_url}/api/calendar-feed?token={token}"
    return IssuedFeed(url=url, state=feed_state_of(setting))


def revoke_feed(principal: StaffPrincipal) -> None:
    pk = keys.org_pk(principal.org_id)
    old = get_or_none(FeedSetting, pk, keys.feed_setting_sk(principal.id))
    if old is None:
        raise NotFound("You have no calendar feed.")
    with transaction({"setting": NotFound("You have no calendar feed.")}) as tx:
        tx.delete(FeedKey(keys.feed_pk(old.token_hash), "FEED"))
        tx.delete(FeedSetting(pk, keys.feed_setting_sk(principal.id)), condition=FeedSetting.token_hash == old.token_hash, label="setting")
        tx.save(audit.event(principal, "calendar_feed.revoke", f"schedule/{principal.id}"))


def feed(token: str) -> str:
    """The feed behind a token, while its therapist is active, seated and the practice schedules online."""
    if not token or len(token) > 128:
        raise NotFound(NO_FEED)
    key = get_or_none(FeedKey, keys.feed_pk(digest(token)), "FEED")
    if key is None:
        raise NotFound(NO_FEED)
    member, org = read_together(
        (StaffMember, keys.org_pk(key.org_id), keys.staff_sk(key.therapist_id)),
        (Organization, keys.org_pk(key.org_id), keys.ORGANIZATION_SK),
    )
    practice = PracticeFacts.of(org) if org is not None else None
    if member is None or member.status != "active" or practice is None or not _entitled(practice, key.therapist_id):
        raise NotFound(NO_FEED)
    schedule = read_schedule(key.org_id, key.therapist_id, since=clock.now() - FEED_PAST)
    text = render(practice, schedule.appointments, title=f"{practice.name} appointments", names=bool(key.include_names))
    actor = Anonymous(org_id=key.org_id, id=key.therapist_id, role="calendar_feed")
    audit.record(actor, "calendar_feed.read", f"schedule/{key.therapist_id}")
    return text


def _entitled(practice: PracticeFacts, therapist_id: str) -> bool:
    return practice.switched_on(Feature.SELF_SCHEDULING) and practice.seated(therapist_id)
