// Signing in and out, the session itself, password links and the signed-in person's password.
import type { Refine, Schema } from "./contract";
import { forgetSession, keepSession, request, send } from "./request";

export {
  forgetSession,
  getIdleDeadline,
  onIdleDeadline,
  setSecondFactorHandler,
  setUnauthorizedHandler,
} from "./request";

export type SessionView = Schema<"SessionView">;
export type Role = SessionView["principal"]["role"];

/** What a password link is for; the API declares `purpose` as a plain string. */
export type PasswordToken = Refine<
  Schema<"LinkView">,
  { purpose: "staff_invite" | "client_invite" | "password_reset"; organization: { name: string; slug: string } }
>;

export const signIn = (slug: string, email: string, password: string) =>
  keepSession(send("post", "/api/orgs/{slug}/sign-in", { path: { slug }, body: { email, password }, allow401: true }));

export const requestPasswordReset = (slug: string, email: string) =>
  request("post", "/api/orgs/{slug}/password-reset", { path: { slug }, body: { email } });

export const inspectPasswordToken = (token: string) =>
  request("post", "/api/password-tokens/inspect", { body: { token } }) as Promise<PasswordToken>;

export const redeemPasswordToken = (token: string, password: string) =>
  keepSession(send("post", "/api/password-tokens/redeem", { body: { token, password } }));

export const getSession = (options: { allow401?: boolean } = {}) => keepSession(send("get", "/api/session", options));

/** Only the idle dialog calls this; it handles a 401 (session already over) itself. */
export const keepAlive = () => keepSession(send("post", "/api/session/keepalive", { allow401: true }));

export async function signOut(): Promise<void> {
  try {
    await send("delete", "/api/session", { allow401: true });
  } finally {
    forgetSession();
  }
}

export const changePassword = (current_password: string, new_password: string) =>
  request("post", "/api/account/password", { body: { current_password, new_password }, allow401: true });
