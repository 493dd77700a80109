import { useState } from "preact/hooks";
import { type Client, updateClient } from "../../api/clients";
import { useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { browserTimeZone } from "../../ui/TimeZoneSelect";
import { ClientFields } from "./ClientFields";
import { CLIENT_FIELDS, clientChange, valuesOf } from "./clientValues";
import { useStaffChoices } from "./useStaffChoices";

interface DetailsFormProps {
  client: Client;
  onChange: (client: Client) => void;
  reload: () => Promise<Client | null>;
}

/** The client's record: names, contact details, time zone and (administrators) assigned therapists. */
export function DetailsForm({ client, onChange, reload }: DetailsFormProps) {
  const { session } = useShell();
  const isAdmin = session.principal.role === "administrator";
  const staff = useStaffChoices(isAdmin);
  const [values, setValues] = useState(() => valuesOf(client, browserTimeZone()));
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, apiError, setError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    // Compared with the latest record, so a portal action in between (a new version) is no conflict.
    const change = clientChange(client, values, isAdmin);
    if (!change) return setSaved("No changes to save.");
    const failure = await run(async () => {
      const updated = await updateClient(client.id, change);
      onChange(updated);
      setValues(valuesOf(updated, values.time_zone));
      setSaved("Client details saved.");
    });
    if (failure?.type !== "/problems/stale-version") return;
    const latest = await reload();
    if (!latest)
      return setError("Someone else changed this client meanwhile, and the latest values couldn't be loaded.");
    setValues(valuesOf(latest, values.time_zone));
    setError(
      "Someone else changed this client meanwhile — showing the latest values. Save again to apply your changes.",
    );
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="client-details-heading">
      <h2 id="client-details-heading">Client details</h2>
      <Status message={saved} />
      <Alert error={error} fields={[...CLIENT_FIELDS]} />
      <ClientFields
        clientId={client.id}
        values={values}
        onChange={setValues}
        error={apiError}
        staff={isAdmin ? staff : null}
      />
      <button type="submit" class="button" aria-disabled={busy}>
        Save client
      </button>
    </form>
  );
}
