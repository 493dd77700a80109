// Clients' booking requests waiting for the therapist: confirm, or decline with a reason the client will read.
import { useState } from "preact/hooks";
import type { ApiError } from "../../api/errors";
import { type Appointment, confirmAppointment, declineAppointment } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { Alert, Status, TextAreaField, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { timeIn } from "./time";

interface Loaded {
  data: { items: Appointment[] } | null;
  error: ApiError | null;
  reload: () => Promise<unknown>;
}

export function RequestList({ requests, zone, onChange }: { requests: Loaded; zone: string; onChange: () => void }) {
  const { slug, session } = useShell();
  const [declining, setDeclining] = useState<Appointment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  async function run(work: () => Promise<unknown>, message: string) {
    setDone(null);
    const failed = await action.run(async () => {
      await work();
      setDone(message);
    });
    if (!failed) setDeclining(null);
    await requests.reload();
    onChange();
  }

  const items = requests.data?.items ?? [];
  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading">Requests to confirm</h2>
      <Status message={done} />
      <Alert error={action.error ?? requests.error} />
      {!requests.data && !requests.error && <Loading />}
      {requests.data && items.length === 0 && <p>No requests waiting.</p>}
      <ul class="record-list">
        {items.map((a) => (
          <li key={a.id}>
            <div>
              <p class="record-title">
                <a href={appPath(slug, `clients/${encodeURIComponent(a.client_id)}`)}>{a.client_name}</a> ·{" "}
                {a.service_name}
              </p>
              <p>{timeIn(zone, a.start, { timeZoneName: "short" })}</p>
            </div>
            <div class="row-actions">
              <button
                type="button"
                class="button-small"
                onClick={() => run(() => confirmAppointment(a.client_id, a.id), `Confirmed ${a.client_name}.`)}
              >
                Confirm
                <span class="visually-hidden">
                  {" "}
                  {a.client_name}, {timeIn(zone, a.start)}
                </span>
              </button>
              <button type="button" class="button-small button-secondary" onClick={() => setDeclining(a)}>
                Decline
                <span class="visually-hidden">
                  {" "}
                  {a.client_name}, {timeIn(zone, a.start)}
                </span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      {declining && (
        <DeclineDialog
          appointment={declining}
          error={action.error}
          onDecline={(reason) => run(() => declineAppointment(declining.client_id, declining.id, reason), "Declined.")}
          onCancel={() => setDeclining(null)}
        />
      )}
      {session.principal.role === "administrator" && <p class="hint">These are your own requests.</p>}
    </section>
  );
}

function DeclineDialog(props: {
  appointment: Appointment;
  error: ApiError | string | null;
  onDecline: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  return (
    <Modal labelledBy="decline-heading" onCancel={props.onCancel}>
      <h2 id="decline-heading">Decline {props.appointment.client_name}'s request?</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onDecline(reason);
        }}
      >
        <Alert error={props.error} />
        <TextAreaField
          label="Reason (the client will read it)"
          value={reason}
          onValue={setReason}
          rows={3}
          required
          maxLength={500}
        />
        <div class="actions">
          <button type="submit" class="button button-danger">
            Decline request
          </button>
          <button type="button" class="button button-secondary" onClick={props.onCancel}>
            Keep it
          </button>
        </div>
      </form>
    </Modal>
  );
}
