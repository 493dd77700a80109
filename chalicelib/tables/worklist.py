"""What needs doing, per viewer: the staff dashboards' lists, kept in the writes that change them.

Layout (one partition per organization):
  ORG#{org} / TODO#{viewer}#{client}                      the client needs attention: an invitation not accepted
                                                          yet, or paperwork waiting
  ORG#{org} / SIGNED#{viewer}#{signed at}#{request}       a form the client signed (kept 30 days)
``viewer`` is ``all`` (the practice, for administrators) or a therapist's staff id (their own clients). A client's
entries exist for ``all`` and for each therapist assigned to them. The ``by_viewer`` index lists a viewer's TODO
entries oldest first. The entries only say *which* clients to look at: the dashboard reads the clients' records
(names, counters, status) when it shows them, so nothing here goes stale but the list itself.
"""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.tables.base import PortalModel

SHORT_NAME = "worklist"
PRACTICE_VIEWER = "all"


class ByViewerIndex(GlobalSecondaryIndex["WorkEntry"]):
    class Meta:
        index_name = "by_viewer"
        projection = AllProjection()

    viewer_key = UnicodeAttribute(hash_key=True)
    since = UnicodeAttribute(range_key=True)


class WorkEntry(PortalModel):
    """``TODO#{viewer}#{client}``: in the viewer's list from ``since`` (the earliest moment the client needed
    attention in this stretch) until the write that settles it deletes the entry."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    client_id = UnicodeAttribute()
    viewer_key = UnicodeAttribute()
    since = UnicodeAttribute()
    # Never set on a TODO entry (it lasts until settled); declared on the table's first model so TTL is on for SIGNED.
    expires = TTLAttribute(null=True)

    by_viewer = ByViewerIndex()


class SignedEntry(PortalModel):
    """``SIGNED#{viewer}#{signed at}#{request}``: newest first is one Query in reverse, bounded by a date."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    client_id = UnicodeAttribute()
    request_id = UnicodeAttribute()
    title = UnicodeAttribute()
    signed_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
