import { useState } from "preact/hooks";
import { getSettings, type Settings, updateSettings } from "../../api/organizations";
import { useShell } from "../../shell/context";
import { CopyLoginLink } from "../../ui/CopyLoginLink";
import { Alert, CheckboxField, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { TimeZoneSelect } from "../../ui/TimeZoneSelect";
import { useLoad } from "../../ui/useLoad";
import { MessagingFields } from "../messaging/MessagingSettings";
import { AccentField, LogoSection } from "./BrandingSettings";
import { FEATURES } from "./features";
import { SecuritySettings } from "./SecuritySettings";

export default function PortalSettings() {
  const { slug } = useShell();
  const { data, error, reload } = useLoad(() => getSettings(), []);

  return (
    <>
      <PageHeading title="Portal settings">Portal settings</PageHeading>
      <LoginLink slug={slug} />
      {data ? <SettingsForm initial={data} reload={reload} /> : error ? <Alert error={error} /> : <Loading />}
      {data && <LogoSection />}
      {data && <SecuritySettings initial={data} />}
    </>
  );
}

interface SettingsFormProps {
  initial: Settings;
  reload: () => Promise<Settings | null>;
}

function SettingsForm({ initial, reload }: SettingsFormProps) {
  const { updateOrganization, refreshFeatures } = useShell();
  const [values, setValues] = useState(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, apiError, setError, run } = useAction();
  const set = (change: Partial<Settings>) => setValues({ ...values, ...change });

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    const { version, name, time_zone, contact_line, features, self_signup, messaging, accent_color } = values;
    const failure = await run(async () => {
      const settings = await updateSettings({
        version,
        name,
        time_zone,
        contact_line: contact_line ?? "",
        features,
        self_signup,
        messaging,
        // Sent only when changed: an unchanged colour is not a change (and not an audited one).
        accent_color: (accent_color ?? "") === (initial.accent_color ?? "") ? null : (accent_color ?? ""),
      });
      setValues(settings);
      updateOrganization({ name: settings.name, time_zone: settings.time_zone, accent_color: settings.accent_color });
      refreshFeatures(); // a switch turned off leaves this person's navigation too
    });
    if (!failure) setSaved("Settings saved");
    else if (failure.type === "/problems/stale-version") {
      const latest = await reload();
      if (latest) setValues(latest);
      setError("Someone else changed these settings — reloaded the latest values");
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="settings-heading">
      <h2 id="settings-heading">Features, practice details and branding</h2>
      <Status message={saved} />
      <Alert
        error={error}
        fields={[
          "name",
          "time_zone",
          "contact_line",
          "accent_color",
          "notice_minutes",
          "mail_subject",
          "mail_sender",
          "crisis_text",
        ]}
      />
      <fieldset>
        <legend>Features clients can use</legend>
        <p class="hint">These settings apply to every therapist in the practice.</p>
        {FEATURES.map((feature) => (
          <CheckboxField
            key={feature.key}
            label={feature.label}
            description={feature.description}
            checked={values.features[feature.key]}
            onChecked={(checked) => set({ features: { ...values.features, [feature.key]: checked } })}
          />
        ))}
      </fieldset>
      <CheckboxField
        label="Client self sign-up"
        description="Let new clients create a portal account from your login page. Existing clients should be invited instead, so no duplicate record is created."
        checked={values.self_signup ?? false}
        onChecked={(self_signup) => set({ self_signup })}
      />
      <TextField
        label="Practice name"
        value={values.name}
        onValue={(name) => set({ name })}
        required
        error={errorFor(apiError, "name")}
      />
      <TextField
        label="Contact line"
        value={values.contact_line ?? ""}
        onValue={(contact_line) => set({ contact_line })}
        hint="Shown to clients, for example a phone number for scheduling."
        error={errorFor(apiError, "contact_line")}
      />
      <TimeZoneSelect
        value={values.time_zone}
        onValue={(time_zone) => set({ time_zone })}
        error={errorFor(apiError, "time_zone")}
        label="Practice time zone"
      />
      <p class="hint">Staff see every time in this zone; clients see theirs in their own.</p>
      <AccentField
        value={values.accent_color ?? null}
        onValue={(accent_color) => set({ accent_color })}
        error={errorFor(apiError, "accent_color")}
      />
      <MessagingFields value={values.messaging} onChange={(messaging) => set({ messaging })} error={apiError} />
      <button type="submit" class="button" aria-disabled={busy}>
        Save settings
      </button>
    </form>
  );
}

function LoginLink({ slug }: { slug: string }) {
  return (
    <section class="card" aria-labelledby="login-link-heading">
      <h2 id="login-link-heading">Login link</h2>
      <p>Share this address with your staff and clients: it is where they sign in to your portal.</p>
      <CopyLoginLink slug={slug} />
    </section>
  );
}
