// Shapes of the JSON documents described in docs/api.md.

export type Role = "administrator" | "therapist" | "client";
export type StaffRole = Exclude<Role, "client">;

export interface Features {
  payments: boolean;
  intake_forms: boolean;
  self_scheduling: boolean;
  messaging: boolean;
}
export type FeatureKey = keyof Features;

export interface SessionView {
  principal: {
    id: string;
    kind: string;
    role: Role;
    name: string;
    email: string;
    can_invite_clients: boolean;
  };
  organization: { id: string; name: string; slug: string };
  csrf_token: string;
  idle_timeout_seconds: number;
  idle_expires_at: string;
  absolute_expires_at: string;
}

export interface NewOrganization {
  name: string;
  slug: string;
  time_zone: string;
  admin_name: string;
  admin_email: string;
}

export interface CreatedOrganization {
  organization: { id: string; name: string; slug: string; time_zone: string };
  sign_in_path: string;
}

export interface PublicOrganization {
  name: string;
  slug: string;
  time_zone: string;
  contact_line: string | null;
  features: Features;
  self_signup: boolean;
}

export interface PasswordToken {
  purpose: "staff_invite" | "client_invite" | "password_reset";
  email: string;
  organization: { name: string; slug: string };
}

export interface Settings {
  name: string;
  time_zone: string;
  contact_line: string | null;
  features: Features;
  self_signup: boolean;
  version: number;
}

export interface SettingsChange {
  version: number;
  name?: string;
  time_zone?: string;
  contact_line?: string;
  features?: Partial<Features>;
  self_signup?: boolean;
}

export interface Staff {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  can_invite_clients: boolean;
  status: "invited" | "active" | "deactivated";
  subscribed: boolean;
  invitation_delivery: "sent" | "failed" | null;
  created_at: string;
  version: number;
}

export interface NewStaff {
  name: string;
  email: string;
  role: StaffRole;
  can_invite_clients: boolean;
}

export interface StaffChange {
  version: number;
  name?: string;
  role?: StaffRole;
  can_invite_clients?: boolean;
}

export interface Subscription {
  seats: { staff_id: string; name: string; role: StaffRole }[];
  seat_count: number;
  active_staff_count: number;
  solo: boolean;
  billable_seat_count: number;
  seat_price_cents: number;
  monthly_total_cents: number;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  subject_client_id: string | null;
  resource: string;
  action: string;
  outcome: "success" | "failure" | "denied";
  ip: string | null;
  user_agent: string | null;
  request_id: string;
}

export interface AuditQuery {
  actor: string;
  client: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// --- clients and portal accounts (issue 3) ---

export type PortalStatus = "not_invited" | "invited" | "active" | "disabled";

export interface ClientPortal {
  status: PortalStatus;
  invited_at: string | null;
  invited_by: string | null;
  invitation_delivery: "sent" | "failed" | null;
  invitation_expires_at: string | null;
  accepted_at: string | null;
  form_ids: string[];
}

export interface Client {
  id: string;
  name: string;
  preferred_name: string | null;
  email: string | null;
  phone: string | null;
  date_of_birth: string | null;
  time_zone: string | null;
  therapist_ids: string[];
  portal: ClientPortal;
  created_at: string;
  version: number;
}

export interface ClientSummary {
  id: string;
  name: string;
  preferred_name: string | null;
  email: string | null;
  portal_status: PortalStatus;
}

/** POST /api/clients. Optional fields left empty are not sent; `therapist_ids` is for administrators only. */
export interface NewClient {
  name: string;
  preferred_name?: string;
  email?: string;
  phone?: string;
  date_of_birth?: string;
  time_zone?: string;
  therapist_ids?: string[];
}

/** PATCH /api/clients/{id}: only the changed fields; an empty string clears an optional one. */
export interface ClientChange extends Partial<NewClient> {
  version: number;
}

export interface Invitation {
  form_ids: string[];
  message?: string;
  template_id?: string;
}

export interface InvitationTemplate {
  id: string;
  name: string;
  message: string;
  version: number;
}

export interface TemplateChange {
  version: number;
  name?: string;
  message?: string;
}

export interface PortalHome {
  client: { name: string; preferred_name: string | null };
  practice: { name: string; slug: string; contact_line: string | null };
  features: Features;
  pending: { kind: string; id: string; title: string }[];
}

// --- intake forms, signing and documents (issue 4) ---

export type FieldType =
  | "short_text"
  | "long_text"
  | "number"
  | "date"
  | "single_choice"
  | "multiple_choice"
  | "yes_no"
  | "email"
  | "phone"
  | "address"
  | "heading"
  | "static_text"
  | "signature";

export interface ShowIf {
  field: string;
  equals: string | boolean | number;
}

export interface FormField {
  id: string;
  type: FieldType;
  label: string;
  required?: boolean;
  help?: string;
  options?: string[];
  show_if?: ShowIf;
}

export interface FormDefinition {
  title: string;
  description?: string;
  fields: FormField[];
}

export interface FormSummary {
  id: string;
  title: string;
  current_version: number;
  status: "active" | "retired";
  position: number;
  standard: boolean;
  head_version: number;
}

export interface FormVersion {
  form: FormSummary;
  number: number;
  definition: FormDefinition;
}

export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;

export type FormRequestStatus = "pending" | "in_progress" | "completed";

export interface FormRequest {
  id: string;
  client_id: string;
  form_id: string;
  form_version: number;
  title: string;
  status: FormRequestStatus;
  sent_at: string;
  viewed_at: string | null;
  updated_at: string | null;
  signed_at: string | null;
  signed_name: string | null;
  document_sha256: string | null;
  reminders_sent: number;
}

export interface OpenFormRequest {
  request: FormRequest;
  definition: FormDefinition;
  answers: Answers;
  consent_given: boolean;
  disclosure: { version: string; text: string; attestation: string };
}

export interface DownloadLink {
  url: string;
  expires_at: string;
  sha256: string;
  filename: string;
}
