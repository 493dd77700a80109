import { useEffect, useState } from "preact/hooks";
import { createClient, listClients } from "../../api/clients";
import { navigate } from "../../router";
import { useShell } from "../../shell/context";
import { Alert, Status, TextField, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { LoadMore, usePaged } from "../../ui/usePaged";
import { ClientFields } from "./ClientFields";
import { CLIENT_FIELDS, canInviteClients, clientPath, emptyValues, newClient } from "./clientValues";
import { ClientTable } from "./ClientTable";
import { MessageTemplates } from "./MessageTemplates";
import { useStaffChoices } from "./useStaffChoices";

const SEARCH_DELAY_MS = 300;
const MIN_QUERY_LENGTH = 2;

/** What the server is asked for: nothing until the text is long enough to search. */
const searchable = (text: string) => (text.trim().length >= MIN_QUERY_LENGTH ? text.trim() : "");

export default function Clients() {
  const { session } = useShell();
  const isAdmin = session.principal.role === "administrator";
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const clients = usePaged((cursor) => listClients(query, cursor), [query]);
  const defaultZone = session.time_zone; // the practice's: a staff member's session carries it

  useEffect(() => {
    const timer = setTimeout(() => setQuery(searchable(text)), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const found = clients.items.length;
  const result =
    query && !clients.loading && !clients.error
      ? `${found === 0 ? "No" : found} ${found === 1 ? "client matches" : "clients match"} “${query}”${clients.hasMore ? ", more below" : ""}.`
      : null;

  return (
    <>
      <PageHeading title="Clients">Clients</PageHeading>
      {!isAdmin && <p>You see the clients assigned to you.</p>}
      <form
        class="card filter filter-single"
        role="search"
        aria-label="Find a client"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(searchable(text));
        }}
      >
        <TextField
          label="Search clients"
          type="search"
          value={text}
          onValue={setText}
          autoComplete="off"
          spellcheck={false}
          hint="Name or email, at least 2 characters."
        />
        <button type="submit" class="button">
          Search
        </button>
      </form>
      <Status message={result} />
      <Alert error={clients.error} />
      {clients.loading && found === 0 ? (
        <Loading />
      ) : (
        <ClientTable clients={clients.items} searching={query !== ""} busy={clients.loading} zone={defaultZone} />
      )}
      <LoadMore hasMore={clients.hasMore} loading={clients.loading} onLoad={clients.loadMore} />
      <AddClientForm isAdmin={isAdmin} defaultZone={defaultZone} />
      {canInviteClients(session) && <MessageTemplates />}
    </>
  );
}

function AddClientForm({ isAdmin, defaultZone }: { isAdmin: boolean; defaultZone: string }) {
  const { slug } = useShell();
  const [values, setValues] = useState(() => emptyValues(defaultZone));
  const staff = useStaffChoices(isAdmin);
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const client = await createClient(newClient(values, isAdmin));
      navigate(clientPath(slug, client.id));
    });
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="add-client-heading">
      <h2 id="add-client-heading">Add a client</h2>
      {!isAdmin && <p class="hint">Clients you add are assigned to you.</p>}
      <Alert error={error} fields={[...CLIENT_FIELDS]} />
      <ClientFields values={values} onChange={setValues} error={apiError} staff={isAdmin ? staff : null} />
      <button type="submit" class="button" aria-disabled={busy}>
        Add client
      </button>
    </form>
  );
}
