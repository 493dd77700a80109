import type { AnswerValue, FormField } from "../../../api/formDefinition";
import { ChoiceQuestion } from "./ChoiceQuestion";
import type { FormRendererProps } from "./FormRenderer";
import { RequiredTag } from "./RequiredTag";
import { TEXT_LIMITS, controlId } from "./rules";

interface QuestionProps extends FormRendererProps {
  field: FormField;
  prefix: string;
}

export function Question({ field, prefix, answers, onAnswer, onLeave, errors, signatureNote, prefilled }: QuestionProps) {
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
  const prefilledId = prefilled?.includes(field.id) && !readOnly ? `${id}-prefilled` : undefined;
  const common = {
    id,
    readOnly,
    "aria-required": field.required ? ("true" as const) : undefined,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": [hintId, prefilledId, errorId].filter(Boolean).join(" ") || undefined,
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
      {prefilledId && (
        <p id={prefilledId} class="prefilled-tag">
          Filled in from your practice's records — check it.
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
