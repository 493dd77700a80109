// A signed form: read-only, with its signed PDF to download.
import { useEffect, useRef, useState } from "preact/hooks";
import { myDocumentLink, type OpenFormRequest } from "../../../api/portal";
import { appPath, useShell } from "../../../shell/context";
import { Alert, Status, useAction } from "../../../ui/forms";
import { PageHeading } from "../../../ui/layout";
import { When } from "../../../ui/When";
import { FormRenderer } from "../../forms/renderer/FormRenderer";
import { openDocument } from "../../paperwork/documents";

interface CompletedProps {
  opened: OpenFormRequest;
  /** Set right after signing: the thanks, which takes focus. */
  signedNote: string | null;
  progress: string | null;
}

export function Completed({ opened, signedNote, progress }: CompletedProps) {
  const { slug } = useShell();
  const { request, definition, answers } = opened;
  const heading = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (signedNote) heading.current?.focus();
  }, [signedNote]);

  async function show(inline: boolean) {
    setDone(null);
    await run(async () => {
      const filename = await openDocument((asked) => myDocumentLink(request.id, asked), { inline });
      setDone(inline ? `Opened “${filename}” in a new tab.` : `Downloading “${filename}”.`);
    });
  }

  return (
    <>
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      {signedNote && (
        <h2 ref={heading} tabIndex={-1} class="signed-heading">
          {signedNote}
        </h2>
      )}
      {progress && <p class="form-progress">{progress}</p>}
      <p>
        {request.signed_at ? (
          <>
            Signed by <strong>{request.signed_name}</strong> on <When at={request.signed_at} />.
          </>
        ) : (
          "This form is signed."
        )}{" "}
        It can no longer be changed.
      </p>
      <Status message={done} />
      <Alert error={error} />
      <div class="actions">
        <button type="button" class="button" aria-disabled={busy} onClick={() => show(true)}>
          Open the signed PDF
        </button>
        <button type="button" class="button button-secondary" aria-disabled={busy} onClick={() => show(false)}>
          Download a copy
        </button>
      </div>
      <p>
        <a href={appPath(slug)}>Back to home</a>
      </p>
      <section class="card" aria-labelledby="signed-answers-heading">
        <h2 id="signed-answers-heading">Your signed answers</h2>
        {definition.description && <p>{definition.description}</p>}
        <FormRenderer
          definition={definition}
          answers={answers ?? {}}
          idPrefix="signed"
          signatureNote={request.signed_name ? `signed by ${request.signed_name}.` : "signed."}
        />
      </section>
    </>
  );
}
