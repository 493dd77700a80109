"""Second factors: proving one after the password (or again, for a sensitive action), setting them up and managing
them from Account, an administrator's reset, and signing in with a passkey alone.

Routes a session may call before its second factor is proven declare ``Access.PROVING_FACTOR``; routes it may call
while it must set one up declare ``Access.SETTING_UP_FACTOR``; everything else refuses such a session (auth/guards.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from chalice.app import Response
from pydantic import ConfigDict, Field

from chalicelib.auth.principals import StaffPrincipal
from chalicelib.auth.sessions import Authenticated
from chalicelib.domain.second_factor import FactorAdded, Passkey
from chalicelib.handlers.api import Access, Router, Strict, View, endpoint
from chalicelib.handlers.sessions import signed_in_response
from chalicelib.handlers.views import SessionView
from chalicelib.services.second_factor import authenticators, overview, passkeys, recovery, resets
from chalicelib.text import Line

router = Router(__name__)


# ------------------------------------------------------------------------------------------- request bodies


class CodeRequest(Strict):
    code: str = Field(max_length=64)


class _Credential(Strict):
    # WebAuthn's JSON names (camelCase) on the wire; snake_case here.
    model_config = ConfigDict(extra="forbid", str_max_length=16_000, defer_build=True, populate_by_name=True)

    id: str = Field(max_length=1400)
    raw_id: str = Field(alias="rawId", max_length=1400)
    type: Literal["public-key"]
    authenticator_attachment: str | None = Field(default=None, alias="authenticatorAttachment", max_length=32)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


class AssertionResponse(Strict):
    model_config = ConfigDict(extra="forbid", str_max_length=16_000, defer_build=True, populate_by_name=True)

    client_data_json: str = Field(alias="clientDataJSON", max_length=4096)
    authenticator_data: str = Field(alias="authenticatorData", max_length=4096)
    signature: str = Field(max_length=1024)
    user_handle: str | None = Field(default=None, alias="userHandle", max_length=256)


class AssertionCredential(_Credential):
    response: AssertionResponse


class AttestationResponse(Strict):
    model_config = ConfigDict(extra="forbid", str_max_length=16_000, defer_build=True, populate_by_name=True)

    client_data_json: str = Field(alias="clientDataJSON", max_length=4096)
    attestation_object: str = Field(alias="attestationObject", max_length=16_000)
    transports: list[Line] | None = Field(default=None, max_length=8)


class AttestationCredential(_Credential):
    response: AttestationResponse


class AssertionRequest(Strict):
    credential: AssertionCredential


class RegistrationRequest(Strict):
    name: Line = Field(default="Passkey", max_length=60)
    credential: AttestationCredential


class RenameRequest(Strict):
    name: Line = Field(min_length=1, max_length=60)


# ---------------------------------------------------------------------------------------------------- views


class OptionsView(View):
    """What to pass (after decoding its base64url fields) to navigator.credentials.create() or .get()."""

    options: dict[str, Any]


class PasskeyView(View):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    synced: bool

    @classmethod
    def of(cls, passkey: Passkey) -> PasskeyView:
        return cls.model_validate(passkey, from_attributes=True)


class FactorsView(View):
    authenticator_since: datetime | None
    passkeys: list[PasskeyView]
    recovery_codes_left: int
    required: bool
    offered: bool


class AuthenticatorSetUpView(View):
    secret: str
    uri: str
    qr_svg: str
    expires_at: datetime


class FactorAddedView(View):
    """The new factor counts now; ``recovery_codes`` (shown once) only when it was the person's first."""

    recovery_codes: list[str] | None
    passkey: PasskeyView | None
    session: SessionView

    @classmethod
    def of(cls, added: FactorAdded, session: Authenticated) -> FactorAddedView:
        return cls(
            recovery_codes=list(added.recovery_codes) if added.recovery_codes else None,
            passkey=PasskeyView.of(added.passkey) if added.passkey else None,
            session=SessionView.of(session),
        )


class RecoveryUsedView(View):
    recovery_codes_left: int
    session: SessionView


class RecoveryCodesView(View):
    recovery_codes: list[str]


PROVE = "The caller's own session and account only; throttled per account and per IP like passwords (429); audited."
OWN = "The caller's own account only; audited."
STEP_UP = "needs a second factor proven within 15 minutes (403 `/problems/step-up-required`)"


# ---------------------------------------------------------------------------------------- proving the factor


@endpoint(router, "/session/second-factor/code", "POST", access=Access.PROVING_FACTOR, body=CodeRequest, response=SessionView,
          summary="Prove the second factor with an authenticator code",
          note=f"{PROVE} A code is accepted once.")  # fmt: skip
def verify_code(session: Authenticated, body: CodeRequest) -> SessionView:
    return SessionView.of(authenticators.verify_code(session, body.code))


@endpoint(router, "/session/second-factor/recovery-code", "POST", access=Access.PROVING_FACTOR, body=CodeRequest,
          response=RecoveryUsedView, summary="Prove the second factor with a recovery code",
          note=f"{PROVE} Each code works once; the answer says how many remain.")  # fmt: skip
def use_recovery_code(session: Authenticated, body: CodeRequest) -> RecoveryUsedView:
    used = recovery.use(session, body.code)
    return RecoveryUsedView(recovery_codes_left=used.codes_left, session=SessionView.of(used.session))


@endpoint(router, "/session/second-factor/passkey/options", "POST", access=Access.PROVING_FACTOR, response=OptionsView,
          summary="Start proving the second factor with a passkey",
          note="The caller's own session; the challenge is single-use, bound to this session, and expires in 5 minutes.")  # fmt: skip
def passkey_challenge(session: Authenticated) -> OptionsView:
    return OptionsView(options=passkeys.second_factor_options(session))


@endpoint(router, "/session/second-factor/passkey", "POST", access=Access.PROVING_FACTOR, body=AssertionRequest,
          response=SessionView, summary="Prove the second factor with a passkey",
          note=f"{PROVE} Only the caller's own passkeys, with this session's challenge (422 otherwise).")  # fmt: skip
def verify_passkey(session: Authenticated, body: AssertionRequest) -> SessionView:
    return SessionView.of(passkeys.verify(session, body.credential.as_json()))


# -------------------------------------------------------------------------------------------- managing them


@endpoint(router, "/account/second-factor", "GET", access=Access.SETTING_UP_FACTOR, response=FactorsView,
          summary="My second factors", note="The caller's own account only.")  # fmt: skip
def my_factors(session: Authenticated) -> FactorsView:
    found = overview.factors(session)
    return FactorsView(
        authenticator_since=found.authenticator_since,
        passkeys=[PasskeyView.of(p) for p in found.passkeys],
        recovery_codes_left=found.recovery_codes_left,
        required=found.required,
        offered=found.offered,
    )


@endpoint(router, "/account/second-factor/authenticator", "POST", access=Access.SETTING_UP_FACTOR,
          response=AuthenticatorSetUpView, summary="Start setting up an authenticator app",
          note=f"{OWN} Clients only where the practice offers it (403). With a factor already, {STEP_UP}.")  # fmt: skip
def begin_authenticator(session: Authenticated) -> AuthenticatorSetUpView:
    started = authenticators.begin_set_up(session)
    return AuthenticatorSetUpView(secret=started.secret, uri=started.uri, qr_svg=started.qr_svg, expires_at=started.expires_at)


@endpoint(router, "/account/second-factor/authenticator/confirm", "POST", access=Access.SETTING_UP_FACTOR, body=CodeRequest,
          response=FactorAddedView, summary="Confirm an authenticator app with its first code",
          note=f"{OWN} The caller's other sessions end; a first factor comes with ten recovery codes, shown once.")  # fmt: skip
def confirm_authenticator(session: Authenticated, body: CodeRequest) -> FactorAddedView:
    return FactorAddedView.of(authenticators.confirm_set_up(session, body.code), session)


@endpoint(router, "/account/second-factor/authenticator", "DELETE", access=Access.SIGNED_IN, status=204,
          summary="Remove my authenticator app",
          note=(
              f"{OWN} {STEP_UP.capitalize()}; not the last factor where the practice requires one (409); the caller's "
              f"other sessions end."
          ))  # fmt: skip
def remove_authenticator(session: Authenticated) -> None:
    authenticators.remove(session)


@endpoint(router, "/account/passkeys/options", "POST", access=Access.SETTING_UP_FACTOR, response=OptionsView,
          summary="Start registering a passkey",
          note=f"{OWN} Clients only where the practice offers it (403). With a factor already, {STEP_UP}.")  # fmt: skip
def registration_options(session: Authenticated) -> OptionsView:
    return OptionsView(options=passkeys.registration_options(session))


@endpoint(router, "/account/passkeys", "POST", access=Access.SETTING_UP_FACTOR, body=RegistrationRequest, response=FactorAddedView,
          status=201, summary="Register a passkey",
          note=f"{OWN} With this session's challenge (422 otherwise); the caller's other sessions end.")  # fmt: skip
def register_passkey(session: Authenticated, body: RegistrationRequest) -> FactorAddedView:
    return FactorAddedView.of(passkeys.register(session, body.name, body.credential.as_json()), session)


@endpoint(router, "/account/passkeys/{passkey_id}", "PATCH", access=Access.SIGNED_IN, body=RenameRequest, response=PasskeyView,
          summary="Rename a passkey", note=f"{OWN} Another person's passkey is 404.")  # fmt: skip
def rename_passkey(session: Authenticated, passkey_id: str, body: RenameRequest) -> PasskeyView:
    return PasskeyView.of(passkeys.rename(session, passkey_id, body.name))


@endpoint(router, "/account/passkeys/{passkey_id}", "DELETE", access=Access.SIGNED_IN, status=204, summary="Remove a passkey",
          note=f"{OWN} Another person's passkey is 404; {STEP_UP}; not the last factor where required (409).")  # fmt: skip
def remove_passkey(session: Authenticated, passkey_id: str) -> None:
    passkeys.remove(session, passkey_id)


@endpoint(router, "/account/recovery-codes", "POST", access=Access.SIGNED_IN, response=RecoveryCodesView, status=201,
          summary="Replace my recovery codes",
          note=f"{OWN} Only with a factor set up (409); {STEP_UP}. The old codes stop working.")  # fmt: skip
def regenerate_recovery_codes(session: Authenticated) -> RecoveryCodesView:
    return RecoveryCodesView(recovery_codes=list(recovery.regenerate(session)))


# --------------------------------------------------------------------------------------------------- resets


@endpoint(router, "/staff/{staff_id}/second-factor/reset", "POST", access=Access.ADMINISTRATOR, status=204,
          summary="Reset a staff member's second factor",
          note=(
              f"Own practice only; not oneself (403); {STEP_UP}. Their factors are deleted, their sessions end, and "
              f"they set one up at the next sign-in."
          ))  # fmt: skip
def reset_staff(principal: StaffPrincipal, staff_id: str) -> None:
    resets.reset_staff(principal, staff_id)


@endpoint(router, "/clients/{client_id}/second-factor/reset", "POST", access=Access.ADMINISTRATOR, status=204,
          summary="Reset a client's second factor",
          note=f"Own practice only; {STEP_UP}. As for staff; audited under the client.")  # fmt: skip
def reset_client(principal: StaffPrincipal, client_id: str) -> None:
    resets.reset_client(principal, client_id)


# ------------------------------------------------------------------------------------ signing in with a passkey


@endpoint(router, "/orgs/{slug}/passkey-sign-in/options", "POST", access=Access.ANYONE, response=OptionsView,
          summary="Start signing in with a passkey",
          note="Where the practice allows passkey sign-in (403 otherwise); a single-use challenge for 5 minutes.")  # fmt: skip
def sign_in_options(slug: str) -> OptionsView:
    return OptionsView(options=passkeys.sign_in_options(slug))


@endpoint(router, "/orgs/{slug}/passkey-sign-in", "POST", access=Access.ANYONE, body=AssertionRequest, response=SessionView,
          summary="Sign in with a passkey",
          note=(
              "Where the practice allows it; the passkey's own practice and account only, with user verification and "
              "a live challenge (422 otherwise); throttled like passwords (429); audited."
          ))  # fmt: skip
def sign_in_with_passkey(slug: str, body: AssertionRequest) -> Response:
    return signed_in_response(passkeys.sign_in(slug, body.credential.as_json()))
