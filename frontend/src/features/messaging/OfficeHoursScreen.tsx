// After-hours auto-reply (each staff member's own, off by default): outside the working hours set here, a client
// who writes gets an automatic reply, followed by the practice's crisis text.
import { useState } from "preact/hooks";
import { getOfficeHours, type OfficeHours, saveOfficeHours } from "../../api/messages";
import { appPath, useShell } from "../../shell/context";
import { Alert, CheckboxField, Status, TextAreaField, TextField, errorFor, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export default function OfficeHoursScreen() {
  const { slug } = useShell();
  const { data, error } = useLoad(() => getOfficeHours(), []);
  return (
    <>
      <p>
        <a href={appPath(slug, "messages")}>Back to messages</a>
      </p>
      <PageHeading title="After-hours auto-reply">After-hours auto-reply</PageHeading>
      <p>
        When a client writes outside your working hours, they get one automatic reply from you, followed by your
        practice's crisis text (set by an administrator in Portal settings). Hours are in your practice's time zone.
      </p>
      {data ? <HoursForm initial={data} /> : error ? <Alert error={error} /> : <Loading />}
    </>
  );
}

function HoursForm({ initial }: { initial: OfficeHours }) {
  const [hours, setHours] = useState(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();
  const set = (change: Partial<OfficeHours>) => setHours({ ...hours, ...change });
  const toggleDay = (day: number, on: boolean) =>
    set({ days: on ? [...hours.days, day].sort() : hours.days.filter((d) => d !== day) });

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    const failure = await run(async () => setHours(await saveOfficeHours(hours)));
    if (!failure) setSaved(hours.enabled ? "Auto-reply is on." : "Auto-reply is off.");
  }

  return (
    <form class="card" onSubmit={submit} aria-label="Auto-reply settings">
      <Status message={saved} />
      <Alert error={error} fields={["days", "start", "end", "message"]} />
      <CheckboxField
        label="Reply automatically outside my working hours"
        checked={hours.enabled}
        onChecked={(enabled) => set({ enabled })}
      />
      <fieldset class={errorFor(apiError, "days") ? "field-invalid" : undefined}>
        <legend>Working days</legend>
        {DAYS.map((name, index) => (
          <CheckboxField
            key={name}
            label={name}
            checked={hours.days.includes(index + 1)}
            onChecked={(on) => toggleDay(index + 1, on)}
          />
        ))}
      </fieldset>
      <TextField
        label="Day starts"
        type="time"
        value={hours.start}
        onValue={(start) => set({ start })}
        error={errorFor(apiError, "start")}
      />
      <TextField
        label="Day ends"
        type="time"
        value={hours.end}
        onValue={(end) => set({ end })}
        error={errorFor(apiError, "end")}
      />
      <TextAreaField
        label="Auto-reply message"
        value={hours.message}
        onValue={(message) => set({ message })}
        hint="Leave empty for: Thank you for your message. I'm away right now and will reply during my working hours."
        error={errorFor(apiError, "message")}
        rows={3}
      />
      <button type="submit" class="button" aria-disabled={busy}>
        Save auto-reply
      </button>
    </form>
  );
}
