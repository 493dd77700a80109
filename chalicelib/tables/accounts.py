"""People of an organization — staff and clients — and the claims that keep emails unique per organization.

Layout (one partition per organization):
  ORG#{org} / STAFF#{id}                     a staff member (administrator or therapist)
  ORG#{org} / CLIENT#{id}                    a client record, with its portal account (PHI)
  ORG#{org} / ASSIGN#{therapist}#{client}    a therapist's assignment to a client (lists "my clients")
  ORG#{org} / SEARCH#{token}#{client}        a search entry: one per word of the name and for the email
  ORG#{org} / TEMPLATE#{id}                  a saved invitation message
  ORG#{org} / EMAIL#{email}                  the claim that reserves an email for one portal account
The ``by_email`` index (sparse: only accounts that can sign in carry ``email_key``) finds the account for a
sign-in in one Query, staff or client alike, through the ``Login`` view.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.domain.people import Client, Paperwork, PortalAccount, Staff
from chalicelib.domain.people import InvitationTemplate as Template
from chalicelib.tables.base import PortalModel
from chalicelib.tables.keys import CLIENT_PREFIX

SHORT_NAME = "accounts"


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
    # Sessions record the epoch they began in; bumping it ends every session of the account at once.
    session_epoch = NumberAttribute(default=0)
    # Written through Login (tables/factors.py); read here so the staff list shows who has a second factor.
    totp_enabled = BooleanAttribute(null=True)
    passkey_count = NumberAttribute(null=True)
    version = VersionAttribute()

    by_email = ByEmailIndex()


class StaffSeat(PortalModel):
    """A staff member's seat flag, status and delivery result without the version: neither a seat change nor a mail
    delivery is an edit of the profile, and a key-only update through the versioned model would reset ``version``."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute(null=True)
    subscribed = BooleanAttribute(default=False)
    invitation_delivery = UnicodeAttribute(null=True)


class EmailClaim(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    account_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # "staff" | "client"


class LoginByEmailIndex(GlobalSecondaryIndex["Login"]):
    class Meta:
        index_name = "by_email"
        projection = AllProjection()

    email_key = UnicodeAttribute(hash_key=True)


class Login(PortalModel):
    """What signing in needs of any account, staff or client: the same item read through its common attributes.

    No version attribute: signing in or setting a password is not an edit of the record and must not make an
    administrator's open edit form stale.
    """

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    org_id = UnicodeAttribute()
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    email_key = UnicodeAttribute(null=True)
    role = UnicodeAttribute()  # "administrator" | "therapist" | "client"
    status = UnicodeAttribute()
    can_invite_clients = BooleanAttribute(default=False)
    password_hash = UnicodeAttribute(null=True)
    password_token_hash = UnicodeAttribute(null=True)
    last_sign_in_at = UTCDateTimeAttribute(null=True)
    accepted_at = UTCDateTimeAttribute(null=True)
    session_epoch = NumberAttribute(default=0)
    # A client's own attributes, read with every session at no extra cost: whom they may book with, their zone.
    therapist_ids = UnicodeSetAttribute(null=True)
    time_zone = UnicodeAttribute(null=True)
    # Secure messaging, written through ``AccountInbox``: read with every session, so polling costs no extra call.
    unread_messages = NumberAttribute(null=True)
    inbox_version = UnicodeAttribute(null=True)
    # Second factors (the secrets live in their own items, tables/factors.py): changed only in the transactions that
    # add, use or remove a factor, each conditioned on the epoch it read.
    totp_enabled = BooleanAttribute(null=True)
    passkey_count = NumberAttribute(null=True)
    recovery_generation = NumberAttribute(null=True)
    recovery_codes_left = NumberAttribute(null=True)
    second_factor_reset = BooleanAttribute(null=True)  # an administrator reset them: set one up at the next sign-in
    # A client's paperwork still waiting and the record's version (read, never bumped, here): accepting an invitation
    # takes the client off the staff's worklist when nothing else waits (services/worklist.py).
    forms_open = NumberAttribute(null=True)
    version = NumberAttribute(null=True)

    by_email = LoginByEmailIndex()

    @property
    def is_client(self) -> bool:
        return self.sk.startswith(CLIENT_PREFIX)


class AccountInbox(PortalModel):
    """A staff member's or client's messaging counters on their account item, without a version: a new message or a
    read is not an edit of the record (and must not make an open edit form stale).

    ``unread_messages`` is the reader's unread total (the navigation's count); ``inbox_version`` changes with every
    message, read and receipt that concerns them, so a poll answers "nothing changed" from the session read alone.
    """

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    unread_messages = NumberAttribute(null=True)
    inbox_version = UnicodeAttribute(null=True)


class ClientRecord(PortalModel):
    """A client of the practice and their portal account. ``status`` is the portal status:
    "not_invited" | "invited" | "active" | "disabled"."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    org_id = UnicodeAttribute()
    id = UnicodeAttribute()
    role = UnicodeAttribute(default="client")
    name = UnicodeAttribute()
    preferred_name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    date_of_birth = UnicodeAttribute(null=True)  # ISO date
    time_zone = UnicodeAttribute()
    therapist_ids = UnicodeSetAttribute(null=True)
    status = UnicodeAttribute(default="not_invited")
    # Set while a portal account exists (invited, active, disabled): puts the client in the by_email index.
    email_key = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    password_token_hash = UnicodeAttribute(null=True)
    invited_at = UTCDateTimeAttribute(null=True)
    invited_by = UnicodeAttribute(null=True)
    invitation_delivery = UnicodeAttribute(null=True)  # "sent" | "failed"
    invitation_expires_at = UTCDateTimeAttribute(null=True)
    form_ids = ListAttribute(of=UnicodeAttribute, null=True)
    accepted_at = UTCDateTimeAttribute(null=True)
    last_sign_in_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    session_epoch = NumberAttribute(default=0)
    # Paperwork and activity, kept by the writes that change them (services/worklist.py): the client lists and the
    # dashboards show them without reading the requests.
    forms_open = NumberAttribute(null=True)  # requests sent and not signed yet
    forms_signed = NumberAttribute(null=True)
    waiting_since = UTCDateTimeAttribute(null=True)  # paperwork has waited since (while forms_open > 0)
    last_activity_at = UTCDateTimeAttribute(null=True)  # the client's last action in the portal (besides signing in)
    version = VersionAttribute()


class ClientActivity(PortalModel):
    """A client record's paperwork counters and activity without its version: signing a form or being sent one is
    not an edit of the record (and must not make an open edit form stale). Conditions name ``ClientRecord.version``
    where the write depends on the therapists it read."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    forms_open = NumberAttribute(null=True)
    forms_signed = NumberAttribute(null=True)
    waiting_since = UTCDateTimeAttribute(null=True)
    last_activity_at = UTCDateTimeAttribute(null=True)


class ClientInvitation(PortalModel):
    """A client record's portal-account attributes without its version: invitation writes that do not read the
    record first (self sign-up), and delivery updates, must not touch the version the edit form relies on."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    email = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    invitation_delivery = UnicodeAttribute(null=True)


class ClientPreferences(PortalModel):
    """What a client sets for themselves (their time zone) on their record. Not a ``VersionAttribute``: the update
    bumps ``version`` itself (``version.add(1)``) without knowing it, so a staff member's open edit form of the same
    record goes stale instead of silently putting the old zone back."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    time_zone = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


class Assignment(PortalModel):
    """``ASSIGN#{therapist}#{client}``: lets a therapist list their clients with one Query."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    client_id = UnicodeAttribute()


class SearchEntry(PortalModel):
    """``SEARCH#{token}#{client}``: a prefix Query on the token finds clients by name or email, without a Scan."""

    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    client_id = UnicodeAttribute()


class InvitationTemplate(PortalModel):
    class Meta:
        short_name = SHORT_NAME
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    message = UnicodeAttribute()
    created_by = UnicodeAttribute()
    version = VersionAttribute()


# ------------------------------------------------------------------------------------------ to domain objects


def staff_of(item: StaffMember) -> Staff:
    return Staff(
        id=item.id,
        name=item.name,
        email=item.email,
        role=item.role,
        can_invite_clients=bool(item.can_invite_clients),
        status=item.status,
        subscribed=bool(item.subscribed),
        invitation_delivery=item.invitation_delivery,
        created_at=item.created_at,
        last_sign_in_at=item.last_sign_in_at,
        version=int(item.version or 0),
        has_second_factor=bool(item.totp_enabled) or int(item.passkey_count or 0) > 0,
    )


def client_of(item: ClientRecord) -> Client:
    return Client(
        id=item.id,
        name=item.name,
        preferred_name=item.preferred_name,
        email=item.email,
        phone=item.phone,
        date_of_birth=item.date_of_birth,
        time_zone=item.time_zone,
        therapist_ids=tuple(sorted(item.therapist_ids or [])),
        portal=PortalAccount(
            status=item.status,
            invited_at=item.invited_at,
            invited_by=item.invited_by,
            invitation_delivery=item.invitation_delivery,
            invitation_expires_at=item.invitation_expires_at,
            accepted_at=item.accepted_at,
            form_ids=tuple(str(form_id) for form_id in item.form_ids or []),
        ),
        created_at=item.created_at,
        version=int(item.version or 0),
        paperwork=Paperwork(
            waiting=max(0, int(item.forms_open or 0)), signed=int(item.forms_signed or 0), waiting_since=item.waiting_since
        ),
        last_activity_at=max((t for t in (item.last_sign_in_at, item.last_activity_at) if t is not None), default=None),
    )


def template_of(item: InvitationTemplate) -> Template:
    return Template(id=item.id, name=item.name, message=item.message, version=int(item.version or 0))
