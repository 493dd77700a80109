// A standard form opens read-only, with a button to copy it.
import { copyForm, type FormVersion } from "../../../api/forms";
import { navigate } from "../../../router";
import { useShell } from "../../../shell/context";
import { Alert, useAction } from "../../../ui/forms";
import { PageHeading } from "../../../ui/layout";
import { FormPreview, formPath } from "../formPreview";
import { BackLink } from "./BackLink";
import { setFlash } from "./flash";

export function StandardForm({ version }: { version: FormVersion }) {
  const { slug } = useShell();
  const { busy, error, run } = useAction();
  const { form, definition } = version;

  async function copy() {
    await run(async () => {
      const created = await copyForm(form.id);
      setFlash(`Copied ${form.title}. This copy, “${created.title}”, is yours to edit.`);
      navigate(formPath(slug, created.id));
    });
  }

  return (
    <>
      <BackLink />
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      <p>
        <span class="badge">Standard</span> {form.status === "active" ? "Active" : form.status === "draft" ? "Draft" : "Retired"}
      </p>
      <p>Standard forms can't be edited. Copy this one to make your own version of it.</p>
      <Alert error={error} />
      <div class="actions">
        <button type="button" class="button" aria-disabled={busy} onClick={copy}>
          Copy to edit
        </button>
      </div>
      <section class="card" aria-labelledby="standard-preview-heading">
        <h2 id="standard-preview-heading">The form as clients see it</h2>
        <FormPreview version={version} />
      </section>
    </>
  );
}
