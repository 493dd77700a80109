import { useState } from "preact/hooks";
import { type AuditQuery, NO_FILTER, exportAuditPage, listAudit } from "../../api/audit";
import { useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { readerZone, zoneName } from "../../ui/readerZone";
import { LoadMore, usePaged } from "../../ui/usePaged";
import { AuditFilters } from "./AuditFilters";
import { AuditTable } from "./AuditTable";

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
  const [query, setQuery] = useState<AuditQuery>(NO_FILTER);
  const events = usePaged((cursor) => listAudit(query, cursor), [query.actor, query.client, query.since, query.until]);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const download = useAction();
  // Staff read times in the practice's zone: the session's (ui/readerZone), which the shell set.
  const timeZone = readerZone();

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
      <AuditFilters onFilter={setQuery} zoneName={zoneName(timeZone)} />
      <div class="actions">
        <button type="button" class="button button-secondary" aria-disabled={download.busy} onClick={downloadCsv}>
          Download CSV
        </button>
      </div>
      <Status message={downloaded} />
      <Alert error={download.error ?? events.error} />
      {events.loading && events.items.length === 0 ? (
        <Loading />
      ) : (
        <AuditTable events={events.items} timeZone={timeZone} />
      )}
      <LoadMore hasMore={events.hasMore} loading={events.loading} onLoad={events.loadMore} />
    </>
  );
}
