"""Fixed-window attempt counters for sign-in and password-reset throttling (per account key and per IP)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.tables.base import PortalModel

SHORT_NAME = "throttles"


class Throttle(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0)
    window_started_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
