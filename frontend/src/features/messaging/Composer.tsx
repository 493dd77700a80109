// Writing a message: up to 10,000 characters and five attachments (PDF or images, 10 MB each).
import { useId, useState } from "preact/hooks";
import { MAX_ATTACHMENTS, MAX_TEXT, type Side, sendMessage } from "../../api/messages";
import { Alert, Status, errorFor, useAction } from "../../ui/forms";
import { type Chosen, refusal, upload } from "./attachments";
import { characters } from "./format";

interface ComposerProps {
  side: Side;
  clientId: string;
  onSent: () => void;
}

export function Composer({ side, clientId, onSent }: ComposerProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [files, setFiles] = useState<Chosen[]>([]);
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, apiError, setError, run } = useAction();
  const count = characters(text);
  const tooLong = count > MAX_TEXT;
  const uploading = files.some((file) => file.state === "uploading");

  function update(key: string, change: Partial<Chosen>) {
    setFiles((previous) => previous.map((file) => (file.key === key ? { ...file, ...change } : file)));
  }

  function choose(list: FileList | null) {
    const chosen = Array.from(list ?? []).slice(0, MAX_ATTACHMENTS - files.filter((f) => f.state !== "refused").length);
    for (const file of chosen) {
      const key = `${file.name}-${Math.random()}`;
      const problem = refusal(file);
      setFiles((previous) => [
        ...previous,
        { key, name: file.name, state: problem ? "refused" : "uploading", problem: problem ?? undefined },
      ]);
      if (problem) continue;
      upload(side, file).then(
        (uploadId) => update(key, { state: "ready", uploadId }),
        () => update(key, { state: "refused", problem: `${file.name} could not be uploaded. Try again.` }),
      );
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    setSent(null);
    if (!text.trim()) return setError("Write a message before sending.");
    if (tooLong || uploading) return;
    const ids = files.filter((f) => f.state === "ready" && f.uploadId).map((f) => f.uploadId as string);
    const failure = await run(async () => {
      await sendMessage(side, clientId, text, ids);
    });
    if (failure) {
      // A file the server refused by its bytes is gone: mark it (it is not sent again); the others stay ready.
      for (const file of files) {
        const problem = file.uploadId && failure.errors.find((e) => e.field === `attachment_ids.${file.uploadId}`);
        if (problem)
          update(file.key, {
            state: "refused",
            problem: `${file.name}: ${problem.message} Remove it or attach another.`,
          });
      }
      return;
    }
    setText("");
    setFiles([]);
    setSent("Message sent.");
    onSent();
  }

  return (
    <form class="composer" onSubmit={submit} aria-label="Write a message">
      <Status message={sent} />
      <Alert error={error} fields={["text"]} />
      <div class={errorFor(apiError, "text") || tooLong ? "field field-invalid" : "field"}>
        <label for={`${id}-text`}>Your message</label>
        <textarea
          id={`${id}-text`}
          rows={4}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          aria-describedby={`${id}-count`}
          aria-invalid={tooLong || errorFor(apiError, "text") ? "true" : undefined}
        />
        <p id={`${id}-count`} class={tooLong ? "field-error" : "hint"}>
          {count.toLocaleString("en-US")} of {MAX_TEXT.toLocaleString("en-US")} characters
        </p>
      </div>
      <div class="field">
        <label for={`${id}-files`}>Attach files</label>
        <p id={`${id}-files-hint`} class="hint">
          PDF or images, up to 10 MB each, {MAX_ATTACHMENTS} at most.
        </p>
        <input
          id={`${id}-files`}
          type="file"
          multiple
          accept="application/pdf,image/png,image/jpeg,image/gif,image/webp,image/heic"
          aria-describedby={`${id}-files-hint`}
          onChange={(event) => {
            choose(event.currentTarget.files);
            event.currentTarget.value = "";
          }}
        />
      </div>
      {files.length > 0 && (
        <ul class="attachment-list" aria-label="Files to send" aria-live="polite">
          {files.map((file) => (
            <li key={file.key}>
              {file.state === "refused" ? <span class="field-error">{file.problem}</span> : file.name}
              {file.state === "uploading" && <span class="hint"> — uploading…</span>}
              {file.state === "ready" && <span class="hint"> — ready</span>}{" "}
              <button
                type="button"
                class="link-button"
                onClick={() => setFiles(files.filter((f) => f.key !== file.key))}
              >
                Remove {file.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="submit" class="button" aria-disabled={busy || uploading || tooLong}>
        Send
      </button>
    </form>
  );
}
