// What the client list and the client details screens share: portal status words, the permission to
// invite, and the client form's fields.
import { useId } from "preact/hooks";
import type { Client, ClientChange, NewClient, PortalStatus } from "../../api/clients";
import type { ApiError } from "../../api/errors";
import type { SessionView } from "../../api/session";
import { listStaff, type Staff } from "../../api/staff";
import { Alert, CheckboxField, TextField, errorFor } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { TimeZoneSelect } from "../../ui/TimeZoneSelect";
import { useLoad } from "../../ui/useLoad";
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

/** Every staff member, page after page (administrators only: GET /api/staff). */
export function useStaffChoices(enabled: boolean) {
  return useLoad(async () => {
    if (!enabled) return [];
    const people: Staff[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await listStaff(cursor);
      people.push(...page.items);
      cursor = page.next_cursor || null;
      if (cursor && seen.has(cursor)) break;
      if (cursor) seen.add(cursor);
    } while (cursor);
    return people;
  }, [enabled]);
}

export interface StaffChoices {
  data: Staff[] | null;
  error: ApiError | null;
}

interface ClientFieldsProps {
  values: ClientValues;
  onChange: (values: ClientValues) => void;
  error: ApiError | null;
  /** Administrators choose the assigned therapists; others don't see the fieldset. */
  staff: StaffChoices | null;
}

export function ClientFields({ values, onChange, error, staff }: ClientFieldsProps) {
  const set = (change: Partial<ClientValues>) => onChange({ ...values, ...change });
  return (
    <>
      <TextField
        label="Full name"
        value={values.name}
        onValue={(name) => set({ name })}
        autoComplete="off"
        required
        error={errorFor(error, "name")}
      />
      <TextField
        label="Preferred name"
        value={values.preferred_name}
        onValue={(preferred_name) => set({ preferred_name })}
        autoComplete="off"
        hint="Optional. Used when the portal greets the client."
        error={errorFor(error, "preferred_name")}
      />
      <TextField
        label="Email"
        type="email"
        value={values.email}
        onValue={(email) => set({ email })}
        autoComplete="off"
        hint="Needed for a portal invitation. Each portal account needs its own email address."
        error={errorFor(error, "email")}
      />
      <TextField
        label="Phone"
        type="tel"
        value={values.phone}
        onValue={(phone) => set({ phone })}
        autoComplete="off"
        error={errorFor(error, "phone")}
      />
      <TextField
        label="Date of birth"
        type="date"
        value={values.date_of_birth}
        onValue={(date_of_birth) => set({ date_of_birth })}
        autoComplete="off"
        error={errorFor(error, "date_of_birth")}
      />
      <TimeZoneSelect
        value={values.time_zone}
        onValue={(time_zone) => set({ time_zone })}
        error={errorFor(error, "time_zone")}
      />
      {staff && (
        <TherapistChoices
          staff={staff}
          selected={values.therapist_ids}
          onSelected={(therapist_ids) => set({ therapist_ids })}
          error={errorFor(error, "therapist_ids")}
        />
      )}
    </>
  );
}

interface TherapistChoicesProps {
  staff: StaffChoices;
  selected: string[];
  onSelected: (ids: string[]) => void;
  error?: string;
}

function TherapistChoices({ staff, selected, onSelected, error }: TherapistChoicesProps) {
  const id = useId();
  // Active staff, plus anyone already assigned (an assignment is never dropped just because it isn't listed).
  const people = (staff.data ?? []).filter((person) => person.status === "active" || selected.includes(person.id));
  const toggle = (personId: string, checked: boolean) =>
    onSelected(checked ? [...selected, personId] : selected.filter((other) => other !== personId));

  return (
    <fieldset class={error ? "field-invalid" : undefined} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}>
      <legend>Assigned therapists</legend>
      <p id={`${id}-hint`} class="hint">
        Therapists see only the clients assigned to them.
      </p>
      {staff.error ? (
        <Alert error={staff.error} />
      ) : !staff.data ? (
        <Loading />
      ) : people.length === 0 ? (
        <p>No active staff members yet.</p>
      ) : (
        people.map((person) => (
          <CheckboxField
            key={person.id}
            label={person.status === "active" ? person.name : `${person.name} (${person.status})`}
            checked={selected.includes(person.id)}
            onChecked={(checked) => toggle(person.id, checked)}
          />
        ))
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
