// The form builder (administrators): a form's title, description and ordered fields; saving writes a new version.
// Standard forms open read-only, with a button to copy them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError } from "../../../api/errors";
import type { Answers, AnswerValue, FieldType, FormDefinition, FormField } from "../../../api/formDefinition";
import { copyForm, createForm, type FormSummary, type FormVersion, getForm, updateForm } from "../../../api/forms";
import { navigate } from "../../../router";
import { FormRenderer } from "../renderer/FormRenderer";
import { Alert, CheckboxField, SelectField, Status, TextAreaField, TextField, useAction } from "../../../ui/forms";
import { Loading, PageHeading } from "../../../ui/layout";
import { useLoad } from "../../../ui/useLoad";
import { appPath, useShell } from "../../../shell/context";
import { FormPreview, formPath } from "../formPreview";

export const FIELD_TYPE_NAMES: Record<FieldType, string> = {
  short_text: "Short text",
  long_text: "Long text",
  number: "Number",
  date: "Date",
  single_choice: "Single choice",
  multiple_choice: "Multiple choice",
  yes_no: "Yes / No",
  email: "Email",
  phone: "Phone",
  address: "Address",
  heading: "Section heading",
  static_text: "Static text",
  signature: "Signature",
};

const TYPES = Object.keys(FIELD_TYPE_NAMES) as FieldType[];
const NO_ANSWER: FieldType[] = ["heading", "static_text", "signature"];
const CHOICES: FieldType[] = ["single_choice", "multiple_choice"];
const ID_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** A message for the screen shown after a navigation (a new form's first save, a copy). */
let flash: string | null = null;

function decode(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

export default function FormBuilder({ param }: { param: string }) {
  const id = decode(param);
  if (id === "new") return <Builder key="new" loaded={null} />;
  return <ExistingForm id={id} />;
}

function BackLink() {
  const { slug } = useShell();
  return (
    <p>
      <a href={appPath(slug, "forms")}>Back to intake forms</a>
    </p>
  );
}

function ExistingForm({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => getForm(id), [id]);
  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Form not found" : "Intake form";
    return (
      <>
        <BackLink />
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no form at this address.</p> : <Alert error={error} />}
      </>
    );
  }
  if (data.form.standard) return <StandardForm version={data} />;
  return <Builder key={`${data.form.id}`} loaded={data} onReload={reload} />;
}

// --- standard forms: read-only ---

function StandardForm({ version }: { version: FormVersion }) {
  const { slug } = useShell();
  const { busy, error, run } = useAction();
  const { form, definition } = version;

  async function copy() {
    await run(async () => {
      const created = await copyForm(form.id);
      flash = `Copied ${form.title}. This copy, “${created.title}”, is yours to edit.`;
      navigate(formPath(slug, created.id));
    });
  }

  return (
    <>
      <BackLink />
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      <p>
        <span class="badge">Standard</span> {form.status === "active" ? "Active" : "Retired"}
      </p>
      <p>Standard forms can't be edited. Copy this one to make your own version of it.</p>
      <Alert error={error} />
      <div class="actions">
        <button type="button" class="button" aria-disabled={busy} onClick={copy}>
          Copy to edit
        </button>
      </div>
      <section class="card" aria-labelledby="standard-preview-heading">
        <h2 id="standard-preview-heading">The form as clients see it</h2>
        <FormPreview version={version} />
      </section>
    </>
  );
}

// --- the builder ---

interface DraftField {
  /** Stable identity while editing (ids may change). */
  key: number;
  id: string;
  /** Typed by hand: no longer derived from the question text. */
  idEdited: boolean;
  type: FieldType;
  label: string;
  required: boolean;
  help: string;
  options: string;
  /** Key of the earlier field this one depends on, or null. */
  showIf: number | null;
  showIfValue: string;
}

let nextKey = 1;

/** "Date of birth?" → "date_of_birth" (a valid, unused field id). */
function deriveId(label: string, taken: Set<string>): string {
  let base = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!base) base = "question";
  if (!/^[a-z]/.test(base)) base = `q_${base}`;
  base = base.slice(0, 40).replace(/_+$/, "");
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, 40 - `_${n}`.length)}_${n}`;
  return candidate;
}

function newField(fields: DraftField[]): DraftField {
  const taken = new Set(fields.map((field) => field.id));
  return {
    key: nextKey++,
    id: deriveId("", taken),
    idEdited: false,
    type: "short_text",
    label: "",
    required: false,
    help: "",
    options: "",
    showIf: null,
    showIfValue: "",
  };
}

function draftOf(definition: FormDefinition): DraftField[] {
  const fields = definition.fields.map((field): DraftField => ({
    key: nextKey++,
    id: field.id,
    idEdited: true,
    type: field.type,
    label: field.label,
    required: !!field.required,
    help: field.help ?? "",
    options: (field.options ?? []).join("\n"),
    showIf: null,
    showIfValue:
      field.show_if === undefined
        ? ""
        : typeof field.show_if.equals === "boolean"
          ? field.show_if.equals
            ? "yes"
            : "no"
          : String(field.show_if.equals),
  }));
  definition.fields.forEach((field, index) => {
    const target = field.show_if && fields.find((candidate) => candidate.id === field.show_if?.field);
    if (target) fields[index].showIf = target.key;
  });
  return fields;
}

const optionsOf = (field: DraftField) =>
  field.options
    .split("\n")
    .map((option) => option.trim())
    .filter(Boolean);

function conditionValue(target: DraftField, value: string): string | boolean | number {
  if (target.type === "yes_no") return value === "yes";
  if (target.type === "number" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return value;
}

function definitionOf(title: string, description: string, fields: DraftField[]): FormDefinition {
  return {
    title: title.trim(),
    description: description.trim(),
    fields: fields.map((draft) => {
      const field: FormField = { id: draft.id.trim(), type: draft.type, label: draft.label.trim() };
      if (draft.required && !["heading", "static_text"].includes(draft.type)) field.required = true;
      if (draft.help.trim() && !NO_ANSWER.includes(draft.type)) field.help = draft.help.trim();
      if (CHOICES.includes(draft.type)) field.options = optionsOf(draft);
      const target = fields.find((candidate) => candidate.key === draft.showIf);
      if (target) field.show_if = { field: target.id.trim(), equals: conditionValue(target, draft.showIfValue) };
      return field;
    }),
  };
}

/** Earlier fields a field may depend on: questions (a multiple-choice answer is a list, which never equals one value). */
function conditionTargets(fields: DraftField[], index: number, current: number | null): DraftField[] {
  return fields
    .slice(0, index)
    .filter((field) => field.key === current || (!NO_ANSWER.includes(field.type) && field.type !== "multiple_choice"));
}

type Errors = Record<string, string>;

/** The server's rules, checked before sending; keys are "title", "description", "{key}" and "{key}.{part}". */
function check(title: string, description: string, fields: DraftField[]): Errors {
  const errors: Errors = {};
  if (!title.trim()) errors.title = "Give the form a title.";
  else if (title.trim().length > 120) errors.title = "Use at most 120 characters.";
  if (description.trim().length > 1000) errors.description = "Use at most 1,000 characters.";
  const seen = new Map<string, number>();
  let signatures = 0;
  fields.forEach((field, index) => {
    const id = field.id.trim();
    if (!ID_PATTERN.test(id)) {
      errors[`${field.key}.id`] = "Start with a lowercase letter; use lowercase letters, digits and _ (at most 40).";
    } else if (seen.has(id)) {
      errors[`${field.key}.id`] = `Field ${seen.get(id)} already uses this id.`;
    }
    seen.set(id, index + 1);
    if (!field.label.trim()) errors[`${field.key}.label`] = "Enter the question text.";
    else if (field.label.trim().length > 2000) errors[`${field.key}.label`] = "Use at most 2,000 characters.";
    if (field.help.trim().length > 500) errors[`${field.key}.help`] = "Use at most 500 characters.";
    if (CHOICES.includes(field.type)) {
      const options = optionsOf(field);
      if (options.length < 2 || new Set(options).size !== options.length) {
        errors[`${field.key}.options`] = "Enter at least two different options, one per line.";
      } else if (options.length > 50) {
        errors[`${field.key}.options`] = "Use at most 50 options.";
      } else if (options.some((option) => option.length > 200)) {
        errors[`${field.key}.options`] = "Keep each option under 200 characters.";
      }
    }
    if (field.type === "signature" && ++signatures > 1)
      errors[`${field.key}.type`] = "A form has one signature at most.";
    if (field.showIf !== null) {
      const targetIndex = fields.findIndex((candidate) => candidate.key === field.showIf);
      const target = fields[targetIndex];
      if (!target || targetIndex > index || NO_ANSWER.includes(target.type)) {
        errors[`${field.key}.show_if`] = "Choose a question that comes before this field.";
      } else if (!field.showIfValue.trim()) {
        errors[`${field.key}.show_if_value`] = "Choose or enter the answer that shows this field.";
      } else if (target.type === "number" && !Number.isFinite(Number(field.showIfValue))) {
        errors[`${field.key}.show_if_value`] = "Enter a number.";
      }
    }
  });
  if (fields.length === 0) errors.fields = "Add at least one field.";
  return errors;
}

const SUB_PARTS: Record<string, string> = {
  id: "id",
  type: "type",
  label: "label",
  help: "help",
  options: "options",
  required: "type",
  show_if: "show_if",
};

/** Which control a field-level message is about. */
function partOf(message: string): string {
  if (/show_if/.test(message)) return "show_if";
  if (/option/.test(message)) return "options";
  if (/required|signature/.test(message)) return "type";
  return "field";
}

/** Server errors ("fields.3.options", "title") onto this screen's keys; what can't be placed stays in the alert. */
function placeServerErrors(error: ApiError, fields: DraftField[]): { errors: Errors; placed: string[] } {
  const errors: Errors = {};
  const placed: string[] = [];
  for (const item of error.errors) {
    const path = item.field.replace(/^(body\.)?(definition\.)?/, "");
    const match = /^fields\.(\d+)(?:\.([a-z_]+))?/.exec(path);
    let key: string | null = null;
    if (path === "title" || path === "description") key = path;
    else if (match && fields[Number(match[1])]) {
      const field = fields[Number(match[1])];
      key = `${field.key}.${match[2] ? (SUB_PARTS[match[2]] ?? "field") : partOf(item.message)}`;
    } else {
      // Checks across fields name the field in the message: "field member_id: show_if must name an earlier question".
      const named =
        /^field ([a-z][a-z0-9_]*):/.exec(item.message) ??
        /field ids must be unique: ([a-z][a-z0-9_]*)/.exec(item.message);
      const matching = named ? fields.filter((field) => field.id.trim() === named[1]) : [];
      const field = matching[matching.length - 1];
      if (field) key = `${field.key}.${/unique/.test(item.message) ? "id" : partOf(item.message)}`;
    }
    if (key && !errors[key]) {
      errors[key] = item.message;
      placed.push(item.field);
    }
  }
  return { errors, placed };
}

interface BuilderProps {
  loaded: FormVersion | null;
  onReload?: () => Promise<FormVersion | null>;
}

function Builder({ loaded, onReload }: BuilderProps) {
  const { slug } = useShell();
  const [summary, setSummary] = useState<FormSummary | null>(loaded?.form ?? null);
  const [title, setTitle] = useState(loaded?.definition.title ?? "");
  const [description, setDescription] = useState(loaded?.definition.description ?? "");
  const [fields, setFields] = useState<DraftField[]>(() => (loaded ? draftOf(loaded.definition) : [newField([])]));
  const [errors, setErrors] = useState<Errors>({});
  const [placed, setPlaced] = useState<string[]>([]);
  const [preview, setPreview] = useState(false);
  const [previewAnswers, setPreviewAnswers] = useState<Answers>({});
  const [saved, setSaved] = useState<string | null>(() => {
    const message = flash;
    flash = null;
    return message;
  });
  const [focus, setFocus] = useState<string | null>(null);
  const { busy, error, apiError, setError, run } = useAction();
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!focus) return;
    form.current?.querySelector<HTMLElement>(focus)?.focus();
    setFocus(null);
  }, [focus]);

  function update(key: number, change: Partial<DraftField>) {
    setFields((current) =>
      current.map((field) => {
        if (field.key !== key) return field;
        const next = { ...field, ...change };
        if (change.label !== undefined && !next.idEdited) {
          const taken = new Set(current.filter((other) => other.key !== key).map((other) => other.id));
          next.id = deriveId(change.label, taken);
        }
        return next;
      }),
    );
  }

  function move(index: number, direction: "up" | "down") {
    const to = direction === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= fields.length) return;
    const next = [...fields];
    [next[index], next[to]] = [next[to], next[index]];
    setFields(next);
    const key = fields[index].key;
    const other = direction === "up" ? "down" : "up";
    const reached = direction === "up" ? to === 0 : to === next.length - 1;
    setFocus(`[data-move="${reached ? other : direction}:${key}"]`);
    setSaved(`${fields[index].label.trim() || `Field ${index + 1}`} moved ${direction} to position ${to + 1}.`);
  }

  function remove(index: number) {
    const removed = fields[index];
    const next = fields
      .filter((field) => field.key !== removed.key)
      // Fields shown only for the removed question are shown always now.
      .map((field) => (field.showIf === removed.key ? { ...field, showIf: null, showIfValue: "" } : field));
    setFields(next);
    const neighbour = next[index] ?? next[index - 1];
    setFocus(neighbour ? `[data-field-key="${neighbour.key}"] select` : "[data-add-field]");
    setSaved(`Removed ${removed.label.trim() || `field ${index + 1}`}.`);
  }

  function add() {
    const field = newField(fields);
    setFields([...fields, field]);
    setFocus(`[data-field-key="${field.key}"] select`);
  }

  async function save(event: Event) {
    event.preventDefault();
    setSaved(null);
    setPlaced([]);
    const problems = check(title, description, fields);
    setErrors(problems);
    if (Object.keys(problems).length) {
      setError("Some fields need attention. Fix the marked fields and save again.");
      if (preview) setPreview(false);
      setFocus("[aria-invalid='true']");
      return;
    }
    const definition = definitionOf(title, description, fields);
    const failure = await run(async () => {
      if (!summary) {
        const created = await createForm(definition);
        flash = `Saved as version ${created.current_version}.`;
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
      if (Object.keys(result.errors).length) {
        if (preview) setPreview(false);
        setFocus("[aria-invalid='true']");
      }
    }
  }

  async function loadLatest() {
    const latest = await onReload?.();
    if (!latest) return;
    setSummary(latest.form);
    setTitle(latest.definition.title);
    setDescription(latest.definition.description ?? "");
    setFields(draftOf(latest.definition));
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
          Version {summary.current_version} · {summary.status === "active" ? "Active" : "Retired"}. Saving makes a new
          version; forms already sent keep theirs.
        </p>
      )}
      <form ref={form} onSubmit={save} noValidate aria-label={heading}>
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
        <div class="card">
          <TextField
            label="Form title"
            value={title}
            onValue={setTitle}
            autoComplete="off"
            required
            error={errors.title}
          />
          <TextAreaField
            label="Description"
            value={description}
            onValue={setDescription}
            rows={3}
            maxLength={1000}
            hint="Optional. Shown to clients above the questions."
            error={errors.description}
          />
        </div>
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
          <section class="card form-preview" aria-labelledby="builder-preview-heading">
            <h2 id="builder-preview-heading">Preview</h2>
            <p class="hint">Try the form as a client would. Answers given here are not saved.</p>
            <h3>{title || "Untitled form"}</h3>
            {description && <p>{description}</p>}
            <FormRenderer
              definition={definitionOf(title, description, fields)}
              answers={previewAnswers}
              onAnswer={(id, value) => setPreviewAnswers((current) => withAnswer(current, id, value))}
            />
          </section>
        ) : (
          <section aria-labelledby="fields-heading">
            <h2 id="fields-heading">Fields</h2>
            {errors.fields && <p class="field-error">{errors.fields}</p>}
            <ol class="field-editors">
              {fields.map((field, index) => (
                <FieldEditor
                  key={field.key}
                  field={field}
                  index={index}
                  count={fields.length}
                  targets={conditionTargets(fields, index, field.showIf)}
                  errors={errors}
                  onChange={(change) => update(field.key, change)}
                  onMove={(direction) => move(index, direction)}
                  onRemove={() => remove(index)}
                />
              ))}
            </ol>
            <div class="actions">
              <button type="button" class="button button-secondary" data-add-field onClick={add}>
                Add field
              </button>
            </div>
          </section>
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

function withAnswer(answers: Answers, id: string, value: AnswerValue | undefined): Answers {
  const next = { ...answers };
  if (value === undefined) delete next[id];
  else next[id] = value;
  return next;
}

interface FieldEditorProps {
  field: DraftField;
  index: number;
  count: number;
  targets: DraftField[];
  errors: Errors;
  onChange: (change: Partial<DraftField>) => void;
  onMove: (direction: "up" | "down") => void;
  onRemove: () => void;
}

function FieldEditor({ field, index, count, targets, errors, onChange, onMove, onRemove }: FieldEditorProps) {
  const name = field.label.trim() || `field ${index + 1}`;
  const error = (part: string) => errors[`${field.key}.${part}`];
  const target = targets.find((candidate) => candidate.key === field.showIf);
  const isChoice = CHOICES.includes(field.type);
  const general = error("field") ?? (index === 0 ? error("show_if") : undefined);

  return (
    <li data-field-key={field.key}>
      <fieldset class="field-editor">
        <legend>
          Field {index + 1}
          {field.label.trim() && `: ${truncate(field.label.trim())}`}
        </legend>
        {general && <p class="field-error">{general}</p>}
        <SelectField
          label="Question type"
          value={field.type}
          onValue={(value) => onChange({ type: value as FieldType })}
          error={error("type")}
        >
          {TYPES.map((type) => (
            <option key={type} value={type}>
              {FIELD_TYPE_NAMES[type]}
            </option>
          ))}
        </SelectField>
        {field.type === "static_text" ? (
          <TextAreaField
            label="Question text"
            value={field.label}
            onValue={(label) => onChange({ label })}
            rows={4}
            maxLength={2000}
            hint="The text clients read. Leave an empty line between paragraphs."
            required
            error={error("label")}
          />
        ) : (
          <TextField
            label="Question text"
            value={field.label}
            onValue={(label) => onChange({ label })}
            autoComplete="off"
            required
            error={error("label")}
          />
        )}
        <TextField
          label="Field id"
          value={field.id}
          onValue={(id) => onChange({ id, idEdited: id !== "" })}
          autoComplete="off"
          spellcheck={false}
          hint="Made from the question text. Lowercase letters, digits and _ , starting with a letter."
          error={error("id")}
        />
        {field.type !== "heading" && field.type !== "static_text" && (
          <CheckboxField label="Required" checked={field.required} onChecked={(required) => onChange({ required })} />
        )}
        {isChoice && (
          <TextAreaField
            label="Options (one per line)"
            value={field.options}
            onValue={(options) => onChange({ options })}
            rows={4}
            error={error("options")}
          />
        )}
        {!NO_ANSWER.includes(field.type) && (
          <TextField
            label="Help text"
            value={field.help}
            onValue={(help) => onChange({ help })}
            autoComplete="off"
            hint="Optional. Shown under the question."
            error={error("help")}
          />
        )}
        {index > 0 && (
          <div class="condition">
            <SelectField
              label="Show only when"
              value={field.showIf === null ? "" : String(field.showIf)}
              onValue={(value) => onChange({ showIf: value ? Number(value) : null, showIfValue: "" })}
              error={error("show_if")}
            >
              <option value="">Always show this field</option>
              {targets.map((candidate) => (
                <option key={candidate.key} value={String(candidate.key)}>
                  {truncate(candidate.label.trim() || candidate.id)}
                </option>
              ))}
            </SelectField>
            {target && (
              <ConditionValue
                target={target}
                value={field.showIfValue}
                onValue={(showIfValue) => onChange({ showIfValue })}
                error={error("show_if_value")}
              />
            )}
          </div>
        )}
        <div class="row-actions">
          {index > 0 && (
            <button
              type="button"
              class="button-small button-secondary"
              data-move={`up:${field.key}`}
              aria-label={`Move field up ${name}`}
              onClick={() => onMove("up")}
            >
              Move field up
            </button>
          )}
          {index < count - 1 && (
            <button
              type="button"
              class="button-small button-secondary"
              data-move={`down:${field.key}`}
              aria-label={`Move field down ${name}`}
              onClick={() => onMove("down")}
            >
              Move field down
            </button>
          )}
          <button
            type="button"
            class="button-small button-danger"
            aria-label={`Remove field ${name}`}
            onClick={onRemove}
          >
            Remove field
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function truncate(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function ConditionValue({
  target,
  value,
  onValue,
  error,
}: {
  target: DraftField;
  value: string;
  onValue: (value: string) => void;
  error?: string;
}) {
  const label = "Answer that shows this field";
  if (target.type === "yes_no" || target.type === "single_choice") {
    const options =
      target.type === "yes_no"
        ? [
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]
        : optionsOf(target).map((option) => ({ value: option, label: option }));
    return (
      <SelectField label={label} value={value} onValue={onValue} error={error}>
        <option value="">Choose an answer</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {value && !options.some((option) => option.value === value) && <option value={value}>{value}</option>}
      </SelectField>
    );
  }
  return <TextField label={label} value={value} onValue={onValue} autoComplete="off" error={error} />;
}
