"""The append-only audit trail. One partition per organization, newest first by sort key.

Events never hold PHI values: identifiers, actions and outcomes only.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.domain.practice import AuditEntry
from chalicelib.tables.base import PortalModel

SHORT_NAME = "audit"


class ByActorIndex(GlobalSecondaryIndex["AuditEvent"]):
    class Meta:
        index_name = "by_actor"
        projection = AllProjection()

    actor_key = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class BySubjectIndex(GlobalSecondaryIndex["AuditEvent"]):
    class Meta:
        index_name = "by_subject"
        projection = AllProjection()

    subject_key = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class AuditEvent(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)  # "{ISO time}#{event id}": sorts by time
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    at = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    actor_key = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    subject_client_id = UnicodeAttribute(null=True)
    subject_key = UnicodeAttribute(null=True)
    resource = UnicodeAttribute()
    action = UnicodeAttribute()
    outcome = UnicodeAttribute()  # "success" | "failure" | "denied"
    ip = UnicodeAttribute()
    user_agent = UnicodeAttribute()
    request_id = UnicodeAttribute()

    by_actor = ByActorIndex()
    by_subject = BySubjectIndex()


def entry_of(item: AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=item.id,
        at=item.at,
        actor_id=item.actor_id,
        actor_role=item.actor_role,
        subject_client_id=item.subject_client_id,
        resource=item.resource,
        action=item.action,
        outcome=item.outcome,
        ip=item.ip,
        user_agent=item.user_agent,
        request_id=item.request_id,
    )
