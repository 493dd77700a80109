"""Matrix examples: proving a second factor, managing one's own, an administrator's resets, passkey sign-in.

Each example prepares the caller's own factor when the route needs one (an authenticator app, a software passkey
device), so every admitted caller can succeed; a passkey ceremony's challenge is bound to the session that asked for
it, so those examples prepare the very tab the walk then uses (``world.prepared``).
"""

from __future__ import annotations

from typing import Any

from tests.api.matrix.world import SIGN_IN_EMAIL, Call, Example, World
from tests.soft_authenticator import Credential, SoftAuthenticator, b64url


def _tab(world: World, caller: str) -> Any:
    """A tab for the caller that the walk will use for this call."""
    browser = world.browser(caller)
    world.prepared[caller] = browser
    return browser


def _account(world: World, caller: str) -> tuple[str, str] | None:
    return world.account_of(caller)


def _authenticator(world: World, org_id: str, account_id: str) -> str:
    """The account's authenticator secret, set up through the API if it has none; its last used step is cleared
    (the test world's shortcut) so that the current code is accepted again."""
    from chalicelib.tables import keys
    from chalicelib.tables.accounts import Login
    from chalicelib.tables.factors import Authenticator
    from tests.api.factors import code_for

    if not Login.get(keys.org_pk(org_id), keys.account_sk(account_id), consistent_read=True).totp_enabled:
        browser = world.session_for(org_id, account_id)
        secret = browser.post("/api/account/second-factor/authenticator").json["secret"]
        assert browser.post("/api/account/second-factor/authenticator/confirm", {"code": code_for(secret)}).status == 200
        world.secrets[account_id] = secret
    Authenticator(keys.org_pk(org_id), keys.authenticator_sk(account_id)).update(actions=[Authenticator.last_step.set(0)])
    return world.secrets[account_id]


def _passkey(world: World, org_id: str, account_id: str) -> tuple[SoftAuthenticator, Credential, str]:
    """A passkey of the account that its software device holds (registered through the API when there is none)."""
    from chalicelib.tables import keys
    from chalicelib.tables.factors import Passkey

    device = world.devices.setdefault(account_id, SoftAuthenticator())
    stored = {
        item.id
        for item in Passkey.query(keys.org_pk(org_id), Passkey.sk.startswith(keys.passkeys_prefix(account_id)), consistent_read=True)
    }
    for credential in reversed(device.credentials):
        passkey_id = _passkey_id(credential)
        if passkey_id in stored:
            return device, credential, passkey_id
    browser = world.session_for(org_id, account_id)
    options = browser.post("/api/account/passkeys/options").json["options"]
    registered = browser.post("/api/account/passkeys", {"name": "Matrix", "credential": device.create(options)})
    assert registered.status == 201, registered.json
    return device, device.credentials[-1], registered.json["passkey"]["id"]


def _passkey_id(credential: Credential) -> str:
    from chalicelib.auth.tokens import digest

    return digest(b64url(credential.credential_id))[:32]


def _code(world: World, caller: str) -> Call:
    from tests.api.factors import code_for

    account = _account(world, caller)
    if account is None:
        return Call(body={"code": "000000"})
    return Call(body={"code": code_for(_authenticator(world, *account))})


def _recovery_code(world: World, caller: str) -> Call:
    account = _account(world, caller)
    if account is None:
        return Call(body={"code": "aaaa-bbbb-cccc-dddd"})
    _authenticator(world, *account)
    codes = world.session_for(*account).post("/api/account/recovery-codes").json["recovery_codes"]
    return Call(body={"code": codes[0]})


def _passkey_assertion(world: World, caller: str) -> Call:
    account = _account(world, caller)
    if account is None:
        return Call(body={"credential": {"id": "x", "rawId": "x", "type": "public-key", "response": {}}})
    device, credential, _ = _passkey(world, *account)
    tab = _tab(world, caller)
    options = tab.post("/api/session/second-factor/passkey/options").json["options"]
    return Call(body={"credential": device.get(options, credential)})


def _confirm_authenticator(world: World, caller: str) -> Call:
    from tests.api.factors import code_for

    account = _account(world, caller)
    if account is None:
        return Call(body={"code": "000000"})
    tab = _tab(world, caller)
    secret = tab.post("/api/account/second-factor/authenticator").json["secret"]
    world.secrets[account[1]] = secret  # the confirmed app replaces the account's earlier one
    return Call(body={"code": code_for(secret)})


def _remove_authenticator(world: World, caller: str) -> Call:
    account = _account(world, caller)
    if account is not None:
        _authenticator(world, *account)
    return Call()


def _register_passkey(world: World, caller: str) -> Call:
    if _account(world, caller) is None:
        return Call(body={"name": "New", "credential": {"id": "x", "rawId": "x", "type": "public-key", "response": {}}})
    account = _account(world, caller)
    assert account is not None
    device = world.devices.setdefault(account[1], SoftAuthenticator())
    tab = _tab(world, caller)
    options = tab.post("/api/account/passkeys/options").json["options"]
    return Call(body={"name": "New", "credential": device.create(options)})


def _own_passkey(world: World, caller: str) -> str:
    """The caller's own passkey id — for another practice's administrator, a passkey of this practice (404)."""
    account = _account(world, caller)
    if account is None or caller == "other practice's administrator":
        account = (world.practice.org_id, world.practice.admin_id)
    return _passkey(world, *account)[2]


def _recovery_codes(world: World, caller: str) -> Call:
    account = _account(world, caller)
    if account is not None:
        _authenticator(world, *account)
    return Call()


def _new_staff(world: World, caller: str) -> Call:
    from tests.api.matrix.accounts import _staff

    return Call({"staff_id": _staff(world)})


def _sign_in_with_passkey(world: World, caller: str) -> Call:
    from tests.conftest import staff_in

    signer = next(m.id for m in staff_in(world.practice.org_id) if m.email == SIGN_IN_EMAIL)
    device, credential, _ = _passkey(world, world.practice.org_id, signer)
    options = world.practice.new_browser().post(f"/api/orgs/{world.practice.slug}/passkey-sign-in/options").json["options"]
    return Call({"slug": world.practice.slug}, {"credential": device.get(options, credential)})


EXAMPLES: dict[tuple[str, str], Example] = {
    ("POST", "/api/session/second-factor/code"): _code,
    ("POST", "/api/session/second-factor/recovery-code"): _recovery_code,
    ("POST", "/api/session/second-factor/passkey/options"): lambda w, c: Call(),
    ("POST", "/api/session/second-factor/passkey"): _passkey_assertion,
    ("GET", "/api/account/second-factor"): lambda w, c: Call(),
    ("POST", "/api/account/second-factor/authenticator"): lambda w, c: Call(),
    ("POST", "/api/account/second-factor/authenticator/confirm"): _confirm_authenticator,
    ("DELETE", "/api/account/second-factor/authenticator"): _remove_authenticator,
    ("POST", "/api/account/passkeys/options"): lambda w, c: Call(),
    ("POST", "/api/account/passkeys"): _register_passkey,
    ("PATCH", "/api/account/passkeys/{passkey_id}"): lambda w, c: Call({"passkey_id": _own_passkey(w, c)}, {"name": "Renamed"}),
    ("DELETE", "/api/account/passkeys/{passkey_id}"): lambda w, c: Call({"passkey_id": _own_passkey(w, c)}),
    ("POST", "/api/account/recovery-codes"): _recovery_codes,
    ("POST", "/api/staff/{staff_id}/second-factor/reset"): _new_staff,
    ("POST", "/api/clients/{client_id}/second-factor/reset"): lambda w, c: Call({"client_id": w.new_client()}),
    ("POST", "/api/orgs/{slug}/passkey-sign-in/options"): lambda w, c: Call({"slug": w.practice.slug}),
    ("POST", "/api/orgs/{slug}/passkey-sign-in"): _sign_in_with_passkey,
}
