// The client details screen's paperwork: forms sent to the client (and sending more), and General Documents —
// the client's signed forms as PDFs. Also the form checkboxes the invitation dialog shares.
import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { type FormSummary, listForms } from "../../api/forms";
import {
  documentLink,
  type FormRequest,
  listDocuments,
  listFormRequests,
  remindFormRequest,
  sendForms,
} from "../../api/paperwork";
import { Alert, CheckboxField, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import { canInviteClients } from "../clients/ClientFields";
import { useShell } from "../../shell/context";
import { REQUEST_STATUS_NAMES, openDocument } from "./documents";

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

// --- paperwork sent to the client ---

export function PaperworkSection({ client, intakeOn }: { client: Client; intakeOn: boolean | null }) {
  const { session } = useShell();
  const mayInvite = canInviteClients(session);
  const requests = useLoad(() => listFormRequests(client.id), [client.id]);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const items = requests.data?.items ?? [];
  const mayManage = mayInvite && intakeOn === true;

  async function remind(request: FormRequest) {
    setDone(null);
    await action.run(async () => {
      const updated = await remindFormRequest(client.id, request.id);
      requests.setData((previous) => ({
        items: (previous?.items ?? []).map((item) => (item.id === updated.id ? updated : item)),
      }));
      setDone(`Reminder sent for ${request.title}.`);
    });
  }

  return (
    <section class="card" aria-labelledby="paperwork-heading">
      <h2 id="paperwork-heading">Paperwork</h2>
      <Status message={done} />
      <Alert error={action.error ?? requests.error} />
      {intakeOn === false && (
        <p class="hint">Intake forms are turned off for your practice, so no forms can be sent.</p>
      )}
      {!requests.data && !requests.error ? (
        <Loading />
      ) : items.length === 0 ? (
        requests.data && <p>No forms have been sent to {client.name} yet.</p>
      ) : (
        <ul class="record-list">
          {items.map((request) => (
            <li key={request.id}>
              <div>
                <p class="record-title">{request.title}</p>
                <p class="hint">
                  Version {request.form_version} · <strong>{REQUEST_STATUS_NAMES[request.status]}</strong>
                </p>
                <p class="hint">
                  Sent <When at={request.sent_at} format={dateOnly} />
                  {request.signed_at ? (
                    <>
                      {" "}
                      · Signed <When at={request.signed_at} format={dateOnly} />
                    </>
                  ) : (
                    request.updated_at && (
                      <>
                        {" "}
                        · Last saved <When at={request.updated_at} format={dateOnly} />
                      </>
                    )
                  )}
                  {request.status !== "completed" && request.reminders_sent > 0 && (
                    <> · Reminders sent: {request.reminders_sent}</>
                  )}
                </p>
              </div>
              {mayManage && request.status !== "completed" && (
                <button
                  type="button"
                  class="button-small button-secondary"
                  aria-label={`Send reminder for ${request.title}`}
                  aria-disabled={action.busy}
                  onClick={() => remind(request)}
                >
                  Send reminder
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayManage && (
        <div class="actions">
          <button
            type="button"
            class="button"
            onClick={() => {
              setDone(null);
              action.setError(null);
              setSending(true);
            }}
          >
            Send forms
          </button>
        </div>
      )}
      {sending && (
        <SendFormsDialog
          client={client}
          onClose={() => setSending(false)}
          onSent={(sent) => {
            requests.setData((previous) => ({ items: [...(previous?.items ?? []), ...sent] }));
            setSending(false);
            setDone(
              `${sent.length === 1 ? "1 form was" : `${sent.length} forms were`} sent to ${client.name}.` +
                (client.portal.status === "active" ? " They were told by email." : ""),
            );
          }}
        />
      )}
    </section>
  );
}

interface SendFormsDialogProps {
  client: Client;
  onClose: () => void;
  onSent: (sent: FormRequest[]) => void;
}

function SendFormsDialog({ client, onClose, onSent }: SendFormsDialogProps) {
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

// --- General Documents ---

export function DocumentsSection({ client }: { client: Client }) {
  const documents = useLoad(() => listDocuments(client.id), [client.id]);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const items = documents.data?.items ?? [];

  async function open(document: FormRequest) {
    setDone(null);
    await action.run(async () => {
      const filename = await openDocument(() => documentLink(client.id, document.id));
      setDone(`Downloading “${filename}”.`);
    });
  }

  return (
    <section class="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">General Documents</h2>
      <Status message={done} />
      <Alert error={action.error ?? documents.error} />
      {!documents.data && !documents.error ? (
        <Loading />
      ) : items.length === 0 ? (
        documents.data && <p>No signed documents yet.</p>
      ) : (
        <ul class="record-list">
          {items.map((document) => (
            <li key={document.id}>
              <div>
                <p class="record-title">{document.title}</p>
                <p class="hint">
                  Version {document.form_version}
                  {document.signed_at && (
                    <>
                      {" "}
                      · Signed <When at={document.signed_at} />
                    </>
                  )}
                  {document.signed_name && <> by {document.signed_name}</>}
                </p>
              </div>
              <button
                type="button"
                class="button-small"
                aria-label={`Open ${document.title}`}
                aria-disabled={action.busy}
                onClick={() => open(document)}
              >
                Open
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
