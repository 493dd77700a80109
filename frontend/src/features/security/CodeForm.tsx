import { useState } from "preact/hooks";
import { Alert, TextField, errorFor, useAction } from "../../ui/forms";

interface CodeFormProps {
  label: string;
  hint?: string;
  submitLabel: string;
  /** Six digits from an app, or a recovery code. */
  kind: "totp" | "recovery";
  onCode: (code: string) => Promise<void>;
}

/** One code field and its button; the server's message (wrong, used, too many tries) shows in the form. */
export function CodeForm({ label, hint, submitLabel, kind, onCode }: CodeFormProps) {
  const [code, setCode] = useState("");
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(() => onCode(code.trim()));
  }

  return (
    <form onSubmit={submit}>
      <Alert error={error} fields={["code"]} />
      <TextField
        label={label}
        value={code}
        onValue={setCode}
        hint={hint}
        autoComplete={kind === "totp" ? "one-time-code" : "off"}
        spellcheck={false}
        required
        error={errorFor(apiError, "code")}
      />
      <button type="submit" class="button" aria-disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
