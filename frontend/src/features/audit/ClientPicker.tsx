// Choose a client by name: the search travels in the body (never the URL); the chosen client's id is the filter.
import { useState } from "preact/hooks";
import { type ClientSummary, listClients } from "../../api/clients";
import { Alert, TextField, useAction } from "../../ui/forms";

export interface Chosen {
  id: string;
  name: string;
}

export function ClientPicker({
  chosen,
  onChoose,
}: {
  chosen: Chosen | null;
  onChoose: (client: Chosen | null) => void;
}) {
  const [text, setText] = useState("");
  const [found, setFound] = useState<ClientSummary[] | null>(null);
  const search = useAction();

  async function find() {
    if (text.trim().length < 2) return;
    await search.run(async () => setFound((await listClients(text.trim(), null)).items));
  }

  if (chosen) {
    return (
      <div class="picker-chosen">
        <p class="label-like">Client</p>
        <p>
          <strong>{chosen.name}</strong>{" "}
          <button type="button" class="button-small button-secondary" onClick={() => onChoose(null)}>
            Any client<span class="visually-hidden"> (stop filtering by {chosen.name})</span>
          </button>
        </p>
      </div>
    );
  }
  return (
    <div>
      <TextField
        label="Client"
        type="search"
        value={text}
        onValue={setText}
        autoComplete="off"
        spellcheck={false}
        hint="Type a name, then Find."
      />
      <div class="filter-actions">
        <button type="button" class="button-small button-secondary" aria-disabled={search.busy} onClick={find}>
          Find client
        </button>
      </div>
      <Alert error={search.error} />
      {found && (
        <ul class="picker-results" aria-label="Matching clients">
          {found.length === 0 && <li>No client matches.</li>}
          {found.slice(0, 8).map((client) => (
            <li key={client.id}>
              <button type="button" class="button-link" onClick={() => onChoose({ id: client.id, name: client.name })}>
                {client.name}
                {client.email && <span class="hint"> · {client.email}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
