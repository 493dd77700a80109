// Administrators' list of the practice's intake forms: order, copy, retire/restore, preview; the builder edits.
import { useEffect, useState } from "preact/hooks";
import { copyForm, type FormSummary, getForm, listForms, reorderForms, restoreForm, retireForm } from "../../api/forms";
import { navigate } from "../../router";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { useLoad } from "../../ui/useLoad";
import { appPath, useShell } from "../../shell/context";
import { FormPreview, formPath } from "./formPreview";

type Move = "up" | "down";

export default function FormsScreen() {
  const { slug } = useShell();
  const forms = useLoad(() => listForms(), []);
  const [done, setDone] = useState<string | null>(null);
  const [preview, setPreview] = useState<FormSummary | null>(null);
  // After a move the row's buttons are rendered anew: focus goes back to the one used (or its sibling).
  const [refocus, setRefocus] = useState<{ id: string; move: Move } | null>(null);
  const action = useAction();
  const items = forms.data?.items ?? [];

  useEffect(() => {
    if (!refocus) return;
    const { id, move } = refocus;
    const other: Move = move === "up" ? "down" : "up";
    const button =
      document.querySelector<HTMLButtonElement>(`[data-move="${move}:${id}"]`) ??
      document.querySelector<HTMLButtonElement>(`[data-move="${other}:${id}"]`);
    button?.focus();
    setRefocus(null);
  }, [refocus]);

  async function perform(request: () => Promise<string>) {
    setDone(null);
    await action.run(async () => setDone(await request()));
  }

  function replace(updated: FormSummary) {
    forms.setData((previous) => ({
      items: (previous?.items ?? []).map((item) => (item.id === updated.id ? updated : item)),
    }));
  }

  const move = (form: FormSummary, direction: Move) =>
    perform(async () => {
      const ids = items.map((item) => item.id);
      const from = ids.indexOf(form.id);
      const to = direction === "up" ? from - 1 : from + 1;
      if (from < 0 || to < 0 || to >= ids.length)
        return `${form.title} is already ${direction === "up" ? "first" : "last"}.`;
      [ids[from], ids[to]] = [ids[to], ids[from]];
      forms.setData(await reorderForms(ids));
      setRefocus({ id: form.id, move: direction });
      return `${form.title} moved ${direction} to position ${to + 1} of ${ids.length}.`;
    });

  const copy = (form: FormSummary) =>
    perform(async () => {
      const created = await copyForm(form.id);
      await forms.reload();
      return `Copied ${form.title} as “${created.title}”. Edit the copy to make it your own.`;
    });

  const setStatus = (form: FormSummary, retire: boolean) =>
    perform(async () => {
      const updated = await (retire ? retireForm(form.id) : restoreForm(form.id));
      replace(updated);
      return retire
        ? `${form.title} was retired. It is no longer offered when sending forms; forms already sent stay as they are.`
        : `${form.title} was restored and can be sent again.`;
    });

  return (
    <>
      <PageHeading title="Intake forms">Intake forms</PageHeading>
      <p>
        Clients see and fill in these forms in this order. Standard forms can't be changed; copy one to make your own
        version. Editing a form saves a new version; forms already sent keep the version they were sent with.
      </p>
      <Status message={done} />
      <Alert error={action.error ?? forms.error} />
      <div class="actions">
        <button type="button" class="button" onClick={() => navigate(appPath(slug, "forms/new"))}>
          New form
        </button>
      </div>
      {!forms.data && !forms.error ? (
        <Loading />
      ) : (
        forms.data && (
          <div class="table-scroll" role="region" aria-labelledby="forms-caption" tabIndex={0}>
            <table>
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
                {items.map((form, index) => (
                  <tr key={form.id}>
                    <th scope="row">
                      <a href={formPath(slug, form.id)}>{form.title}</a>
                      {form.standard && <span class="badge">Standard</span>}
                    </th>
                    <td>{form.current_version}</td>
                    <td>{form.status === "active" ? "Active" : "Retired"}</td>
                    <td>
                      <div class="row-actions">
                        {index > 0 && (
                          <button
                            type="button"
                            class="button-small button-secondary"
                            data-move={`up:${form.id}`}
                            aria-label={`Move up ${form.title}`}
                            aria-disabled={action.busy}
                            onClick={() => move(form, "up")}
                          >
                            Move up
                          </button>
                        )}
                        {index < items.length - 1 && (
                          <button
                            type="button"
                            class="button-small button-secondary"
                            data-move={`down:${form.id}`}
                            aria-label={`Move down ${form.title}`}
                            aria-disabled={action.busy}
                            onClick={() => move(form, "down")}
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
                          aria-disabled={action.busy}
                          onClick={() => copy(form)}
                        >
                          Copy
                        </button>
                        <button
                          type="button"
                          class="button-small button-secondary"
                          aria-label={`Preview ${form.title}`}
                          onClick={() => setPreview(form)}
                        >
                          Preview
                        </button>
                        <button
                          type="button"
                          class={form.status === "active" ? "button-small button-danger" : "button-small"}
                          aria-label={`${form.status === "active" ? "Retire" : "Restore"} ${form.title}`}
                          aria-disabled={action.busy}
                          onClick={() => setStatus(form, form.status === "active")}
                        >
                          {form.status === "active" ? "Retire" : "Restore"}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {preview && <PreviewDialog form={preview} onClose={() => setPreview(null)} />}
    </>
  );
}

function PreviewDialog({ form, onClose }: { form: FormSummary; onClose: () => void }) {
  const loaded = useLoad(() => getForm(form.id), [form.id]);
  return (
    <Modal labelledBy="preview-heading" onCancel={onClose} wide>
      <h2 id="preview-heading">Preview of {form.title}</h2>
      <p class="hint">This is how clients see the form. Nothing can be filled in here.</p>
      <Alert error={loaded.error} />
      {loaded.data ? <FormPreview version={loaded.data} /> : !loaded.error && <Loading />}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
