// The client's appointments: upcoming and past, in their own zone; cancelling, a calendar file, waitlist offers.
import { useState } from "preact/hooks";
import {
  type ClientAppointment,
  appointmentFileUrl,
  cancelMyAppointment,
  getBookingHome,
  listMyAppointments,
} from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { readerZone } from "../../ui/readerZone";
import { STATUS_NAMES, timeIn, zoneLabel } from "./time";
import { WaitlistOffers } from "./WaitlistOffers";

const LIVE = new Set(["pending", "confirmed"]);

export default function MyAppointments() {
  const { slug } = useShell();
  const list = useLoad(() => listMyAppointments(), []);
  const home = useLoad(() => getBookingHome(), []);
  const [cancelling, setCancelling] = useState<ClientAppointment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const zone = home.data?.time_zone ?? readerZone();
  const now = Date.now();
  const items = list.data?.items ?? [];
  const upcoming = items.filter((a) => LIVE.has(a.status) && Date.parse(a.end) > now).reverse();
  const past = items.filter((a) => !upcoming.includes(a));
  const policy = (a: ClientAppointment) =>
    home.data?.therapists.find((t) => t.therapist_id === a.therapist_id)?.late_cancel_policy ?? "";

  async function cancel(appointment: ClientAppointment) {
    setCancelling(null);
    setDone(null);
    await action.run(async () => {
      await cancelMyAppointment(appointment.id);
      setDone(`Cancelled ${appointment.service_name} on ${timeIn(zone, appointment.start)}.`);
      await list.reload();
    });
  }

  return (
    <>
      <PageHeading title="Appointments">Your appointments</PageHeading>
      <p>
        <a href={appPath(slug, "book")}>Book a session</a>
      </p>
      <p class="hint">Times are in your time zone, {zoneLabel(zone)}.</p>
      <Status message={done} />
      <Alert error={action.error ?? list.error} />
      <WaitlistOffers zone={zone} onClaimed={() => void list.reload()} />
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Upcoming</h2>
        {!list.data && !list.error && <Loading />}
        {list.data && upcoming.length === 0 && <p>No upcoming appointments.</p>}
        <ul class="record-list">
          {upcoming.map((a) => (
            <li key={a.id}>
              <Summary appointment={a} zone={zone} />
              <div class="row-actions">
                <a class="button-small button-secondary" href={appointmentFileUrl(a.id)} download>
                  Add to calendar
                  <span class="visually-hidden">
                    {" "}
                    ({a.service_name}, {timeIn(zone, a.start)})
                  </span>
                </a>
                {a.service_id && (
                  <a
                    class="button-small button-secondary"
                    href={appPath(
                      slug,
                      `book?move=${encodeURIComponent(a.id)}&therapist=${encodeURIComponent(a.therapist_id)}&service=${encodeURIComponent(a.service_id)}`,
                    )}
                  >
                    Move
                    <span class="visually-hidden">
                      {" "}
                      {a.service_name}, {timeIn(zone, a.start)}
                    </span>
                  </a>
                )}
                <button type="button" class="button-small button-secondary" onClick={() => setCancelling(a)}>
                  Cancel
                  <span class="visually-hidden">
                    {" "}
                    {a.service_name}, {timeIn(zone, a.start)}
                  </span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">Past and cancelled</h2>
        {list.data && past.length === 0 && <p>Nothing yet.</p>}
        <ul class="record-list">
          {past.map((a) => (
            <li key={a.id}>
              <Summary appointment={a} zone={zone} />
            </li>
          ))}
        </ul>
      </section>
      {cancelling && (
        <ConfirmDialog
          title={`Cancel ${cancelling.service_name} on ${timeIn(zone, cancelling.start)}?`}
          confirmLabel="Yes, cancel it"
          onConfirm={() => cancel(cancelling)}
          onCancel={() => setCancelling(null)}
        >
          {policy(cancelling) || "Your therapist will be told."}
        </ConfirmDialog>
      )}
    </>
  );
}

function Summary({ appointment: a, zone }: { appointment: ClientAppointment; zone: string }) {
  return (
    <div>
      <p class="record-title">
        {a.service_name} with {a.therapist_name} <span class="badge">{STATUS_NAMES[a.status]}</span>
      </p>
      <p>
        {timeIn(zone, a.start)} · {a.modality === "telehealth" ? "Video" : "In person"}
      </p>
      {a.reason && <p class="hint">Reason given: {a.reason}</p>}
    </div>
  );
}
