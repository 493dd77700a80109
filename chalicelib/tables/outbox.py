"""The notifications outbox: every mail the product sends, written in the same transaction as the change that causes
it, and delivered by a worker (``services/outbox.py``).

``MAIL#{id}`` — one item per mail (or per batch of coalesced notifications). While it waits, it carries
``due_shard`` and ``due_at``, which put it in the sparse ``by_due`` index: the worker finds due mail with a Query per
shard, never a Scan. The table has a stream (new images), so on AWS a new item is delivered within seconds; the
scheduled sweep picks up delayed items and retries. Items hold no PHI: a recipient address, a template name and its
values (practice name, links). Values that carry a secret (a set-password link) are cleared once delivered.
"""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.tables.base import PortalModel

SHORT_NAME = "outbox"


class ByDueIndex(GlobalSecondaryIndex["OutboxItem"]):
    class Meta:
        index_name = "by_due"
        projection = AllProjection()

    due_shard = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class ByMessageIndex(GlobalSecondaryIndex["OutboxItem"]):
    """SES's message id → the item, so a bounce or complaint reported later is recorded against it."""

    class Meta:
        index_name = "by_message"
        projection = KeysOnlyProjection()

    message_id = UnicodeAttribute(hash_key=True)


class OutboxItem(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"
        stream_view_type = "NEW_IMAGE"

    pk = UnicodeAttribute(hash_key=True)
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    to = UnicodeAttribute()
    template = UnicodeAttribute()
    params = JSONAttribute(null=True)
    # Names of params to clear after delivery (they carry a secret, such as a set-password link).
    secret_params = JSONAttribute(null=True)
    status = UnicodeAttribute(default="pending")  # pending | sent | skipped | failed | rejected | bounced
    due_shard = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    # Every enqueue onto a coalesced item adds one; delivery completes only if no event joined meanwhile.
    revision = NumberAttribute(default=0)
    lease_until = UTCDateTimeAttribute(null=True)
    # Re-checked at delivery ("still unread?"): {"hook": "module:function", "args": {...}}; false → skipped.
    recheck = JSONAttribute(null=True)
    # Told of the final outcome (e.g. the client's invitation shows "failed"): {"hook": ..., "args": {...}}.
    report = JSONAttribute(null=True)
    # After a coalesced batch is sent, a later event starts the next batch this many seconds after it.
    batch_delay_seconds = NumberAttribute(null=True)
    # A coalesced item mailed less than this many seconds ago does not mail again: later events join that mail.
    cooldown_seconds = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)  # an error code, never a message body
    expires = TTLAttribute(null=True)

    by_due = ByDueIndex()
    by_message = ByMessageIndex()
