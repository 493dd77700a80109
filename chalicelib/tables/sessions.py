"""Server-side sessions. Only the SHA-256 of the cookie's secret is stored; the secret itself never is.

A session names its organization and account and the account's session epoch when it began; who the person is
(role, permissions, status, second factors) is read from the account on every request, never copied here.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.tables.base import PortalModel

SHORT_NAME = "sessions"


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
    # The account's session_epoch when this session began: a later epoch (revocation) ends it.
    epoch = NumberAttribute(default=0)
    csrf_token = UnicodeAttribute()
    # How the person signed in ("password", "password+authenticator", "password+passkey", "passkey", ...) and when
    # they last proved a second factor in this session (None: not yet). auth/second_factor.py derives the stage.
    method = UnicodeAttribute(null=True)
    factor_verified_at = UTCDateTimeAttribute(null=True)
    idle_seconds = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    absolute_expires_at = UTCDateTimeAttribute()
    # DynamoDB deletes expired sessions eventually; validity is always checked by the server, not by TTL.
    expires = TTLAttribute()

    by_principal = ByPrincipalIndex()
