// The one way to call the API (docs/api.md): paths, parameters, bodies and answers typed by the contract; JSON
// bodies, the CSRF header once signed in, problem+json errors, the idle-timeout header and a single place that
// reacts to 401.
import type { Method, MethodOf, Parameters, Path, ResponseBody, Schema } from "./contract";
import { networkError, problemOf } from "./errors";

type SessionView = Schema<"SessionView">;

// --- session state kept in memory only (never in storage) ---

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;
let secondFactorHandler: (() => void) | null = null;
let idleDeadline: number | null = null;
const idleListeners = new Set<(deadline: number) => void>();

export function forgetSession(): void {
  csrfToken = null;
  idleDeadline = null;
}

/** The signed-in shell registers what a 401 should do (go back to the sign-in page). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** The signed-in shell registers what a "prove (or set up) your second factor first" refusal should do. */
export function setSecondFactorHandler(handler: (() => void) | null): void {
  secondFactorHandler = handler;
}

const SECOND_FACTOR_PROBLEMS = new Set(["/problems/second-factor-required", "/problems/second-factor-set-up-required"]);

/** Epoch milliseconds at which the server will end the session for inactivity, if known. */
export function getIdleDeadline(): number | null {
  return idleDeadline;
}

export function onIdleDeadline(listener: (deadline: number) => void): () => void {
  idleListeners.add(listener);
  return () => idleListeners.delete(listener);
}

function setIdleDeadline(deadline: number): void {
  idleDeadline = deadline;
  idleListeners.forEach((listener) => listener(deadline));
}

function noteIdleHeader(value: string | null): void {
  const seconds = value === null ? NaN : Number(value);
  if (Number.isFinite(seconds)) setIdleDeadline(Date.now() + seconds * 1000);
}

// --- transport ---

export interface RequestOptions {
  accept?: string;
  /** Let the caller handle 401 itself instead of leaving the signed-in shell. */
  allow401?: boolean;
  /** A conditional GET: the ETag the caller has; a 304 answer ("not modified") is then not an error. */
  ifNoneMatch?: string;
}

/** The options argument: required when the operation has path parameters or a body. */
type Args<P extends Path, M extends Method> =
  {} extends Parameters<P, M>
    ? [options?: Parameters<P, M> & RequestOptions]
    : [options: Parameters<P, M> & RequestOptions];

interface Untyped extends RequestOptions {
  path?: Record<string, string>;
  query?: Record<string, string | null | undefined>;
  body?: unknown;
}

/** A response whose JSON is the document the operation declares. */
export interface ApiResponse<T> extends Response {
  json(): Promise<T>;
}

function url(path: string, params: Record<string, string> = {}, query: Untyped["query"] = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) search.set(key, value);
  const text = search.toString();
  return `${filled}${text ? `?${text}` : ""}`;
}

export async function send<P extends Path, M extends MethodOf<P>>(
  method: M,
  path: P,
  ...[options]: Args<P, M>
): Promise<ApiResponse<ResponseBody<P, M>>> {
  const { path: params, query, body, accept, allow401, ifNoneMatch } = (options ?? {}) as Untyped;
  const verb = method.toUpperCase();
  const headers: Record<string, string> = { Accept: accept ?? "application/json" };
  if (ifNoneMatch) headers["If-None-Match"] = ifNoneMatch;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (verb !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(url(path, params, query), {
      method: verb,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw networkError();
  }

  noteIdleHeader(response.headers.get("X-Idle-Expires-In"));
  if (response.ok || (ifNoneMatch && response.status === 304)) return response;

  const error = await problemOf(response);
  if (response.status === 401 && !allow401 && unauthorizedHandler) unauthorizedHandler();
  if (response.status === 403 && SECOND_FACTOR_PROBLEMS.has(error.type) && secondFactorHandler) secondFactorHandler();
  throw error;
}

/** Calls an operation and answers its JSON document (nothing for a 204). */
export async function request<P extends Path, M extends MethodOf<P>>(
  method: M,
  path: P,
  ...args: Args<P, M>
): Promise<ResponseBody<P, M>> {
  const response = await send(method, path, ...args);
  return (response.status === 204 ? undefined : await response.json()) as ResponseBody<P, M>;
}

/** Answers that carry a session view: keep its CSRF token; each of them restarts the server's idle timer. */
export async function keepSession(pending: Promise<ApiResponse<SessionView>>): Promise<SessionView> {
  const response = await pending;
  const view = await response.json();
  csrfToken = view.csrf_token;
  if (!response.headers.has("X-Idle-Expires-In")) setIdleDeadline(Date.now() + view.idle_timeout_seconds * 1000);
  return view;
}
