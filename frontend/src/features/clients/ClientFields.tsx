// The client form's fields, shared by "Add a client" and the client's details.
import { useId } from "preact/hooks";
import type { ApiError } from "../../api/errors";
import { Alert, CheckboxField, TextField, errorFor } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { TimeZoneSelect } from "../../ui/TimeZoneSelect";
import type { ClientValues } from "./clientValues";
import type { StaffChoices } from "./useStaffChoices";

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
