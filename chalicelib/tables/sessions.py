"""Server-side sessions. Only the SHA-256 of the cookie token is stored; the token itself never is."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.tables.base import PortalModel

SHORT_NAME = "sessions"


def session_pk(token_hash: str) -> str:
    return f"SESSION#{token_hash}"


def principal_key(org_id: str, principal_id: str) -> str:
    return f"{org_id}#{principal_id}"


class ByPrincipalIndex(GlobalSecondaryIndex["Session"]):
    class Meta:
        index_name = "by_principal"
        projection = KeysOnlyProjection()

    principal_key = UnicodeAttribute(hash_key=True)


class Session(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    principal_id = UnicodeAttribute()
    principal_key = UnicodeAttribute()
    kind = UnicodeAttribute()  # "staff" | "client"
    role = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    can_invite_clients = BooleanAttribute(default=False)
    org_name = UnicodeAttribute()
    org_slug = UnicodeAttribute()
    csrf_token = UnicodeAttribute()
    idle_seconds = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    absolute_expires_at = UTCDateTimeAttribute()
    # DynamoDB deletes expired sessions eventually; validity is always checked by the server, not by TTL.
    expires = TTLAttribute()

    by_principal = ByPrincipalIndex()
