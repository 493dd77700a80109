import { useState } from "preact/hooks";
import { CheckboxField } from "../../../ui/forms";
import type { Errors } from "./check";
import { conditionTargets } from "./draft";
import { FieldEditor } from "./FieldEditor";
import type { useDraftFields } from "./useDraftFields";

/** The form's fields in order, each with its editor, and "Add field". */
export function FieldList({ draft, errors }: { draft: ReturnType<typeof useDraftFields>; errors: Errors }) {
  const { fields } = draft;
  const [technical, setTechnical] = useState(false);
  return (
    <section aria-labelledby="fields-heading">
      <h2 id="fields-heading">Fields</h2>
      <CheckboxField
        label="Show technical details"
        description="Each field's id, which names its answer in exports. Ids are made from the question text."
        checked={technical}
        onChecked={setTechnical}
      />
      {errors.fields && <p class="field-error">{errors.fields}</p>}
      <ol class="field-editors">
        {fields.map((field, index) => (
          <FieldEditor
            key={field.key}
            field={field}
            technical={technical}
            index={index}
            count={fields.length}
            targets={conditionTargets(fields, index, field.showIf)}
            errors={errors}
            onChange={(change) => draft.update(field.key, change)}
            onMove={(direction) => draft.move(index, direction)}
            onRemove={() => draft.remove(index)}
          />
        ))}
      </ol>
      <div class="actions">
        <button type="button" class="button button-secondary" data-add-field onClick={draft.add}>
          Add field
        </button>
      </div>
    </section>
  );
}
