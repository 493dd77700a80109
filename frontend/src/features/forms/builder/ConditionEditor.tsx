// "Show only when": the earlier question a field depends on, and the answer that shows it.
import { SelectField, TextField } from "../../../ui/forms";
import type { Errors } from "./check";
import { type DraftField, optionsOf, truncate } from "./draft";

interface ConditionEditorProps {
  field: DraftField;
  targets: DraftField[];
  errors: Errors;
  onChange: (change: Partial<DraftField>) => void;
}

export function ConditionEditor({ field, targets, errors, onChange }: ConditionEditorProps) {
  const target = targets.find((candidate) => candidate.key === field.showIf);
  return (
    <div class="condition">
      <SelectField
        label="Show only when"
        value={field.showIf === null ? "" : String(field.showIf)}
        onValue={(value) => onChange({ showIf: value ? Number(value) : null, showIfValue: "" })}
        error={errors[`${field.key}.show_if`]}
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
          error={errors[`${field.key}.show_if_value`]}
        />
      )}
    </div>
  );
}

interface ConditionValueProps {
  target: DraftField;
  value: string;
  onValue: (value: string) => void;
  error?: string;
}

/** A choice among the target's answers (yes/no, single choice), or a typed value. */
function ConditionValue({ target, value, onValue, error }: ConditionValueProps) {
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
