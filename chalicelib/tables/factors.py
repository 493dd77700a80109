"""Second factors: authenticator apps (TOTP), passkeys (WebAuthn credentials), recovery codes, and the single-use
WebAuthn challenges.

Layout (in the accounts table, one partition per organization; ``keys.factors_prefix`` groups an account's items):
  ORG#{org} / MFA#{account}#TOTP                        the confirmed authenticator: its secret, the last step used
  ORG#{org} / MFA#{account}#TOTPSETUP                   an authenticator being set up (not a factor until confirmed)
  ORG#{org} / MFA#{account}#PASSKEY#{id}                a passkey; id = the first 32 hex of SHA-256(credential id)
  ORG#{org} / MFA#{account}#RECOVERY#{generation}#{h}   a recovery code, stored only as h = SHA-256(account, code)
and in the tokens table (global keys, like set-password tokens):
  CHALLENGE#{SHA-256(challenge)}                        a WebAuthn challenge: single use, expiring, bound to its
                                                        purpose, practice and (once signed in) session
The account item carries the summary every request needs (tables/accounts.py: totp_enabled, passkey_count,
recovery_codes_left, recovery_generation, second_factor_reset).
"""

from __future__ import annotations

from pynamodb.attributes import BinaryAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.domain.second_factor import Passkey as PasskeyInfo
from chalicelib.tables.accounts import SHORT_NAME as ACCOUNTS
from chalicelib.tables.base import PortalModel
from chalicelib.tables.tokens import SHORT_NAME as TOKENS


class Authenticator(PortalModel):
    class Meta:
        short_name = ACCOUNTS
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    # The shared secret must be readable to check codes (DynamoDB encrypts it at rest); it never leaves the server
    # after set-up and is never logged or audited.
    secret = UnicodeAttribute()
    # The last time step a code was accepted for: a code is accepted once (the update is conditioned on it).
    last_step = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()


class AuthenticatorSetUp(PortalModel):
    class Meta:
        short_name = ACCOUNTS
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    secret = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()


class Passkey(PortalModel):
    class Meta:
        short_name = ACCOUNTS
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    credential_id = BinaryAttribute(legacy_encoding=False)
    public_key = BinaryAttribute(legacy_encoding=False)
    sign_count = NumberAttribute(default=0)
    transports = UnicodeAttribute(null=True)  # comma-separated, as the browser reported them
    backed_up = NumberAttribute(default=0)  # 1: a synced passkey
    created_at = UTCDateTimeAttribute()
    last_used_at = UTCDateTimeAttribute(null=True)


class RecoveryCode(PortalModel):
    class Meta:
        short_name = ACCOUNTS
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    created_at = UTCDateTimeAttribute()


class FactorItem(PortalModel):
    """Any factor item, by key only: what a reset or a removal deletes."""

    class Meta:
        short_name = ACCOUNTS
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class PasskeyChallenge(PortalModel):
    class Meta:
        short_name = TOKENS
        table_name = "unbound"

    pk = UnicodeAttribute(hash_key=True)
    purpose = UnicodeAttribute()  # "register" | "second_factor" | "sign_in"
    org_id = UnicodeAttribute()
    account_id = UnicodeAttribute(null=True)  # None for a sign-in without a password (the passkey names the person)
    session_hash = UnicodeAttribute(null=True)  # the session that asked for it (register, second factor)
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    expires = TTLAttribute()


def passkey_of(item: Passkey) -> PasskeyInfo:
    return PasskeyInfo(id=item.id, name=item.name, created_at=item.created_at, last_used_at=item.last_used_at, synced=bool(item.backed_up))
