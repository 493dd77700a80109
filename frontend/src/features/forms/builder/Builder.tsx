// Editing a practice's own form (or a new one): checked here first, then by the server; each save is a version.
import { useState } from "preact/hooks";
import type { Answers } from "../../../api/formDefinition";
import { createForm, type FormSummary, type FormVersion, updateForm } from "../../../api/forms";
import { navigate } from "../../../router";
import { useShell } from "../../../shell/context";
import { Alert, Status, useAction } from "../../../ui/forms";
import { PageHeading } from "../../../ui/layout";
import { formPath } from "../formPreview";
import { BackLink } from "./BackLink";
import { BuilderPreview } from "./BuilderPreview";
import { type Errors, check } from "./check";
import { definitionOf, draftOf } from "./draft";
import { FieldList } from "./FieldList";
import { setFlash, takeFlash } from "./flash";
import { FormDetails } from "./FormDetails";
import { placeServerErrors } from "./serverErrors";
import { useDraftFields } from "./useDraftFields";

interface BuilderProps {
  loaded: FormVersion | null;
  onReload?: () => Promise<FormVersion | null>;
}

const STATUS_NAMES = { active: "Active", draft: "Draft (make it active in the forms list to send it)", retired: "Retired" };

export function Builder({ loaded, onReload }: BuilderProps) {
  const { slug } = useShell();
  const [summary, setSummary] = useState<FormSummary | null>(loaded?.form ?? null);
  const [title, setTitle] = useState(loaded?.definition.title ?? "");
  const [description, setDescription] = useState(loaded?.definition.description ?? "");
  const [errors, setErrors] = useState<Errors>({});
  const [placed, setPlaced] = useState<string[]>([]);
  const [preview, setPreview] = useState(false);
  const [previewAnswers, setPreviewAnswers] = useState<Answers>({});
  const [saved, setSaved] = useState<string | null>(takeFlash);
  const { busy, error, apiError, setError, run } = useAction();
  const draft = useDraftFields(loaded?.definition ?? null, setSaved);
  const { fields } = draft;

  /** Shows the fields (not the preview) with the first marked control focused. */
  function showProblems() {
    if (preview) setPreview(false);
    draft.focusOn("[aria-invalid='true']");
  }

  async function save(event: Event) {
    event.preventDefault();
    setSaved(null);
    setPlaced([]);
    const problems = check(title, description, fields);
    setErrors(problems);
    if (Object.keys(problems).length) {
      setError("Some fields need attention. Fix the marked fields and save again.");
      return showProblems();
    }
    const definition = definitionOf(title, description, fields);
    const failure = await run(async () => {
      if (!summary) {
        const created = await createForm(definition);
        setFlash(`Saved as version ${created.current_version}.`);
        navigate(formPath(slug, created.id), { replace: true });
        return;
      }
      const updated = await updateForm(summary.id, summary.head_version, definition);
      // The answer carries the head's new lock version, which the next save sends.
      setSummary(updated);
      setSaved(`Saved as version ${updated.current_version}.`);
    });
    if (failure && failure.status === 422) {
      const result = placeServerErrors(failure, fields);
      setErrors(result.errors);
      setPlaced(result.placed);
      if (Object.keys(result.errors).length) showProblems();
    }
  }

  async function loadLatest() {
    const latest = await onReload?.();
    if (!latest) return;
    setSummary(latest.form);
    setTitle(latest.definition.title);
    setDescription(latest.definition.description ?? "");
    draft.setFields(draftOf(latest.definition));
    setErrors({});
    setError(null);
    setSaved(`Showing version ${latest.number}, the latest.`);
  }

  const heading = summary ? `Edit ${loaded?.definition.title ?? summary.title}` : "New form";
  const stale = apiError?.type === "/problems/stale-version";

  return (
    <>
      <BackLink />
      <PageHeading title={heading}>{heading}</PageHeading>
      {summary && (
        <p class="hint">
          Version {summary.current_version} · {STATUS_NAMES[summary.status]}. Saving makes a new
          version; forms already sent keep theirs.
        </p>
      )}
      <form ref={draft.form} onSubmit={save} noValidate aria-label={heading}>
        <Status message={saved} />
        <Alert error={error} fields={placed} />
        {stale && (
          <p>
            <button type="button" class="link-button" onClick={loadLatest}>
              Load the latest version
            </button>{" "}
            (your unsaved changes here are lost).
          </p>
        )}
        <FormDetails
          title={title}
          description={description}
          errors={errors}
          onTitle={setTitle}
          onDescription={setDescription}
        />
        <div class="actions">
          <button
            type="button"
            class="button button-secondary"
            aria-pressed={preview}
            onClick={() => setPreview(!preview)}
          >
            Preview
          </button>
        </div>
        {preview ? (
          <BuilderPreview
            title={title}
            description={description}
            definition={definitionOf(title, description, fields)}
            answers={previewAnswers}
            onAnswers={setPreviewAnswers}
          />
        ) : (
          <FieldList draft={draft} errors={errors} />
        )}
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy}>
            Save form
          </button>
        </div>
      </form>
    </>
  );
}
