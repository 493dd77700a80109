"""Accounts that sign in to an organization's portal, and the claims that keep emails unique per organization.

Layout (one partition per organization):
  ORG#{org} / STAFF#{id}     a staff member (administrator or therapist)
  ORG#{org} / EMAIL#{email}  the claim that reserves an email inside the organization
The ``by_email`` index finds the account for a sign-in in one Query.
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.tables.base import PortalModel

SHORT_NAME = "accounts"
STAFF_PREFIX = "STAFF#"


def org_pk(org_id: str) -> str:
    return f"ORG#{org_id}"


def staff_sk(staff_id: str) -> str:
    return f"{STAFF_PREFIX}{staff_id}"


def email_sk(email: str) -> str:
    return f"EMAIL#{email}"


def email_key(org_id: str, email: str) -> str:
    return f"{org_id}#{email}"


class ByEmailIndex(GlobalSecondaryIndex["StaffMember"]):
    class Meta:
        index_name = "by_email"
        projection = AllProjection()

    email_key = UnicodeAttribute(hash_key=True)


class StaffMember(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    org_id = UnicodeAttribute()
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    email_key = UnicodeAttribute()
    role = UnicodeAttribute()  # "administrator" | "therapist"
    can_invite_clients = BooleanAttribute(default=False)
    status = UnicodeAttribute()  # "invited" | "active" | "deactivated"
    subscribed = BooleanAttribute(default=False)
    password_hash = UnicodeAttribute(null=True)
    # Hash of the one set-password link (invitation or reset) that may still be used.
    password_token_hash = UnicodeAttribute(null=True)
    invitation_delivery = UnicodeAttribute(null=True)  # "sent" | "failed"
    created_at = UTCDateTimeAttribute()
    last_sign_in_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()

    by_email = ByEmailIndex()


class StaffSeat(PortalModel):
    """A staff member's seat flag and status without the version: a seat change is not an edit of the profile, and a
    key-only update through the versioned model would reset ``version``."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute(null=True)
    subscribed = BooleanAttribute(default=False)


class EmailClaim(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    account_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # "staff" | "client"
