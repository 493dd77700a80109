// The one renderer of intake forms: the builder's preview, the forms list's preview and the client's filling
// screen all show a form definition through it. The rules mirror the server's (form_definitions.py): which
// fields are shown (show_if), what a valid answer is, what "complete" means. The server still decides.
import { useId } from "preact/hooks";
import type { Answers, AnswerValue, FormDefinition, FormField } from "../../../api/formDefinition";

const NO_ANSWER = new Set(["heading", "static_text", "signature"]);
const TEXT_LIMITS: Partial<Record<FormField["type"], number>> = {
  short_text: 500,
  long_text: 5000,
  address: 500,
  email: 254,
  phone: 40,
};
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
const PHONE = /^[0-9+().\- ]{5,40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const NEEDS_ANSWER = "This question needs an answer.";

export function isQuestion(field: FormField): boolean {
  return !NO_ANSWER.has(field.type);
}

export function isEmpty(value: AnswerValue | undefined): boolean {
  return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Fields shown for these answers: one with show_if appears when its (shown) target has that answer (for a
 * multiple-choice target: when that option is among the chosen ones), as the server decides. */
export function visibleFields(definition: FormDefinition, answers: Answers): FormField[] {
  const shown = new Set<string>();
  return definition.fields.filter((field) => {
    const condition = field.show_if;
    const visible = !condition || (shown.has(condition.field) && matches(answers[condition.field], condition.equals));
    if (visible) shown.add(field.id);
    return visible;
  });
}

function matches(answer: AnswerValue | undefined, expected: string | boolean | number): boolean {
  return Array.isArray(answer) ? answer.some((option) => option === expected) : answer === expected;
}

/** What is wrong with one (non-empty) answer, in the server's words; null when it is fine. */
export function answerProblem(field: FormField, value: AnswerValue): string | null {
  const limit = TEXT_LIMITS[field.type];
  if (limit !== undefined) {
    if (typeof value !== "string") return "Enter text.";
    if (value.length > limit) return `Use at most ${limit} characters.`;
  }
  switch (field.type) {
    case "email":
      return EMAIL.test((value as string).trim()) ? null : "Enter a valid email address.";
    case "phone":
      return PHONE.test((value as string).trim()) ? null : "Use digits, spaces and + ( ) - only.";
    case "number":
      return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= 1e12 ? null : "Enter a number.";
    case "date":
      return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : "Enter a date as YYYY-MM-DD.";
    case "yes_no":
      return typeof value === "boolean" ? null : "Answer yes or no.";
    case "single_choice":
      return typeof value === "string" && (field.options ?? []).includes(value) ? null : "Choose one of the options.";
    case "multiple_choice":
      return Array.isArray(value) && value.every((item) => (field.options ?? []).includes(item))
        ? null
        : "Choose among the options.";
    default:
      return null;
  }
}

/** Problems of the shown questions: formats always, unanswered required questions when `complete`. */
export function checkAnswers(definition: FormDefinition, answers: Answers, complete: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of visibleFields(definition, answers)) {
    if (!isQuestion(field)) continue;
    const value = answers[field.id];
    if (isEmpty(value)) {
      if (complete && field.required) problems[field.id] = NEEDS_ANSWER;
      continue;
    }
    const problem = answerProblem(field, value);
    if (problem) problems[field.id] = problem;
  }
  return problems;
}

/** What is sent: answers to the shown questions only (a hidden question is neither required nor kept). */
export function answersToSend(definition: FormDefinition, answers: Answers, skip: Set<string> = new Set()): Answers {
  const sent: Answers = {};
  for (const field of visibleFields(definition, answers)) {
    const value = answers[field.id];
    if (isQuestion(field) && !isEmpty(value) && !skip.has(field.id)) sent[field.id] = value;
  }
  return sent;
}

/** The id of the control that takes focus for a question (its first option for choices). */
export function controlId(prefix: string, fieldId: string): string {
  return `${prefix}-${fieldId}`;
}

export function formatAnswer(value: AnswerValue | undefined): string {
  if (isEmpty(value) || value === undefined) return "No answer";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

interface FormRendererProps {
  definition: FormDefinition;
  answers: Answers;
  /** Without it the form is shown read-only. */
  onAnswer?: (fieldId: string, value: AnswerValue | undefined) => void;
  /** A question left (blurred): the filling screen checks its format then. */
  onLeave?: (fieldId: string) => void;
  errors?: Record<string, string>;
  /** Prefix of the controls' ids; unique per page. */
  idPrefix?: string;
  /** Shown in place of signature fields. */
  signatureNote?: string;
}

export function FormRenderer(props: FormRendererProps) {
  const generated = useId();
  const prefix = props.idPrefix ?? `form${generated}`;
  const { definition, answers } = props;
  return (
    <div class="rendered-form">
      {visibleFields(definition, answers).map((field) => (
        <Question key={field.id} field={field} prefix={prefix} {...props} />
      ))}
    </div>
  );
}

interface QuestionProps extends FormRendererProps {
  field: FormField;
  prefix: string;
}

function Question({ field, prefix, answers, onAnswer, onLeave, errors, signatureNote }: QuestionProps) {
  const id = controlId(prefix, field.id);
  const value = answers[field.id];
  const error = errors?.[field.id];
  const readOnly = !onAnswer;
  const set = (next: AnswerValue | undefined) => onAnswer?.(field.id, next);
  const leave = () => onLeave?.(field.id);

  switch (field.type) {
    case "heading":
      return <h3 class="form-heading">{field.label}</h3>;
    case "static_text":
      return (
        <div class="static-text">
          {field.label.split(/\n\s*\n/).map((paragraph, index) => (
            <p key={index}>{paragraph}</p>
          ))}
        </div>
      );
    case "signature":
      return (
        <p class="signature-note">
          <strong>{field.label}</strong>: {signatureNote ?? "signed in the last step by typing a full name."}
        </p>
      );
    case "single_choice":
    case "yes_no":
    case "multiple_choice":
      return (
        <ChoiceQuestion
          field={field}
          id={id}
          value={value}
          error={error}
          readOnly={readOnly}
          onValue={set}
          onLeave={leave}
        />
      );
  }

  const hintId = field.help ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const common = {
    id,
    readOnly,
    "aria-required": field.required ? ("true" as const) : undefined,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
    maxLength: TEXT_LIMITS[field.type],
    onBlur: leave,
  };
  const text = typeof value === "string" ? value : "";
  const onText = (event: { currentTarget: { value: string } }) => set(event.currentTarget.value);

  let control;
  if (field.type === "long_text" || field.type === "address") {
    control = (
      <textarea
        {...common}
        rows={field.type === "address" ? 3 : 5}
        value={text}
        onInput={onText}
        autoComplete={field.type === "address" ? "street-address" : undefined}
      />
    );
  } else if (field.type === "number") {
    control = (
      <input
        {...common}
        type="number"
        inputMode="decimal"
        step="any"
        // Uncontrolled: a half-typed number ("1.") must not be rewritten while typing.
        defaultValue={typeof value === "number" && Number.isFinite(value) ? String(value) : ""}
        onInput={(event) => {
          const input = event.currentTarget;
          if (input.validity.badInput) return set(Number.NaN);
          set(input.value === "" ? undefined : Number(input.value));
        }}
      />
    );
  } else {
    const type =
      field.type === "date" ? "date" : field.type === "email" ? "email" : field.type === "phone" ? "tel" : "text";
    control = (
      <input
        {...common}
        type={type as "text"}
        value={text}
        onInput={onText}
        inputMode={field.type === "phone" ? "tel" : field.type === "email" ? "email" : undefined}
      />
    );
  }

  return (
    <div class={error ? "field question field-invalid" : "field question"}>
      <div class="question-label">
        <label for={id}>{field.label}</label>
        {field.required && <RequiredTag />}
      </div>
      {field.help && (
        <p id={hintId} class="hint">
          {field.help}
        </p>
      )}
      {control}
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function RequiredTag({ id }: { id?: string }) {
  return (
    <span id={id} class="required-tag">
      Required
    </span>
  );
}

interface ChoiceQuestionProps {
  field: FormField;
  id: string;
  value: AnswerValue | undefined;
  error?: string;
  readOnly: boolean;
  onValue: (value: AnswerValue | undefined) => void;
  onLeave: () => void;
}

function ChoiceQuestion({ field, id, value, error, readOnly, onValue, onLeave }: ChoiceQuestionProps) {
  const multiple = field.type === "multiple_choice";
  const choices: { label: string; value: string | boolean }[] =
    field.type === "yes_no"
      ? [
          { label: "Yes", value: true },
          { label: "No", value: false },
        ]
      : (field.options ?? []).map((option) => ({ label: option, value: option }));
  const selected = Array.isArray(value) ? value : [];
  const hintId = field.help ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const requiredId = field.required && multiple ? `${id}-required` : undefined;

  function toggle(option: string, checked: boolean) {
    const next = field.options?.filter((item) => (item === option ? checked : selected.includes(item))) ?? [];
    onValue(next.length ? next : undefined);
  }

  return (
    <fieldset
      class={error ? "question choices field-invalid" : "question choices"}
      role={multiple ? undefined : "radiogroup"}
      aria-required={!multiple && field.required ? "true" : undefined}
      aria-invalid={!multiple && error ? "true" : undefined}
      aria-describedby={[requiredId, hintId, errorId].filter(Boolean).join(" ") || undefined}
    >
      <legend>{field.label}</legend>
      {field.required && <RequiredTag id={requiredId} />}
      {field.help && (
        <p id={hintId} class="hint">
          {field.help}
        </p>
      )}
      {choices.map((choice, index) => {
        const optionId = index === 0 ? id : `${id}-${index}`;
        const checked = multiple ? selected.includes(choice.value as string) : value === choice.value;
        return (
          <div key={String(choice.value)} class="choice">
            <input
              id={optionId}
              type={multiple ? "checkbox" : "radio"}
              name={id}
              checked={checked}
              disabled={readOnly}
              onChange={(event) =>
                multiple ? toggle(choice.value as string, event.currentTarget.checked) : onValue(choice.value)
              }
              onBlur={onLeave}
            />
            <label for={optionId}>{choice.label}</label>
          </div>
        );
      })}
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
