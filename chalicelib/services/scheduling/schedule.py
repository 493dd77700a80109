"""One read of a therapist's schedule: their booking settings, the clients they have seen and every live
appointment from a moment on — one Query of the ``by_therapist`` index, however many appointments there are (a
page holds 1 MB: thousands of appointments; more pages are read only past that)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib import clock
from chalicelib.domain.scheduling import BookingSettings
from chalicelib.services.scheduling import slots
from chalicelib.tables import keys
from chalicelib.tables.scheduling import Appointment, KnownClients, Schedule, from_raw, settings_of

# Appointments that started up to a day ago may still hold time (and their buffers) after now.
LOOK_BACK = timedelta(days=1)


@dataclass(frozen=True)
class TherapistSchedule:
    settings_item: Schedule | None
    known: frozenset[str]
    appointments: tuple[Appointment, ...]  # live ones (holding time, or attended / no-show), by start

    @property
    def settings(self) -> BookingSettings | None:
        return settings_of(self.settings_item) if self.settings_item is not None else None

    @property
    def version(self) -> int:
        return int(self.settings_item.version or 0) if self.settings_item is not None else 0

    def busy(self, *, ignoring: str | None = None) -> list[slots.Busy]:
        """The appointments that block time (confirmed, pending), optionally without one being moved."""
        return [
            slots.Busy(slots.minutes(a.start), slots.minutes(a.end), int(a.buffer_before or 0), int(a.buffer_after or 0))
            for a in self.appointments
            if slots.blocks(a.status) and a.id != ignoring
        ]


def read_schedule(org_id: str, therapist_id: str, since: datetime | None = None, until: datetime | None = None) -> TherapistSchedule:
    """Everything under the therapist's index key from ``since`` (default: a day ago) on — settings and known
    clients sort after every time, so they come with it (unless ``until`` bounds the read: a calendar week)."""
    start = clock.iso((since or clock.now()) - (LOOK_BACK if since is None else timedelta()))
    condition = Appointment.cal_sk.between(start, clock.iso(until)) if until else Appointment.cal_sk >= start
    items = _query(keys.calendar_key(org_id, therapist_id), condition)
    settings: Schedule | None = None
    known: frozenset[str] = frozenset()
    appointments: list[Appointment] = []
    for raw in items:
        item = from_raw(raw)
        if isinstance(item, Schedule):
            settings = item
        elif isinstance(item, KnownClients):
            known = frozenset(item.client_ids or ())
        elif isinstance(item, Appointment):
            appointments.append(item)
    return TherapistSchedule(settings, known, tuple(appointments))


def _query(hash_key: str, condition: Any) -> list[dict[str, Any]]:
    connection = Appointment._get_connection()
    items: list[dict[str, Any]] = []
    start_key = None
    while True:
        page = connection.query(hash_key, range_key_condition=condition, index_name="by_therapist", exclusive_start_key=start_key)
        items.extend(page.get("Items", []))
        start_key = page.get("LastEvaluatedKey")
        if not start_key:
            return items
