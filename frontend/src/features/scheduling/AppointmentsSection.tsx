// The client details screen's appointments: history, making one (in the practice's zone), and acting on each.
import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import {
  type Appointment,
  cancelAppointment,
  confirmAppointment,
  listClientAppointments,
  markAppointment,
} from "../../api/scheduling";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { MakeAppointment } from "./MakeAppointment";
import { MoveDialog } from "./MoveDialog";
import { STATUS_NAMES, timeIn, zoneLabel } from "./time";

export function AppointmentsSection({
  client,
  zone,
  schedulingOn,
}: {
  client: Client;
  zone: string;
  schedulingOn: boolean | null;
}) {
  const list = useLoad(
    () =>
      schedulingOn === false ? Promise.resolve({ items: [] as Appointment[] }) : listClientAppointments(client.id),
    [client.id, schedulingOn],
  );
  const [done, setDone] = useState<string | null>(null);
  const [moving, setMoving] = useState<Appointment | null>(null);
  const action = useAction();

  async function run(work: () => Promise<unknown>, message: string) {
    setDone(null);
    await action.run(async () => {
      await work();
      setDone(message);
    });
    await list.reload();
  }

  const items = list.data?.items ?? [];
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="appointments-heading">
      <h2 id="appointments-heading">Appointments</h2>
      {schedulingOn === false && <p class="hint">Self-scheduling is turned off for your practice.</p>}
      <Status message={done} />
      <Alert error={action.error ?? list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && items.length === 0 && schedulingOn !== false && <p>No appointments with {client.name} yet.</p>}
      {items.length > 0 && <p class="hint">Times in {zoneLabel(zone)}.</p>}
      <ul class="record-list">
        {items.map((a) => {
          const when = timeIn(zone, a.start);
          const started = Date.parse(a.start) <= now;
          const label = `${a.service_name}, ${when}`;
          return (
            <li key={a.id}>
              <div>
                <p class="record-title">
                  {a.service_name} with {a.therapist_name} <span class="badge">{STATUS_NAMES[a.status]}</span>
                </p>
                <p>{when}</p>
                {a.reason && <p class="hint">Reason: {a.reason}</p>}
              </div>
              <div class="row-actions">
                {a.status === "pending" && (
                  <button
                    type="button"
                    class="button-small"
                    onClick={() => run(() => confirmAppointment(client.id, a.id), "Confirmed.")}
                  >
                    Confirm<span class="visually-hidden"> {label}</span>
                  </button>
                )}
                {(a.status === "pending" || a.status === "confirmed") && !started && (
                  <button
                    type="button"
                    class="button-small button-secondary"
                    onClick={() => run(() => cancelAppointment(client.id, a.id, null), "Cancelled.")}
                  >
                    Cancel<span class="visually-hidden"> {label}</span>
                  </button>
                )}
                {(a.status === "pending" || a.status === "confirmed") && !started && (
                  <button type="button" class="button-small button-secondary" onClick={() => setMoving(a)}>
                    Move<span class="visually-hidden"> {label}</span>
                  </button>
                )}
                {a.status === "confirmed" && (
                  <button
                    type="button"
                    class="button-small button-secondary"
                    onClick={() =>
                      run(() => markAppointment(client.id, a.id, "late_cancelled"), "Marked late-cancelled.")
                    }
                  >
                    Late-cancelled<span class="visually-hidden"> {label}</span>
                  </button>
                )}
                {started && ["confirmed", "attended", "no_show"].includes(a.status) && (
                  <>
                    <button
                      type="button"
                      class="button-small button-secondary"
                      onClick={() => run(() => markAppointment(client.id, a.id, "attended"), "Marked attended.")}
                    >
                      Attended<span class="visually-hidden"> {label}</span>
                    </button>
                    <button
                      type="button"
                      class="button-small button-secondary"
                      onClick={() => run(() => markAppointment(client.id, a.id, "no_show"), "Marked no-show.")}
                    >
                      No-show<span class="visually-hidden"> {label}</span>
                    </button>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {moving && (
        <MoveDialog
          appointment={moving}
          zone={zone}
          onMoved={(message) => {
            setMoving(null);
            setDone(message);
            void list.reload();
          }}
          onCancel={() => setMoving(null)}
        />
      )}
      {schedulingOn !== false && list.data && (
        <MakeAppointment client={client} zone={zone} onMade={() => void list.reload()} />
      )}
    </section>
  );
}
