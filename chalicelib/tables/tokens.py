"""Single-use, expiring set-password tokens (staff invitations and password resets).

Keyed by the SHA-256 of the secret that travels in the mail; the secret itself is never stored.
"""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.tables.base import PortalModel

SHORT_NAME = "tokens"


class PasswordToken(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    purpose = UnicodeAttribute()  # "staff_invite" | "password_reset"
    org_id = UnicodeAttribute()
    # Copies so that redeeming a link needs no extra read to name the practice.
    org_name = UnicodeAttribute()
    org_slug = UnicodeAttribute()
    account_id = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()
