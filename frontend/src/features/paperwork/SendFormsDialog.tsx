import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { type FormRequest, sendForms } from "../../api/paperwork";
import { Alert, useAction } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { FormChoices, useActiveForms } from "./FormChoices";

interface SendFormsDialogProps {
  client: Client;
  onClose: () => void;
  onSent: (sent: FormRequest[]) => void;
}

/** Sends more forms to a client; they are told by email when their account is active. */
export function SendFormsDialog({ client, onClose, onSent }: SendFormsDialogProps) {
  const forms = useActiveForms();
  const [selected, setSelected] = useState<string[]>([]);
  const [choiceError, setChoiceError] = useState<string | undefined>();
  const { busy, error, apiError, run } = useAction();
  const serverChoiceError = apiError?.errors.find((e) => e.field.endsWith("form_ids"))?.message;

  async function submit(event: Event) {
    event.preventDefault();
    if (selected.length === 0) return setChoiceError("Choose at least one form.");
    setChoiceError(undefined);
    await run(async () => {
      // In the practice's order, whatever order they were ticked in.
      const ids = (forms.data ?? []).map((form) => form.id).filter((id) => selected.includes(id));
      onSent((await sendForms(client.id, ids)).items);
    });
  }

  const account =
    client.portal.status === "active"
      ? `${client.name} gets an email saying forms are waiting in the portal.`
      : `${client.name} can fill these in once their portal account is active.`;

  return (
    <Modal labelledBy="send-forms-heading" describedBy="send-forms-text" onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="send-forms-heading">Send forms to {client.name}</h2>
        <p id="send-forms-text">{account}</p>
        <Alert error={error} fields={["form_ids"]} />
        <FormChoices
          legend="Forms to send"
          forms={forms.data}
          failed={forms.error !== null}
          selected={selected}
          onSelected={(ids) => {
            setSelected(ids);
            if (ids.length) setChoiceError(undefined);
          }}
          error={choiceError ?? serverChoiceError}
        />
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy}>
            Send forms
          </button>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
