// What the client screens share: portal status words, the permission to invite, the client form's values and
// the bodies made from them.
import type { Client, ClientChange, NewClient, PortalStatus } from "../../api/clients";
import type { SessionView } from "../../api/session";
import { appPath } from "../../shell/context";

export const PORTAL_STATUS_NAMES: Record<PortalStatus, string> = {
  not_invited: "Not invited",
  invited: "Invited",
  active: "Active",
  disabled: "Disabled",
};

/** An invitation's message and a template's: the server's limit. */
export const MESSAGE_MAX_LENGTH = 2000;
export const MESSAGE_HINT = "Up to 2,000 characters.";

/** Administrators, and therapists an administrator allowed to, send invitations and manage templates. */
export function canInviteClients(session: SessionView): boolean {
  return session.principal.role === "administrator" || session.principal.can_invite_clients;
}

export function clientPath(slug: string, id: string): string {
  return appPath(slug, `clients/${encodeURIComponent(id)}`);
}

/** Every field the form sends; the server may report errors on any of them. */
export const CLIENT_FIELDS = [
  "name",
  "preferred_name",
  "email",
  "phone",
  "date_of_birth",
  "time_zone",
  "therapist_ids",
] as const;

const TEXT_FIELDS = ["name", "preferred_name", "email", "phone", "date_of_birth", "time_zone"] as const;

export interface ClientValues {
  name: string;
  preferred_name: string;
  email: string;
  phone: string;
  date_of_birth: string;
  time_zone: string;
  therapist_ids: string[];
}

export function emptyValues(timeZone: string): ClientValues {
  return {
    name: "",
    preferred_name: "",
    email: "",
    phone: "",
    date_of_birth: "",
    time_zone: timeZone,
    therapist_ids: [],
  };
}

export function valuesOf(client: Client, fallbackZone: string): ClientValues {
  return {
    name: client.name,
    preferred_name: client.preferred_name ?? "",
    email: client.email ?? "",
    phone: client.phone ?? "",
    date_of_birth: client.date_of_birth ?? "",
    time_zone: client.time_zone || fallbackZone,
    therapist_ids: client.therapist_ids,
  };
}

/** The new client's body: empty optional fields are left out; only administrators send therapists. */
export function newClient(values: ClientValues, isAdmin: boolean): NewClient {
  const body: NewClient = { name: values.name.trim() };
  for (const field of TEXT_FIELDS) {
    const value = values[field].trim();
    if (field !== "name" && value) body[field] = value;
  }
  if (isAdmin) body.therapist_ids = values.therapist_ids;
  return body;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));

/** The changed fields only (an emptied optional field is sent as ""), or null when nothing changed. */
export function clientChange(client: Client, values: ClientValues, isAdmin: boolean): ClientChange | null {
  const saved = valuesOf(client, "");
  const change: ClientChange = { version: client.version };
  let changed = false;
  for (const field of TEXT_FIELDS) {
    const value = values[field].trim();
    if (value !== saved[field]) {
      change[field] = value;
      changed = true;
    }
  }
  if (isAdmin && !sameSet(values.therapist_ids, client.therapist_ids)) {
    change.therapist_ids = values.therapist_ids;
    changed = true;
  }
  return changed ? change : null;
}
