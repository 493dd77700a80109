import { useState } from "preact/hooks";
import {
  deleteInvitationTemplate,
  type InvitationTemplate,
  listInvitationTemplates,
  updateInvitationTemplate,
} from "../../api/invitationTemplates";
import { Alert, Status, TextAreaField, TextField, errorFor, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { useLoad } from "../../ui/useLoad";
import { MESSAGE_HINT, MESSAGE_MAX_LENGTH } from "./clientValues";

const firstLine = (message: string) => message.trim().split("\n", 1)[0] ?? "";

/** Saved invitation messages: list, edit, delete. New ones are saved from the invitation dialog. */
export function MessageTemplates() {
  const templates = useLoad(() => listInvitationTemplates(), []);
  const [editing, setEditing] = useState<InvitationTemplate | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const items = templates.data?.items ?? [];
  const setItems = (change: (items: InvitationTemplate[]) => InvitationTemplate[]) =>
    templates.setData((previous) => previous && { items: change(previous.items) });

  async function remove(template: InvitationTemplate) {
    setDone(null);
    await action.run(async () => {
      await deleteInvitationTemplate(template.id);
      setItems((list) => list.filter((item) => item.id !== template.id));
      setDone(`Template “${template.name}” deleted.`);
    });
  }

  return (
    <section class="card" aria-labelledby="templates-heading">
      <h2 id="templates-heading">Message templates</h2>
      <p class="hint">
        Messages you can reuse in portal invitations. To add one, write the message when you invite a client and choose
        “Save this message as a template”.
      </p>
      <Status message={done} />
      <Alert error={action.error ?? templates.error} />
      {!templates.data ? (
        !templates.error && <Loading />
      ) : items.length === 0 ? (
        <p>No templates yet.</p>
      ) : (
        <ul class="template-list">
          {items.map((template) => (
            <li key={template.id}>
              <div>
                <strong>{template.name}</strong>
                <p class="hint">{firstLine(template.message) || "(empty message)"}</p>
              </div>
              <div class="row-actions">
                <button
                  type="button"
                  class="button-small button-secondary"
                  aria-label={`Edit template ${template.name}`}
                  onClick={() => {
                    setDone(null);
                    setEditing(template);
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  class="button-small button-danger"
                  aria-label={`Delete template ${template.name}`}
                  onClick={() => remove(template)}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <EditTemplateDialog
          template={editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setItems((list) => list.map((item) => (item.id === saved.id ? saved : item)));
            setEditing(null);
            setDone(`Template “${saved.name}” saved.`);
          }}
          onGone={() => {
            setEditing(null);
            void templates.reload();
          }}
        />
      )}
    </section>
  );
}

interface EditTemplateDialogProps {
  template: InvitationTemplate;
  onClose: () => void;
  onSaved: (template: InvitationTemplate) => void;
  /** The template was deleted meanwhile. */
  onGone: () => void;
}

function EditTemplateDialog({ template, onClose, onSaved, onGone }: EditTemplateDialogProps) {
  const [current, setCurrent] = useState(template);
  const [name, setName] = useState(template.name);
  const [message, setMessage] = useState(template.message);
  const { busy, error, apiError, setError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    const failure = await run(async () => {
      onSaved(await updateInvitationTemplate(current.id, { version: current.version, name, message }));
    });
    if (failure?.status === 404) return onGone();
    if (failure?.type !== "/problems/stale-version") return;
    // There is no GET of one template: the list has the latest version.
    const reloadFailure = await run(async () => {
      const latest = (await listInvitationTemplates()).items.find((item) => item.id === current.id);
      if (!latest) return onGone();
      setCurrent(latest);
      setName(latest.name);
      setMessage(latest.message);
    });
    if (!reloadFailure) {
      setError(
        "Someone else changed this template meanwhile — showing the latest version. Save again to apply changes.",
      );
    }
  }

  return (
    <Modal labelledBy="edit-template-heading" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="edit-template-heading">Edit template {current.name}</h2>
        <Alert error={error} fields={["name", "message"]} />
        <TextField
          label="Template name"
          value={name}
          onValue={setName}
          autoComplete="off"
          required
          error={errorFor(apiError, "name")}
        />
        <TextAreaField
          label="Message"
          value={message}
          onValue={setMessage}
          maxLength={MESSAGE_MAX_LENGTH}
          hint={MESSAGE_HINT}
          error={errorFor(apiError, "message")}
        />
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy}>
            Save template
          </button>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
