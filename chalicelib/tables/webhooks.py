"""Events received from machine callers (Stripe's webhooks): one item per (source, event id), written with a
condition in the transaction of the change the event causes — so a replayed or duplicate delivery changes nothing."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.tables.base import PortalModel

SHORT_NAME = "webhooks"


class ProcessedEvent(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)  # EVENT#{source}#{event id}
    source = UnicodeAttribute()
    event_type = UnicodeAttribute()
    org_id = UnicodeAttribute(null=True)
    received_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
