import { type FormSummary, getForm } from "../../api/forms";
import { Alert } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { useLoad } from "../../ui/useLoad";
import { FormPreview } from "./formPreview";

/** A form's current version, read-only, in a dialog. */
export function PreviewDialog({ form, onClose }: { form: FormSummary; onClose: () => void }) {
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
