// Free times for one service, a week at a time, grouped by the client's own days; booking one after a confirmation.
import { useState } from "preact/hooks";
import { type Service, type Therapist, bookAppointment, getSlots, rescheduleMyAppointment } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { SlotWeek as Week } from "./SlotWeek";
import { addDays, dateIn, timeIn } from "./time";
import { WaitlistJoin } from "./WaitlistJoin";

interface Props {
  therapist: Therapist;
  service: Service;
  zone: string;
  /** An appointment of the client's to move to the chosen time, instead of booking a new one. */
  moving?: string | null;
}

export function SlotPicker({ therapist, service, zone, moving }: Props) {
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
      const booked = moving
        ? await rescheduleMyAppointment(moving, at)
        : await bookAppointment(therapist.therapist_id, service.id, at);
      const when = timeIn(zone, booked.start);
      setDone(
        booked.status === "pending"
          ? `Requested ${when}. ${therapist.name} will confirm it; you'll get an email.`
          : `${moving ? "Moved to" : "Booked"} ${when}.`,
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
