// The practice's second-factor policy: a sensitive change, so it may ask the administrator to confirm it's them.
import { useState } from "preact/hooks";
import { getSettings, type Settings, updateSettings } from "../../api/organizations";
import type { Security } from "../../api/secondFactor";
import { Alert, CheckboxField, SelectField, Status, useAction } from "../../ui/forms";
import { useStepUp } from "../security/StepUp";

export function SecuritySettings({ initial }: { initial: Settings }) {
  const [values, setValues] = useState<Security>(initial.security);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const stepUp = useStepUp(setError);
  const set = (change: Partial<Security>) => setValues({ ...values, ...change });

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    await run(async () => {
      await stepUp.guarded(async () => {
        // Only the policy is sent, with the settings' current version (the other form may have saved since).
        const { version } = await getSettings();
        const settings = await updateSettings({ version, security: values });
        setValues(settings.security);
        setSaved("Sign-in security saved");
      });
    });
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="security-heading">
      <h2 id="security-heading">Sign-in security</h2>
      <Status message={saved} />
      <Alert error={error} />
      <CheckboxField
        label="Require a second factor for staff"
        description="Staff without a passkey or authenticator app set one up at their next sign-in, before they can see any client."
        checked={values.staff_second_factor}
        onChecked={(staff_second_factor) => set({ staff_second_factor })}
      />
      <SelectField
        label="Second factor for clients"
        value={values.client_second_factor}
        onValue={(value) => set({ client_second_factor: value as Security["client_second_factor"] })}
      >
        <option value="off">Not offered</option>
        <option value="offered">Offered (clients may turn it on)</option>
        <option value="required">Required</option>
      </SelectField>
      <CheckboxField
        label="Allow signing in with a passkey alone"
        description="A passkey with a fingerprint, face or PIN counts as both factors, so no password is needed."
        checked={values.passkey_sign_in}
        onChecked={(passkey_sign_in) => set({ passkey_sign_in })}
      />
      <button type="submit" class="button" aria-disabled={busy}>
        Save sign-in security
      </button>
      {stepUp.dialog}
    </form>
  );
}
