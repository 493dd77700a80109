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
}

export interface PasswordToken {
  purpose: "staff_invite" | "password_reset";
  email: string;
  organization: { name: string; slug: string };
}

export interface Settings {
  name: string;
  time_zone: string;
  contact_line: string | null;
  features: Features;
  version: number;
}

export interface SettingsChange {
  version: number;
  name?: string;
  time_zone?: string;
  contact_line?: string;
  features?: Partial<Features>;
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
