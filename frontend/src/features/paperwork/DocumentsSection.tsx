// General Documents: the client's signed forms as PDFs, each opened through a fresh five-minute link.
import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { documentLink, type FormRequest, listDocuments } from "../../api/paperwork";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { When } from "../../ui/When";
import { openDocument } from "./documents";
import { DocumentButtons } from "./DocumentButtons";

export function DocumentsSection({ client }: { client: Client }) {
  const documents = useLoad(() => listDocuments(client.id), [client.id]);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const items = documents.data?.items ?? [];

  async function show(document: FormRequest, inline: boolean) {
    setDone(null);
    await action.run(async () => {
      const filename = await openDocument((asked) => documentLink(client.id, document.id, asked), { inline });
      setDone(inline ? `Opened “${filename}” in a new tab.` : `Downloading “${filename}”.`);
    });
  }

  return (
    <section class="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">General Documents</h2>
      <Status message={done} />
      <Alert error={action.error ?? documents.error} />
      {!documents.data && !documents.error ? (
        <Loading />
      ) : items.length === 0 ? (
        documents.data && <p>No signed documents yet.</p>
      ) : (
        <ul class="record-list">
          {items.map((document) => (
            <li key={document.id}>
              <div>
                <p class="record-title">{document.title}</p>
                <p class="hint">
                  Version {document.form_version}
                  {document.signed_at && (
                    <>
                      {" "}
                      · Signed <When at={document.signed_at} />
                    </>
                  )}
                  {document.signed_name && <> by {document.signed_name}</>}
                </p>
              </div>
              <DocumentButtons title={document.title} busy={action.busy} onShow={(inline) => show(document, inline)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
