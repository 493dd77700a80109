// Administrators' list of the practice's intake forms: order, copy, retire/restore, preview; the builder edits.
import { useEffect, useState } from "preact/hooks";
import { copyForm, type FormSummary, listForms, reorderForms, restoreForm, retireForm } from "../../api/forms";
import { navigate } from "../../router";
import { appPath, useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { FormsTable } from "./FormsTable";
import { PreviewDialog } from "./PreviewDialog";

import type { Move } from "./FormsTable";

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
      return `Copied ${form.title} as “${created.title}”, a draft: edit it to make it your own, then make it active to send it.`;
    });

  const setStatus = (form: FormSummary, retire: boolean) =>
    perform(async () => {
      const updated = await (retire ? retireForm(form.id) : restoreForm(form.id));
      replace(updated);
      return retire
        ? `${form.title} was retired. It is no longer offered when sending forms; forms already sent stay as they are.`
        : form.status === "draft"
          ? `${form.title} is active and can be sent.`
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
          <FormsTable
            forms={items}
            busy={action.busy}
            onMove={move}
            onCopy={copy}
            onPreview={setPreview}
            onSetStatus={setStatus}
          />
        )
      )}
      {preview && <PreviewDialog form={preview} onClose={() => setPreview(null)} />}
    </>
  );
}
