// HTTP client for the /api contract (docs/api.md): JSON bodies, CSRF header once signed in,
// problem+json errors, the idle-timeout header and a single place that reacts to 401.
import type {
  Answers,
  AuditEvent,
  AuditQuery,
  Client,
  ClientChange,
  ClientSummary,
  CreatedOrganization,
  DownloadLink,
  Features,
  FormDefinition,
  FormRequest,
  FormSummary,
  FormVersion,
  Invitation,
  InvitationTemplate,
  NewClient,
  NewOrganization,
  NewStaff,
  OpenFormRequest,
  Page,
  PasswordToken,
  PortalHome,
  PublicOrganization,
  SessionView,
  Settings,
  SettingsChange,
  Staff,
  StaffChange,
  Subscription,
  TemplateChange,
} from "./types";

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, type: string, title: string, detail: string, errors: FieldError[] = []) {
    super(detail || title);
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
}

function unexpected(status = 0): ApiError {
  return new ApiError(status, "about:blank", "Something went wrong", "Something went wrong. Please try again.");
}

export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : unexpected();
}

// --- session state kept in memory only (never in storage) ---

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;
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

type Query = Record<string, string | null | undefined>;

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Query;
  accept?: string;
  /** Let the caller handle 401 itself instead of leaving the signed-in shell. */
  allow401?: boolean;
}

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ""}`;
}

async function problem(response: Response): Promise<ApiError> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      const body = (await response.json()) as Partial<ApiError>;
      return new ApiError(
        response.status,
        body.type ?? "about:blank",
        body.title ?? response.statusText,
        body.detail ?? "",
        Array.isArray(body.errors) ? body.errors : [],
      );
    } catch {
      // fall through to the generic error below
    }
  }
  return unexpected(response.status);
}

async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(url(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(
      0,
      "about:blank",
      "Network error",
      "We couldn't reach the server. Check your connection and try again.",
    );
  }

  noteIdleHeader(response.headers.get("X-Idle-Expires-In"));
  if (response.ok) return response;

  const error = await problem(response);
  if (response.status === 401 && !options.allow401 && unauthorizedHandler) unauthorizedHandler();
  throw error;
}

async function json<T>(path: string, options?: RequestOptions): Promise<T> {
  const response = await send(path, options);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Requests answered by a session view: keep its CSRF token; each of them restarts the server's idle timer. */
async function session(path: string, options?: RequestOptions): Promise<SessionView> {
  const response = await send(path, options);
  const view = (await response.json()) as SessionView;
  csrfToken = view.csrf_token;
  if (!response.headers.has("X-Idle-Expires-In")) setIdleDeadline(Date.now() + view.idle_timeout_seconds * 1000);
  return view;
}

const enc = encodeURIComponent;

// --- endpoints ---

export const api = {
  createOrganization: (body: NewOrganization) => json<CreatedOrganization>("/organizations", { method: "POST", body }),

  getOrganization: (slug: string) => json<PublicOrganization>(`/orgs/${enc(slug)}`),

  signIn: (slug: string, email: string, password: string) =>
    session(`/orgs/${enc(slug)}/sign-in`, { method: "POST", body: { email, password }, allow401: true }),

  signUp: (slug: string, name: string, email: string) =>
    json<{ message: string }>(`/orgs/${enc(slug)}/sign-up`, { method: "POST", body: { name, email } }),

  requestPasswordReset: (slug: string, email: string) =>
    json<{ message: string }>(`/orgs/${enc(slug)}/password-reset`, { method: "POST", body: { email } }),

  inspectPasswordToken: (token: string) =>
    json<PasswordToken>("/password-tokens/inspect", { method: "POST", body: { token } }),

  redeemPasswordToken: (token: string, password: string) =>
    session("/password-tokens/redeem", { method: "POST", body: { token, password } }),

  getSession: (options: { allow401?: boolean } = {}) => session("/session", options),

  /** Only the idle dialog calls this; it handles a 401 (session already over) itself. */
  keepAlive: () => session("/session/keepalive", { method: "POST", allow401: true }),

  signOut: async () => {
    try {
      await send("/session", { method: "DELETE", allow401: true });
    } finally {
      forgetSession();
    }
  },

  changePassword: (current_password: string, new_password: string) =>
    json<void>("/account/password", {
      method: "POST",
      body: { current_password, new_password },
      allow401: true,
    }),

  getSettings: () => json<Settings>("/organization/settings"),

  updateSettings: (change: SettingsChange) =>
    json<Settings>("/organization/settings", { method: "PATCH", body: change }),

  listStaff: (cursor: string | null) => json<Page<Staff>>("/staff", { query: { cursor } }),

  getStaff: (id: string) => json<Staff>(`/staff/${enc(id)}`),

  inviteStaff: (body: NewStaff) => json<Staff>("/staff", { method: "POST", body }),

  updateStaff: (id: string, change: StaffChange) => json<Staff>(`/staff/${enc(id)}`, { method: "PATCH", body: change }),

  deactivateStaff: (id: string) => json<Staff>(`/staff/${enc(id)}/deactivate`, { method: "POST" }),

  reactivateStaff: (id: string) => json<Staff>(`/staff/${enc(id)}/reactivate`, { method: "POST" }),

  resendInvitation: (id: string) => json<Staff>(`/staff/${enc(id)}/invitation`, { method: "POST" }),

  getSubscription: () => json<Subscription>("/subscription"),

  addSeat: (staffId: string) => json<Subscription>(`/subscription/seats/${enc(staffId)}`, { method: "PUT" }),

  removeSeat: (staffId: string) => json<Subscription>(`/subscription/seats/${enc(staffId)}`, { method: "DELETE" }),

  getEntitlements: () => json<{ features: Features }>("/entitlements"),

  listAudit: (query: AuditQuery, cursor: string | null) =>
    json<Page<AuditEvent>>("/audit", { query: { ...query, cursor } }),

  /** One page of the CSV export and the cursor of the next page, if any. */
  exportAuditPage: async (query: AuditQuery, cursor: string | null) => {
    const response = await send("/audit/export", { query: { ...query, cursor }, accept: "text/csv" });
    return { csv: await response.text(), nextCursor: response.headers.get("X-Next-Cursor") };
  },

  // A search term is a client's name or email: it goes in the body, never in the URL.
  listClients: (q: string, cursor: string | null) =>
    q
      ? json<Page<ClientSummary>>("/clients/search", { method: "POST", body: { q } })
      : json<Page<ClientSummary>>("/clients", { query: { cursor } }),

  createClient: (body: NewClient) => json<Client>("/clients", { method: "POST", body }),

  getClient: (id: string) => json<Client>(`/clients/${enc(id)}`),

  updateClient: (id: string, change: ClientChange) =>
    json<Client>(`/clients/${enc(id)}`, { method: "PATCH", body: change }),

  inviteClient: (id: string, body: Invitation) =>
    json<Client>(`/clients/${enc(id)}/invitation`, { method: "POST", body }),

  disablePortalAccess: (id: string) => json<Client>(`/clients/${enc(id)}/portal-access/disable`, { method: "POST" }),

  enablePortalAccess: (id: string) => json<Client>(`/clients/${enc(id)}/portal-access/enable`, { method: "POST" }),

  listInvitationTemplates: () => json<{ items: InvitationTemplate[] }>("/invitation-templates"),

  createInvitationTemplate: (name: string, message: string) =>
    json<InvitationTemplate>("/invitation-templates", { method: "POST", body: { name, message } }),

  updateInvitationTemplate: (id: string, change: TemplateChange) =>
    json<InvitationTemplate>(`/invitation-templates/${enc(id)}`, { method: "PATCH", body: change }),

  deleteInvitationTemplate: (id: string) => json<void>(`/invitation-templates/${enc(id)}`, { method: "DELETE" }),

  getPortalHome: () => json<PortalHome>("/portal/home"),

  // --- intake forms (issue 4) ---

  listForms: () => json<{ items: FormSummary[] }>("/forms"),

  getForm: (id: string, version?: number) =>
    json<FormVersion>(`/forms/${enc(id)}`, { query: { version: version ? String(version) : null } }),

  createForm: (definition: FormDefinition) => json<FormSummary>("/forms", { method: "POST", body: { definition } }),

  copyForm: (id: string) => json<FormSummary>("/forms", { method: "POST", body: { copy_of: id } }),

  updateForm: (id: string, head_version: number, definition: FormDefinition) =>
    json<FormSummary>(`/forms/${enc(id)}`, { method: "PUT", body: { head_version, definition } }),

  retireForm: (id: string) => json<FormSummary>(`/forms/${enc(id)}/retire`, { method: "POST" }),

  restoreForm: (id: string) => json<FormSummary>(`/forms/${enc(id)}/restore`, { method: "POST" }),

  reorderForms: (form_ids: string[]) =>
    json<{ items: FormSummary[] }>("/form-order", { method: "PUT", body: { form_ids } }),

  sendForms: (clientId: string, form_ids: string[]) =>
    json<{ items: FormRequest[] }>(`/clients/${enc(clientId)}/form-requests`, { method: "POST", body: { form_ids } }),

  listFormRequests: (clientId: string) => json<{ items: FormRequest[] }>(`/clients/${enc(clientId)}/form-requests`),

  remindFormRequest: (clientId: string, requestId: string) =>
    json<FormRequest>(`/clients/${enc(clientId)}/form-requests/${enc(requestId)}/reminder`, { method: "POST" }),

  listDocuments: (clientId: string) => json<{ items: FormRequest[] }>(`/clients/${enc(clientId)}/documents`),

  /** A presigned link valid a few minutes: fetch it right before use, never keep it. */
  documentLink: (clientId: string, requestId: string) =>
    json<DownloadLink>(`/clients/${enc(clientId)}/documents/${enc(requestId)}/download`),

  listMyFormRequests: () => json<{ items: FormRequest[] }>("/portal/form-requests"),

  openMyFormRequest: (id: string) => json<OpenFormRequest>(`/portal/form-requests/${enc(id)}`),

  saveAnswers: (id: string, answers: Answers) =>
    json<FormRequest>(`/portal/form-requests/${enc(id)}/answers`, { method: "PUT", body: { answers } }),

  consentToSign: (id: string, disclosure_version: string) =>
    json<FormRequest>(`/portal/form-requests/${enc(id)}/consent`, {
      method: "POST",
      body: { disclosure_version, agree: true },
    }),

  signForm: (id: string, full_name: string, answers: Answers) =>
    json<FormRequest>(`/portal/form-requests/${enc(id)}/signature`, {
      method: "POST",
      body: { full_name, attested: true, answers },
    }),

  /** The client's own signed copy: a presigned link valid a few minutes. */
  myDocumentLink: (id: string) => json<DownloadLink>(`/portal/documents/${enc(id)}/download`),
};
