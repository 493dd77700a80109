import type { FieldType } from "../../../api/formDefinition";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../../ui/forms";
import type { Errors } from "./check";
import { ConditionEditor } from "./ConditionEditor";
import { CHOICES, type DraftField, FIELD_TYPE_NAMES, NO_ANSWER, PREFILLS, TYPES, truncate } from "./draft";
import { FieldActions } from "./FieldActions";

interface FieldEditorProps {
  field: DraftField;
  /** "Show technical details": the field's id (always shown while it has a problem). */
  technical: boolean;
  index: number;
  count: number;
  targets: DraftField[];
  errors: Errors;
  onChange: (change: Partial<DraftField>) => void;
  onMove: (direction: "up" | "down") => void;
  onRemove: () => void;
}

/** One field of the form: its type, question text, id, whether it is required, options, help and condition. */
export function FieldEditor(props: FieldEditorProps) {
  const { field, index, count, targets, errors, technical, onChange, onMove, onRemove } = props;
  const error = (part: string) => errors[`${field.key}.${part}`];
  const isChoice = CHOICES.includes(field.type);
  const prefills = PREFILLS.filter((option) => option.types.includes(field.type));
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
        {(technical || error("id")) && (
          <TextField
            label="Field id"
            value={field.id}
            onValue={(id) => onChange({ id, idEdited: id !== "" })}
            autoComplete="off"
            spellcheck={false}
            hint="Made from the question text. Lowercase letters, digits and _ , starting with a letter."
            error={error("id")}
          />
        )}
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
        {prefills.length > 0 && (
          <SelectField
            label="Fill in for the client"
            value={prefills.some((option) => option.value === field.prefill) ? field.prefill : ""}
            onValue={(value) => onChange({ prefill: value as DraftField["prefill"] })}
          >
            <option value="">Nothing: the client types it</option>
            {prefills.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label} (they confirm it)
              </option>
            ))}
          </SelectField>
        )}
        {index > 0 && <ConditionEditor field={field} targets={targets} errors={errors} onChange={onChange} />}
        <FieldActions field={field} index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </fieldset>
    </li>
  );
}
