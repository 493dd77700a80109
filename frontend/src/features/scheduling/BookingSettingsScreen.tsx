// A therapist's own booking settings: services, weekly hours, date overrides and the rules clients book under.
import { useState } from "preact/hooks";
import { type BookingSettings, type SettingsBody, getBookingSettings, saveBookingSettings } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { Alert, CheckboxField, Status, TextAreaField, errorFor, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { TimeZoneSelect } from "../../ui/TimeZoneSelect";
import { useLoad } from "../../ui/useLoad";
import { FeedSection } from "./FeedSection";
import { HoursEditor } from "./HoursEditor";
import { OverridesEditor } from "./OverridesEditor";
import { RulesFields } from "./RulesFields";
import { ServicesEditor } from "./ServicesEditor";

export default function BookingSettingsScreen() {
  const { slug } = useShell();
  const loaded = useLoad(() => getBookingSettings(), []);
  return (
    <>
      <PageHeading title="Booking settings">Booking settings</PageHeading>
      <p>
        <a href={appPath(slug, "schedule")}>Back to your schedule</a>
      </p>
      <Alert error={loaded.error} />
      {!loaded.data && !loaded.error && <Loading />}
      {loaded.data && <SettingsForm initial={loaded.data} />}
      <FeedSection />
    </>
  );
}

function SettingsForm({ initial }: { initial: BookingSettings }) {
  const [draft, setDraft] = useState<SettingsBody>({ ...initial });
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const set = (change: Partial<SettingsBody>) => setDraft({ ...draft, ...change });

  async function save(event: Event) {
    event.preventDefault();
    setDone(null);
    await action.run(async () => {
      setDraft(await saveBookingSettings(draft));
      setDone("Booking settings saved.");
    });
  }

  return (
    <form onSubmit={save} noValidate>
      <Status message={done} />
      <Alert error={action.error} fields={["time_zone", "late_cancel_policy"]} />
      <CheckboxField
        label="Clients may book online"
        checked={draft.booking_enabled}
        onChecked={(booking_enabled) => set({ booking_enabled })}
        description="Your assigned clients see your free times in their portal."
      />
      <TimeZoneSelect
        value={draft.time_zone}
        onValue={(time_zone) => set({ time_zone })}
        error={errorFor(action.apiError, "time_zone")}
      />
      <ServicesEditor services={draft.services} onChange={(services) => set({ services })} error={action.apiError} />
      <HoursEditor weekly={draft.weekly} onChange={(weekly) => set({ weekly })} error={action.apiError} />
      <OverridesEditor
        overrides={draft.overrides}
        onChange={(overrides) => set({ overrides })}
        error={action.apiError}
      />
      <RulesFields draft={draft} onChange={set} error={action.apiError} />
      <TextAreaField
        label="Late-cancellation policy (shown to clients)"
        value={draft.late_cancel_policy}
        onValue={(late_cancel_policy) => set({ late_cancel_policy })}
        rows={3}
        maxLength={1000}
        error={errorFor(action.apiError, "late_cancel_policy")}
      />
      <div class="actions">
        <button type="submit" class="button" aria-disabled={action.busy}>
          Save booking settings
        </button>
      </div>
    </form>
  );
}
