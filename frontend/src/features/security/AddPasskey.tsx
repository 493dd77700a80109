import { useState } from "preact/hooks";
import { toApiError } from "../../api/errors";
import { type FactorAdded, addPasskey } from "../../api/secondFactor";
import { PasskeyCancelled } from "../../api/webauthn";
import { Alert, TextField, useAction } from "../../ui/forms";

/** Name a new passkey, then let the browser create it (fingerprint, face, PIN or security key). */
export function AddPasskey({ onAdded }: { onAdded: (added: FactorAdded) => void }) {
  const [name, setName] = useState("");
  const { busy, error, setError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      try {
        onAdded(await addPasskey(name.trim() || "Passkey"));
      } catch (caught) {
        if (caught instanceof PasskeyCancelled) return setError(caught.message);
        throw toApiError(caught);
      }
    });
  }

  return (
    <form onSubmit={submit} aria-label="Add a passkey">
      <Alert error={error} fields={["name"]} />
      <TextField label="Passkey name" value={name} onValue={setName} hint="For example: Work laptop, or My phone." />
      <button type="submit" class="button" aria-disabled={busy}>
        Create passkey
      </button>
    </form>
  );
}
