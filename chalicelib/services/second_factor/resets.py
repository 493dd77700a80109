"""An administrator resets another person's second factor (a lost phone, a lost passkey): every factor item of theirs
is deleted, their sessions end, and they must set one up again at their next sign-in — whatever the practice's
policy. A sensitive action: it needs the administrator's own second factor proven within 15 minutes.

Calls: session read + one Query of the person's factor items + one transaction (conditioned on the account existing in
the caller's practice: another practice's id is 404).
"""

from __future__ import annotations

from chalicelib import audit
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.sessions import revoke_all
from chalicelib.errors import Forbidden, NotFound
from chalicelib.services.second_factor import common
from chalicelib.tables import keys
from chalicelib.tables.accounts import Login
from chalicelib.tables.base import transaction
from chalicelib.tables.factors import FactorItem


def reset_staff(principal: StaffPrincipal, staff_id: str) -> None:
    if staff_id == principal.id:
        raise Forbidden("Manage your own second factor from Account.")
    _reset(principal, staff_id, keys.staff_sk(staff_id), "No staff member with that id in your practice.", subject=None)


def reset_client(principal: StaffPrincipal, client_id: str) -> None:
    _reset(principal, client_id, keys.client_sk(client_id), "No client with that id among your clients.", subject=client_id)


def _reset(principal: StaffPrincipal, account_id: str, sk: str, missing: str, subject: str | None) -> None:
    common.require_recent_factor(principal)
    pk = keys.org_pk(principal.org_id)
    items = list(FactorItem.query(pk, FactorItem.sk.startswith(keys.factors_prefix(account_id)), consistent_read=True))
    kind = "client" if subject else "staff"
    with transaction({"account": NotFound(missing)}) as tx:
        common.delete_items(tx, items)
        tx.update(
            Login(pk, sk),
            actions=[
                Login.totp_enabled.remove(),
                Login.passkey_count.set(0),
                Login.recovery_codes_left.set(0),
                Login.second_factor_reset.set(True),
                revoke_all(),
            ],
            condition=Login.pk.exists() & Login.role.exists(),
            label="account",
        )
        tx.save(audit.event(principal, "second_factor.reset", f"{kind}/{account_id}", subject_client_id=subject))
