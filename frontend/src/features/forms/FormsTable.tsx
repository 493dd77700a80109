import type { FormSummary } from "../../api/forms";
import { navigate } from "../../router";
import { useShell } from "../../shell/context";
import { formPath } from "./formPreview";

export type Move = "up" | "down";

const STATUS_NAMES: Record<FormSummary["status"], string> = { active: "Active", draft: "Draft", retired: "Retired" };
const ACTIVATE_NAMES: Record<FormSummary["status"], string> = { active: "Retire", draft: "Make active", retired: "Restore" };

interface FormsTableProps {
  forms: FormSummary[];
  busy: boolean;
  onMove: (form: FormSummary, direction: Move) => void;
  onCopy: (form: FormSummary) => void;
  onPreview: (form: FormSummary) => void;
  onSetStatus: (form: FormSummary, retire: boolean) => void;
}

/** The practice's forms in order, each with its actions (move, edit, copy, preview, retire or restore). */
export function FormsTable({ forms, busy, onMove, onCopy, onPreview, onSetStatus }: FormsTableProps) {
  const { slug } = useShell();
  return (
    <div class="table-scroll" role="region" aria-labelledby="forms-caption" tabIndex={0}>
      <table class="stack">
        <caption id="forms-caption">Your practice's forms, in order</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {forms.map((form, index) => (
            <tr key={form.id}>
              <th scope="row">
                <a href={formPath(slug, form.id)}>{form.title}</a>
                {form.standard && <span class="badge">Standard</span>}
              </th>
              <td data-label="Version">{form.current_version}</td>
              <td data-label="Status">{STATUS_NAMES[form.status]}</td>
              <td class="cell-actions">
                <div class="row-actions">
                  {index > 0 && (
                    <button
                      type="button"
                      class="button-small button-secondary"
                      data-move={`up:${form.id}`}
                      aria-label={`Move up ${form.title}`}
                      aria-disabled={busy}
                      onClick={() => onMove(form, "up")}
                    >
                      Move up
                    </button>
                  )}
                  {index < forms.length - 1 && (
                    <button
                      type="button"
                      class="button-small button-secondary"
                      data-move={`down:${form.id}`}
                      aria-label={`Move down ${form.title}`}
                      aria-disabled={busy}
                      onClick={() => onMove(form, "down")}
                    >
                      Move down
                    </button>
                  )}
                  {!form.standard && (
                    <button
                      type="button"
                      class="button-small button-secondary"
                      aria-label={`Edit ${form.title}`}
                      onClick={() => navigate(formPath(slug, form.id))}
                    >
                      Edit
                    </button>
                  )}
                  <button
                    type="button"
                    class="button-small button-secondary"
                    aria-label={`Copy ${form.title}`}
                    aria-disabled={busy}
                    onClick={() => onCopy(form)}
                  >
                    Copy
                  </button>
                  <button
                    type="button"
                    class="button-small button-secondary"
                    aria-label={`Preview ${form.title}`}
                    onClick={() => onPreview(form)}
                  >
                    Preview
                  </button>
                  <button
                    type="button"
                    class={form.status === "active" ? "button-small button-danger" : "button-small"}
                    aria-label={`${ACTIVATE_NAMES[form.status]} ${form.title}`}
                    aria-disabled={busy}
                    onClick={() => onSetStatus(form, form.status === "active")}
                  >
                    {ACTIVATE_NAMES[form.status]}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
