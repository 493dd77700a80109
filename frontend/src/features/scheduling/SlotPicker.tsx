// Free times for one service, a week at a time, grouped by the client's own days; booking one after a confirmation.
import { useState } from "preact/hooks";
import { type Service, type SlotPage, type Therapist, bookAppointment, getSlots } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { addDays, clockIn, dateIn, dayName, timeIn } from "./time";
import { WaitlistJoin } from "./WaitlistJoin";

interface Props {
  therapist: Therapist;
  service: Service;
  zone: string;
}

export function SlotPicker({ therapist, service, zone }: Props) {
  const { slug } = useShell();
  const [start, setStart] = useState<string | null>(null);
  const page = useLoad(() => getSlots(therapist.therapist_id, service.id, start), [start]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  async function book(at: string) {
    setChosen(null);
    setDone(null);
    const failed = await action.run(async () => {
      const booked = await bookAppointment(therapist.therapist_id, service.id, at);
      const when = timeIn(zone, booked.start);
      setDone(
        booked.status === "pending"
          ? `Requested ${when}. ${therapist.name} will confirm it; you'll get an email.`
          : `Booked ${when}.`,
      );
    });
    if (failed?.status === 409) void page.reload();
    else if (!failed) void page.reload();
  }

  const data = page.data;
  return (
    <section aria-labelledby="slots-heading">
      <h2 id="slots-heading">Free times</h2>
      <Status message={done} />
      {done && (
        <p>
          <a href={appPath(slug, "appointments")}>See your appointments</a>
        </p>
      )}
      <Alert error={action.error ?? page.error} />
      {therapist.min_notice_hours > 0 && (
        <p class="hint">
          Book at least {therapist.min_notice_hours} hours ahead, up to {therapist.horizon_days} days ahead.
        </p>
      )}
      {!data && !page.error && <Loading />}
      {data && <Week page={data} zone={zone} onPick={setChosen} />}
      {data && (
        <div class="actions">
          <button
            type="button"
            class="button-small button-secondary"
            disabled={!start}
            onClick={() => setStart(start ? addDays(start, -7) : null)}
          >
            Earlier
          </button>
          <button
            type="button"
            class="button-small button-secondary"
            onClick={() => setStart(addDays(data.first_day, 7))}
          >
            Later
          </button>
        </div>
      )}
      {data && data.starts.length === 0 && data.next_opening && (
        <p>
          <button type="button" class="link-button" onClick={() => setStart(dateIn(zone, data.next_opening as string))}>
            Show the week of the next opening
          </button>
        </p>
      )}
      <WaitlistJoin therapist={therapist} service={service} />
      {chosen && (
        <ConfirmDialog
          title={`Book ${service.name} on ${timeIn(zone, chosen)}?`}
          confirmLabel={therapist.approval_required ? "Yes, request it" : "Yes, book it"}
          onConfirm={() => book(chosen)}
          onCancel={() => setChosen(null)}
        >
          {service.duration_minutes} minutes with {therapist.name}.{" "}
          {therapist.late_cancel_policy || `You can cancel up to ${therapist.cancel_window_hours} hours before.`}
        </ConfirmDialog>
      )}
    </section>
  );
}

function Week({ page, zone, onPick }: { page: SlotPage; zone: string; onPick: (at: string) => void }) {
  if (page.starts.length === 0) return <p class="notice notice-info">{emptyReason(page, zone)}</p>;
  const days = new Map<string, string[]>();
  for (const at of page.starts) days.set(dateIn(zone, at), [...(days.get(dateIn(zone, at)) ?? []), at]);
  return (
    <div class="day-list">
      {[...days].map(([day, starts]) => (
        <div key={day} class="slot-day">
          <h3>{dayName(day)}</h3>
          <ul class="slot-list">
            {starts.map((at) => (
              <li key={at}>
                <button
                  type="button"
                  class="button-small button-secondary"
                  aria-label={`Book ${timeIn(zone, at)}`}
                  onClick={() => onPick(at)}
                >
                  {clockIn(zone, at)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function emptyReason(page: SlotPage, zone: string): string {
  if (page.reason === "closed") return "Online booking isn't open with this therapist right now.";
  if (page.reason === "new_clients")
    return "This therapist isn't taking new clients online. Please contact your practice.";
  if (page.reason === "no_hours") return "This therapist has no open hours for online booking at the moment.";
  if (page.next_opening) {
    const days = Math.max(1, Math.round((Date.parse(page.next_opening) - Date.now()) / 86_400_000));
    return `No free times this week. Next opening in ${days} day${days === 1 ? "" : "s"}: ${timeIn(zone, page.next_opening)}.`;
  }
  if (page.reason === "fully_booked")
    return `Fully booked for the next ${page.horizon_days} days. Join the waitlist below.`;
  return `No free times this week. Booking opens ${page.min_notice_hours} hours ahead, up to ${page.horizon_days} days ahead.`;
}
