"""Files people upload (message attachments, and whatever later needs one): the record of each upload.

  ORG#{org} / UPLOAD#{id}    who uploads it, for what, the type and size they declared, where it lives in S3, and —
                             once checked — the type its bytes show, its size and SHA-256

An upload is ``pending`` from the presigned POST until the feature that asked for it checks and claims it
(``attached``) or refuses it (``rejected``, its object removed). Pending records expire after a day (TTL).
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.tables.base import PortalModel

SHORT_NAME = "files"


class Upload(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    owner_id = UnicodeAttribute()
    purpose = UnicodeAttribute()
    filename = UnicodeAttribute()  # as the person named it: shown to those who may open the file, never in a URL or a mail
    declared_type = UnicodeAttribute()
    max_bytes = NumberAttribute()
    key = UnicodeAttribute()
    status = UnicodeAttribute(default="pending")  # pending | attached | rejected
    size = NumberAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    attached_to = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires = TTLAttribute(null=True)
