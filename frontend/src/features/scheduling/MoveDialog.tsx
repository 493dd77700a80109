// Staff move an appointment to another date and time (in the practice's zone), keeping its length.
import { useState } from "preact/hooks";
import { type Appointment, moveAppointment } from "../../api/scheduling";
import { Alert, TextField, errorFor, useAction } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { dateIn, timeIn, zoneLabel, zonedToUtc } from "./time";

interface Props {
  appointment: Appointment;
  zone: string;
  onMoved: (message: string) => void;
  onCancel: () => void;
}

export function MoveDialog({ appointment, zone, onMoved, onCancel }: Props) {
  const [date, setDate] = useState(dateIn(zone, appointment.start));
  const [time, setTime] = useState("10:00");
  const action = useAction();

  async function move(event: Event) {
    event.preventDefault();
    await action.run(async () => {
      const moved = await moveAppointment(appointment.client_id, appointment.id, zonedToUtc(date, time, zone));
      onMoved(`Moved to ${timeIn(zone, moved.start)}.`);
    });
  }

  return (
    <Modal labelledBy="move-heading" onCancel={onCancel}>
      <h2 id="move-heading">
        Move {appointment.service_name} of {timeIn(zone, appointment.start)}
      </h2>
      <form onSubmit={move}>
        <p class="hint">New time in {zoneLabel(zone)}; the length stays the same.</p>
        <Alert error={action.error} fields={["start"]} />
        <TextField
          label="New date"
          type="date"
          value={date}
          onValue={setDate}
          required
          error={errorFor(action.apiError, "start")}
        />
        <TextField label="New time (HH:MM)" value={time} onValue={setTime} required />
        <div class="actions">
          <button type="submit" class="button" aria-disabled={action.busy}>
            Move appointment
          </button>
          <button type="button" class="button button-secondary" onClick={onCancel}>
            Keep it
          </button>
        </div>
      </form>
    </Modal>
  );
}
