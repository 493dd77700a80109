import type { AnswerValue, FormField } from "../../../api/formDefinition";
import { RequiredTag } from "./RequiredTag";

interface ChoiceQuestionProps {
  field: FormField;
  id: string;
  value: AnswerValue | undefined;
  error?: string;
  readOnly: boolean;
  onValue: (value: AnswerValue | undefined) => void;
  onLeave: () => void;
}

export function ChoiceQuestion({ field, id, value, error, readOnly, onValue, onLeave }: ChoiceQuestionProps) {
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
