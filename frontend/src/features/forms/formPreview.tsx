// What the forms list and the builder share: a form's address and its read-only preview.
import type { FormVersion } from "../../api/forms";
import { appPath } from "../../shell/context";
import { FormRenderer } from "./renderer/FormRenderer";

export function formPath(slug: string, id: string): string {
  return appPath(slug, `forms/${encodeURIComponent(id)}`);
}

/** A form version shown read-only through the shared renderer. */
export function FormPreview({ version }: { version: FormVersion }) {
  const { definition } = version;
  return (
    <div class="form-preview">
      <p class="hint">Version {version.number}</p>
      {definition.description && <p>{definition.description}</p>}
      <FormRenderer definition={definition} answers={{}} />
    </div>
  );
}
