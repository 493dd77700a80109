// Staff make an appointment for a client: a date and time in the practice's zone and a length (any time they choose).
import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { makeAppointment } from "../../api/scheduling";
import { useShell } from "../../shell/context";
import { Alert, SelectField, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { useStaffNames } from "../clients/useStaffNames";
import { timeIn, zoneLabel, zonedToUtc } from "./time";

export function MakeAppointment({ client, zone, onMade }: { client: Client; zone: string; onMade: () => void }) {
  const [date, setDate] = useState("");
  const [time, setTime] = useState("10:00");
  const [length, setLength] = useState("50");
  // An administrator books in one of the client's therapists' calendars (their own only if they are one of them);
  // a therapist in their own.
  const { session } = useShell();
  const theirs = session.principal.role === "administrator" ? (client.therapist_ids ?? []) : [];
  const names = useStaffNames(theirs);
  const [therapist, setTherapist] = useState(theirs[0] ?? "");
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  async function make(event: Event) {
    event.preventDefault();
    setDone(null);
    await action.run(async () => {
      const made = await makeAppointment(client.id, {
        start: zonedToUtc(date, time, zone),
        duration_minutes: Number(length),
        therapist_id: therapist || undefined,
      });
      setDone(`Appointment made: ${timeIn(zone, made.start)}.`);
      onMade();
    });
  }

  return (
    <form onSubmit={make} aria-labelledby="make-heading">
      <h3 id="make-heading">Make an appointment</h3>
      <p class="hint">
        In {zoneLabel(zone)}; outside your booking hours if you need to, never over another appointment.
      </p>
      <Status message={done} />
      <Alert error={action.error} fields={["start", "therapist_id"]} />
      {theirs.length > 0 && (
        <SelectField
          label="Therapist"
          value={therapist}
          onValue={setTherapist}
          error={errorFor(action.apiError, "therapist_id")}
        >
          {theirs.map((id) => (
            <option key={id} value={id}>
              {names.get(id) ?? "Therapist"}
            </option>
          ))}
        </SelectField>
      )}
      <div class="hours-row">
        <TextField
          label="Date"
          type="date"
          value={date}
          onValue={setDate}
          required
          error={errorFor(action.apiError, "start")}
        />
        <TextField label="Time (HH:MM)" value={time} onValue={setTime} required />
        <SelectField label="Length" value={length} onValue={setLength}>
          {["30", "45", "50", "60", "90", "120"].map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes} minutes
            </option>
          ))}
        </SelectField>
      </div>
      <button type="submit" class="button-small" aria-disabled={action.busy}>
        Make appointment
      </button>
    </form>
  );
}
