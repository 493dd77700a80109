// Second factors: proving one after the password (or again for a sensitive action), setting them up and managing
// them from Account, an administrator's resets, and signing in with a passkey alone.
import type { Schema } from "./contract";
import { keepSession, request, send } from "./request";
import { createPasskey, getPasskey } from "./webauthn";

export type SecondFactor = Schema<"SecondFactorView">;
export type Factors = Schema<"FactorsView">;
export type Passkey = Schema<"PasskeyView">;
export type AuthenticatorSetUp = Schema<"AuthenticatorSetUpView">;
export type FactorAdded = Schema<"FactorAddedView">;
export type Security = Schema<"SecurityView">;

export const STEP_UP_REQUIRED = "/problems/step-up-required";
export const SECOND_FACTOR_PROBLEMS = ["/problems/second-factor-required", "/problems/second-factor-set-up-required"];

// --- proving it ---

export const verifyCode = (code: string) =>
  keepSession(send("post", "/api/session/second-factor/code", { body: { code } }));

export const redeemRecoveryCode = (code: string) =>
  request("post", "/api/session/second-factor/recovery-code", { body: { code } });

export async function verifyPasskey() {
  const { options } = await request("post", "/api/session/second-factor/passkey/options");
  const credential = await getPasskey(options);
  return keepSession(send("post", "/api/session/second-factor/passkey", { body: { credential } }));
}

export async function signInWithPasskey(slug: string) {
  const { options } = await request("post", "/api/orgs/{slug}/passkey-sign-in/options", { path: { slug } });
  const credential = await getPasskey(options);
  return keepSession(
    send("post", "/api/orgs/{slug}/passkey-sign-in", { path: { slug }, body: { credential }, allow401: true }),
  );
}

// --- managing them ---

export const getFactors = () => request("get", "/api/account/second-factor");

export const beginAuthenticator = () => request("post", "/api/account/second-factor/authenticator");

export const confirmAuthenticator = (code: string) =>
  request("post", "/api/account/second-factor/authenticator/confirm", { body: { code } });

export const removeAuthenticator = () => request("delete", "/api/account/second-factor/authenticator");

export async function addPasskey(name: string) {
  const { options } = await request("post", "/api/account/passkeys/options");
  const credential = await createPasskey(options);
  return request("post", "/api/account/passkeys", { body: { name, credential } });
}

export const renamePasskey = (id: string, name: string) =>
  request("patch", "/api/account/passkeys/{passkey_id}", { path: { passkey_id: id }, body: { name } });

export const removePasskey = (id: string) =>
  request("delete", "/api/account/passkeys/{passkey_id}", { path: { passkey_id: id } });

export const newRecoveryCodes = () => request("post", "/api/account/recovery-codes");

export const resetStaffFactor = (id: string) =>
  request("post", "/api/staff/{staff_id}/second-factor/reset", { path: { staff_id: id } });
