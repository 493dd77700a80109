import { useState } from "preact/hooks";
import { consentToSign, type OpenFormRequest } from "../../../api/portal";
import { Alert, errorFor, useAction } from "../../../ui/forms";
import { LargeCheckbox } from "./LargeCheckbox";

interface ConsentOptions {
  requestId: string;
  disclosureVersion: string;
  onConsented: () => void;
  onAlreadySigned: () => Promise<void>;
}

/** The consent form's state and submission. */
export function useConsent({ requestId, disclosureVersion, onConsented, onAlreadySigned }: ConsentOptions) {
  const [agree, setAgree] = useState(false);
  const [agreeError, setAgreeError] = useState<string | undefined>();
  const action = useAction();

  function check(checked: boolean) {
    setAgree(checked);
    if (checked) setAgreeError(undefined);
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!agree) return setAgreeError("Tick the box to agree, or ask your practice for a paper copy to sign.");
    setAgreeError(undefined);
    const failure = await action.run(async () => {
      await consentToSign(requestId, disclosureVersion);
      onConsented();
    });
    if (failure?.status === 409) await onAlreadySigned();
  }

  return { agree, agreeError, action, check, submit };
}

interface ConsentFormProps {
  consent: ReturnType<typeof useConsent>;
  disclosure: OpenFormRequest["disclosure"];
}

/** Consent to sign electronically (ESIGN): the disclosure and an explicit "I agree". */
export function ConsentForm({ consent, disclosure }: ConsentFormProps) {
  const { action } = consent;
  return (
    <form class="card" onSubmit={consent.submit} noValidate aria-labelledby="consent-heading">
      <h3 id="consent-heading">Consent to sign electronically</h3>
      <p id="disclosure-text">{disclosure.text}</p>
      <Alert error={action.error} fields={["disclosure_version"]} />
      <LargeCheckbox
        label="I agree to sign electronically"
        checked={consent.agree}
        onChecked={consent.check}
        describedBy="disclosure-text"
        error={consent.agreeError ?? errorFor(action.apiError, "disclosure_version")}
      />
      <button type="submit" class="button" aria-disabled={action.busy}>
        Continue
      </button>
    </form>
  );
}
