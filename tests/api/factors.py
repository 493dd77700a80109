"""Second-factor helpers for API tests: set factors up through the API as people do, and read what was stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib import clock
from tests.conftest import Browser, Practice, Response, set_staff_second_factor
from tests.soft_authenticator import SoftAuthenticator


def code_for(secret: str, steps: int = 0) -> str:
    """The authenticator app's code now (or ``steps`` 30-second steps from now), by the test's clock."""
    from chalicelib.auth import totp

    return totp.code_at(secret, totp.step_at(clock.now()) + steps)


@dataclass
class Authenticator:
    secret: str
    recovery_codes: list[str] | None


def set_up_authenticator(browser: Browser) -> Authenticator:
    """Scan (read the secret), then confirm with the first code."""
    begun = browser.post("/api/account/second-factor/authenticator")
    assert begun.status == 200, begun.json
    secret = begun.json["secret"]
    confirmed = browser.post("/api/account/second-factor/authenticator/confirm", {"code": code_for(secret)})
    assert confirmed.status == 200, confirmed.json
    return Authenticator(secret, confirmed.json["recovery_codes"])


def register_passkey(browser: Browser, device: SoftAuthenticator, name: str = "Laptop") -> Response:
    options = browser.post("/api/account/passkeys/options")
    assert options.status == 200, options.json
    return browser.post("/api/account/passkeys", {"name": name, "credential": device.create(options.json["options"])})


def prove_with_code(browser: Browser, secret: str, steps: int = 1) -> Response:
    """By default the next step's code (accepted for clock drift): the current one was used at set-up, and a code is
    accepted once."""
    return browser.post("/api/session/second-factor/code", {"code": code_for(secret, steps)})


def prove_with_passkey(browser: Browser, device: SoftAuthenticator, **kwargs: Any) -> Response:
    options = browser.post("/api/session/second-factor/passkey/options")
    assert options.status == 200, options.json
    return browser.post("/api/session/second-factor/passkey", {"credential": device.get(options.json["options"], **kwargs)})


def passkey_sign_in(browser: Browser, slug: str, device: SoftAuthenticator, **kwargs: Any) -> Response:
    options = browser.post(f"/api/orgs/{slug}/passkey-sign-in/options")
    assert options.status == 200, options.json
    return browser.post(f"/api/orgs/{slug}/passkey-sign-in", {"credential": device.get(options.json["options"], **kwargs)})


def require_for_staff(practice: Practice, required: bool = True) -> None:
    set_staff_second_factor(practice.org_id, practice.slug, required=required)


def stage_of(browser: Browser) -> str:
    session = browser.get("/api/session")
    assert session.status == 200, session.json
    return str(session.json["second_factor"]["stage"])


def stored_account(org_id: str, account_id: str) -> Any:
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import Login

    return Login.get(keys.org_pk(org_id), keys.account_sk(account_id), consistent_read=True)


def factor_items(org_id: str, account_id: str) -> list[str]:
    """Sort keys of every factor item of an account (authenticator, set-up, passkeys, recovery codes)."""
    from chalicelib.tables import keys
    from chalicelib.tables.factors import FactorItem

    prefix = keys.factors_prefix(account_id)
    return sorted(
        i.sk.removeprefix(prefix) for i in FactorItem.query(keys.org_pk(org_id), FactorItem.sk.startswith(prefix), consistent_read=True)
    )


def actions_of(org_id: str, prefix: str = "second_factor.") -> list[tuple[str, str]]:
    """(action, outcome) of the organization's audit events starting with ``prefix``, oldest first."""
    from tests.conftest import audit_trail

    return [(e.action, e.outcome) for e in reversed(audit_trail(org_id)) if e.action.startswith(prefix)]
