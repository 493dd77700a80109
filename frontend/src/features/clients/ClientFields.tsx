// The client form's fields, shared by "Add a client" and the client's details.
import { useEffect, useId, useState } from "preact/hooks";
import { checkEmail } from "../../api/clients";
import type { ApiError } from "../../api/errors";
import { Alert, CheckboxField, TextField, errorFor } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { TimeZoneSelect } from "../../ui/TimeZoneSelect";
import type { ClientValues } from "./clientValues";
import type { StaffChoices } from "./useStaffChoices";

interface ClientFieldsProps {
  /** The record being edited (its own email is not "in use"); none when adding a client. */
  clientId?: string;
  values: ClientValues;
  onChange: (values: ClientValues) => void;
  error: ApiError | null;
  /** Administrators choose the assigned therapists; others don't see the fieldset. */
  staff: StaffChoices | null;
}

export function ClientFields({ clientId, values, onChange, error, staff }: ClientFieldsProps) {
  const set = (change: Partial<ClientValues>) => onChange({ ...values, ...change });
  const emailInUse = useEmailInUse(values.email, clientId);
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
      <div role="status" class={emailInUse ? "email-warning" : "live-empty"}>
        {emailInUse}
      </div>
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

const EMAIL_CHECK_DELAY_MS = 500;
const LOOKS_LIKE_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]{2,}$/;

/** A warning as the email is typed when the practice already uses it (the server says only whether, never whose). */
function useEmailInUse(email: string, clientId?: string): string | null {
  const [warning, setWarning] = useState<string | null>(null);
  useEffect(() => {
    const typed = email.trim();
    setWarning(null);
    if (!LOOKS_LIKE_EMAIL.test(typed)) return;
    let current = true;
    const timer = setTimeout(() => {
      checkEmail(typed, clientId).then(
        (use) => {
          if (!current) return;
          if (use.portal_account) {
            setWarning("This email already belongs to a portal account here: this client could not be invited with it.");
          } else if (use.client_record) {
            setWarning("Another client record already uses this email. Check that you are not adding the same person twice.");
          }
        },
        () => undefined, // a failed check only loses the warning; the server still refuses a duplicate invitation
      );
    }, EMAIL_CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [email, clientId]);
  return warning;
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
