"""What Account shows of the person's second factors: a Query of their passkeys, and the authenticator's item when
the account says there is one (no secret leaves)."""

from __future__ import annotations

from chalicelib.auth.sessions import Authenticated
from chalicelib.domain.second_factor import Factors
from chalicelib.services.second_factor.passkeys import list_passkeys
from chalicelib.tables import keys
from chalicelib.tables.base import get_or_none
from chalicelib.tables.factors import Authenticator


def factors(found: Authenticated) -> Factors:
    status = found.second_factor
    account = found.account
    authenticator = get_or_none(Authenticator, account.pk, keys.authenticator_sk(account.id)) if status.factors.authenticator else None
    return Factors(
        authenticator_since=authenticator.created_at if authenticator is not None else None,
        passkeys=tuple(list_passkeys(found)),
        recovery_codes_left=status.factors.recovery_codes,
        required=status.required,
        offered=status.offered,
    )
