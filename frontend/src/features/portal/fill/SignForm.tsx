import type { RefObject } from "preact";
import { useState } from "preact/hooks";
import type { ApiError } from "../../../api/errors";
import type { FormRequest } from "../../../api/paperwork";
import type { OpenFormRequest } from "../../../api/portal";
import { Alert, TextField, errorFor, useAction } from "../../../ui/forms";
import { LargeCheckbox } from "./LargeCheckbox";
import { SignaturePad } from "./SignaturePad";

interface SignatureOptions {
  nameInput: RefObject<HTMLInputElement | null>;
  onSign: (fullName: string, drawn: string | null) => Promise<FormRequest>;
  onSigned: (request: FormRequest) => void;
  /** True when the refusal was about answers (the form is shown again). */
  onRefused: (problem: ApiError) => boolean;
  onAlreadySigned: () => Promise<void>;
}

/** The signature form's state and submission. */
export function useSignature({ nameInput, onSign, onSigned, onRefused, onAlreadySigned }: SignatureOptions) {
  const [fullName, setFullName] = useState("");
  const [attested, setAttested] = useState(false);
  const [drawn, setDrawn] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();
  const [attestError, setAttestError] = useState<string | undefined>();
  const action = useAction();

  function type(value: string) {
    setFullName(value);
    if (value.trim().length >= 2) setNameError(undefined);
  }

  function attest(checked: boolean) {
    setAttested(checked);
    if (checked) setAttestError(undefined);
  }

  async function submit(event: Event) {
    event.preventDefault();
    const name = fullName.trim();
    const missingName = name.length < 2 ? "Type your full name." : undefined;
    const missingAttest = attested ? undefined : "Tick the box to confirm the statement above.";
    setNameError(missingName);
    setAttestError(missingAttest);
    if (missingName || missingAttest) {
      action.setError("Type your full name and confirm the statement to sign.");
      if (missingName) nameInput.current?.focus();
      return;
    }
    const failure = await action.run(async () => onSigned(await onSign(name, drawn)));
    if (!failure) return;
    if (failure.status === 409) return onAlreadySigned();
    if (failure.status === 422) {
      if (onRefused(failure)) return;
      setNameError(errorFor(failure, "full_name"));
      setAttestError(errorFor(failure, "attested"));
    }
  }

  return { fullName, attested, drawn, nameError, attestError, action, type, attest, submit, setDrawn };
}

interface SignFormProps {
  signature: ReturnType<typeof useSignature>;
  disclosure: OpenFormRequest["disclosure"];
  nameInput: RefObject<HTMLInputElement | null>;
}

/** The attestation, the typed full name and the explicit "Sign form". */
export function SignForm({ signature, disclosure, nameInput }: SignFormProps) {
  return (
    <form class="card" onSubmit={signature.submit} noValidate aria-labelledby="sign-heading">
      <h3 id="sign-heading">Sign</h3>
      <p id="attestation-text" class="attestation">
        {disclosure.attestation}
      </p>
      <Alert error={signature.action.error} fields={["full_name", "attested"]} />
      <TextField
        label="Type your full name to sign"
        value={signature.fullName}
        onValue={signature.type}
        autoComplete="name"
        spellcheck={false}
        required
        error={signature.nameError}
        inputRef={nameInput}
      />
      <SignaturePad drawn={signature.drawn !== null} onDrawn={signature.setDrawn} />
      <LargeCheckbox
        label="I have read the attestation above and sign this form"
        checked={signature.attested}
        onChecked={signature.attest}
        describedBy="attestation-text"
        error={signature.attestError}
      />
      <button type="submit" class="button" aria-disabled={signature.action.busy}>
        Sign form
      </button>
    </form>
  );
}
