import { useState } from "preact/hooks";
import { type Passkey, renamePasskey } from "../../api/secondFactor";
import { Alert, TextField, useAction } from "../../ui/forms";
import { When } from "../../ui/When";

interface PasskeyListProps {
  passkeys: Passkey[];
  onRenamed: () => void;
  onRemove: (passkey: Passkey) => void;
}

export function PasskeyList({ passkeys, onRenamed, onRemove }: PasskeyListProps) {
  if (passkeys.length === 0) return <p>No passkeys yet.</p>;
  return (
    <ul class="passkey-list" aria-label="Passkeys">
      {passkeys.map((passkey) => (
        <PasskeyItem key={passkey.id} passkey={passkey} onRenamed={onRenamed} onRemove={onRemove} />
      ))}
    </ul>
  );
}

function PasskeyItem({ passkey, onRenamed, onRemove }: { passkey: Passkey } & Omit<PasskeyListProps, "passkeys">) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name);
  const { busy, error, run } = useAction();

  async function save(event: Event) {
    event.preventDefault();
    await run(async () => {
      await renamePasskey(passkey.id, name);
      setEditing(false);
      onRenamed();
    });
  }

  if (editing) {
    return (
      <li>
        <form onSubmit={save} aria-label={`Rename ${passkey.name}`}>
          <Alert error={error} />
          <TextField label="Passkey name" value={name} onValue={setName} required />
          <button type="submit" class="button-small" aria-disabled={busy}>
            Save name
          </button>
        </form>
      </li>
    );
  }
  return (
    <li>
      <strong>{passkey.name}</strong>
      <span class="hint">
        {" "}
        added <When at={passkey.created_at} />
        {passkey.last_used_at && (
          <>
            , last used <When at={passkey.last_used_at} />
          </>
        )}
      </span>
      <div class="row-actions">
        <button
          type="button"
          class="button-small button-secondary"
          aria-label={`Rename ${passkey.name}`}
          onClick={() => setEditing(true)}
        >
          Rename
        </button>
        <button
          type="button"
          class="button-small button-danger"
          aria-label={`Remove ${passkey.name}`}
          onClick={() => onRemove(passkey)}
        >
          Remove
        </button>
      </div>
    </li>
  );
}
