import { useState } from "preact/hooks";
import { type AuditEvent, type AuditQuery, exportAuditPage, listAudit } from "../../api/audit";
import { getOrganization } from "../../api/organizations";
import { ROLE_NAMES, useShell } from "../../shell/context";
import { Alert, Status, TextField, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { LoadMore, usePaged } from "../../ui/usePaged";

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "long" };
  try {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
  }
}

const roleName = (role: string | null) => (role ? (ROLE_NAMES[role as keyof typeof ROLE_NAMES] ?? role) : "—");

/** Joins the CSV export's pages, keeping the header row of the first page only. */
async function exportCsv(query: AuditQuery): Promise<string> {
  let csv = "";
  let header: string | null = null;
  let cursor: string | null = null;
  const seen = new Set<string>();
  do {
    const page = await exportAuditPage(query, cursor);
    const lineEnd = page.csv.indexOf("\n");
    const firstLine = (lineEnd === -1 ? page.csv : page.csv.slice(0, lineEnd)).replace(/\r$/, "");
    let rows = page.csv;
    if (header === null) header = firstLine;
    else if (firstLine === header) rows = lineEnd === -1 ? "" : page.csv.slice(lineEnd + 1);
    if (csv && rows && !csv.endsWith("\n")) csv += "\r\n";
    csv += rows;
    cursor = page.nextCursor || null;
    // A cursor seen before would loop forever.
    if (cursor && seen.has(cursor)) break;
    if (cursor) seen.add(cursor);
  } while (cursor);
  return csv;
}

function saveFile(contents: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function AuditLog() {
  const { slug } = useShell();
  const [query, setQuery] = useState<AuditQuery>({ actor: "", client: "" });
  const events = usePaged((cursor) => listAudit(query, cursor), [query.actor, query.client]);
  const organization = useLoad(() => getOrganization(slug), [slug]);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const download = useAction();
  // The practice's zone; the viewer's own if the practice couldn't be loaded.
  const timeZone =
    organization.data?.time_zone ?? (organization.error ? Intl.DateTimeFormat().resolvedOptions().timeZone : null);

  async function downloadCsv() {
    setDownloaded(null);
    await download.run(async () => {
      const date = new Date().toISOString().slice(0, 10);
      saveFile(await exportCsv(query), `audit-log-${slug}-${date}.csv`);
      setDownloaded("Audit log downloaded.");
    });
  }

  return (
    <>
      <PageHeading title="Audit log">Audit log</PageHeading>
      <p>Every sign-in, read, change and download of client information, newest first.</p>
      <AuditFilter initial={query} onFilter={setQuery} />
      <div class="actions">
        <button type="button" class="button button-secondary" aria-disabled={download.busy} onClick={downloadCsv}>
          Download CSV
        </button>
      </div>
      <Status message={downloaded} />
      <Alert error={download.error ?? events.error} />
      {timeZone === null || (events.loading && events.items.length === 0) ? (
        <Loading />
      ) : (
        <AuditTable events={events.items} timeZone={timeZone} />
      )}
      <LoadMore hasMore={events.hasMore} loading={events.loading} onLoad={events.loadMore} />
    </>
  );
}

function AuditFilter({ initial, onFilter }: { initial: AuditQuery; onFilter: (query: AuditQuery) => void }) {
  const [actor, setActor] = useState(initial.actor);
  const [client, setClient] = useState(initial.client);
  return (
    <form
      class="card filter"
      aria-label="Filter the audit log"
      onSubmit={(event) => {
        event.preventDefault();
        onFilter({ actor: actor.trim(), client: client.trim() });
      }}
    >
      <TextField label="Actor ID" value={actor} onValue={setActor} autoComplete="off" spellcheck={false} />
      <TextField label="Client ID" value={client} onValue={setClient} autoComplete="off" spellcheck={false} />
      <button type="submit" class="button">
        Filter
      </button>
    </form>
  );
}

function AuditTable({ events, timeZone }: { events: AuditEvent[]; timeZone: string }) {
  const format = timeFormat(timeZone);
  return (
    <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabIndex={0}>
      <table>
        <caption id="audit-caption">Audit events (times in {timeZone.replace(/_/g, " ")})</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Role</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Outcome</th>
            <th scope="col">Client</th>
            <th scope="col">IP</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 && (
            <tr>
              <td colSpan={8}>No events match.</td>
            </tr>
          )}
          {events.map((event) => (
            <tr key={event.id}>
              <td>
                <time dateTime={event.at}>{format.format(new Date(event.at))}</time>
              </td>
              <td class="id">{event.actor_id ?? "—"}</td>
              <td>{roleName(event.actor_role)}</td>
              <td>{event.action}</td>
              <td>{event.resource}</td>
              <td class={`outcome outcome-${event.outcome}`}>{event.outcome}</td>
              <td class="id">{event.subject_client_id ?? "—"}</td>
              <td class="id">{event.ip ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
