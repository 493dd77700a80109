// Choosing intake forms to send (the invitation dialog and "Send forms"): the practice's active forms, in order.
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import { type FormSummary, listForms } from "../../api/forms";
import { CheckboxField } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";

/** The practice's active forms, in its order, for choosing what to send. */
export function useActiveForms(enabled = true) {
  const forms = useLoad(
    () => (enabled ? listForms().then((list) => list.items.filter((form) => form.status === "active")) : none()),
    [enabled],
  );
  return forms;
}

const none = () => Promise.resolve([] as FormSummary[]);

interface FormChoicesProps {
  legend: string;
  forms: FormSummary[] | null;
  failed: boolean;
  selected: string[];
  onSelected: (ids: string[]) => void;
  error?: string;
  hint?: ComponentChildren;
}

/** One checkbox per form, labelled by the form's title. */
export function FormChoices({ legend, forms, failed, selected, onSelected, error, hint }: FormChoicesProps) {
  const id = useId();
  const toggle = (formId: string, checked: boolean) =>
    onSelected(checked ? [...selected, formId] : selected.filter((item) => item !== formId));
  return (
    <fieldset
      class={error ? "field-invalid" : undefined}
      aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {failed ? (
        <p class="warning">The practice's forms couldn't be loaded.</p>
      ) : forms === null ? (
        <Loading />
      ) : forms.length === 0 ? (
        <p class="hint">
          There are no active intake forms. An administrator can add or restore them under Intake forms.
        </p>
      ) : (
        forms.map((form) => (
          <CheckboxField
            key={form.id}
            label={form.title}
            checked={selected.includes(form.id)}
            onChecked={(checked) => toggle(form.id, checked)}
          />
        ))
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
