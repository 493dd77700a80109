// Inviting a client to the portal: intake forms to send with it, and an optional message (saved as a template).
import { useState } from "preact/hooks";
import { type Client, type Invitation, inviteClient } from "../../api/clients";
import { createInvitationTemplate, listInvitationTemplates } from "../../api/invitationTemplates";
import { Alert, CheckboxField, SelectField, TextAreaField, TextField, errorFor, useAction } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { useLoad } from "../../ui/useLoad";
import { FormChoices, useActiveForms } from "../paperwork/FormChoices";
import { MESSAGE_HINT, MESSAGE_MAX_LENGTH } from "./clientValues";

const INVITATION_FIELDS = ["message", "email", "form_ids", "template_id"];

interface InviteDialogProps {
  client: Client;
  intakeOn: boolean | null;
  onClose: () => void;
  onSent: (client: Client) => void;
}

export function InviteDialog({ client, intakeOn, onClose, onSent }: InviteDialogProps) {
  const templates = useLoad(() => listInvitationTemplates(), []);
  const forms = useActiveForms(intakeOn !== false);
  const [formIds, setFormIds] = useState<string[]>([]);
  const [templateId, setTemplateId] = useState("");
  const [message, setMessage] = useState("");
  const [saveAsTemplate, setSaveAsTemplate] = useState(false);
  const [templateName, setTemplateName] = useState("");
  const { busy, error, apiError, run } = useAction();
  const items = templates.data?.items ?? [];

  function chooseTemplate(id: string) {
    setTemplateId(id);
    const template = items.find((item) => item.id === id);
    if (template) setMessage(template.message);
  }

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      // In the practice's order, whatever order they were ticked in; none when intake forms are off.
      const form_ids = intakeOn === false ? [] : (forms.data ?? []).map((f) => f.id).filter((f) => formIds.includes(f));
      const invitation: Invitation = { form_ids };
      if (saveAsTemplate) {
        const saved = await createInvitationTemplate(templateName.trim(), message);
        // Saved once: sending again after a failed invitation must not save a second copy.
        templates.setData((previous) => ({ items: [...(previous?.items ?? []), saved] }));
        setTemplateId(saved.id);
        setSaveAsTemplate(false);
        setTemplateName("");
        invitation.template_id = saved.id;
      } else if (templateId) {
        invitation.template_id = templateId;
      }
      if (message.trim()) invitation.message = message;
      onSent(await inviteClient(client.id, invitation));
    });
  }

  return (
    <Modal labelledBy="invite-heading" describedBy="invite-text" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="invite-heading">Invite {client.name} to the portal</h2>
        <p id="invite-text">
          {client.email ? (
            <>
              We email <strong>{client.email}</strong> a link to create their portal account.
            </>
          ) : (
            "This client has no email address yet."
          )}
          {client.portal.status !== "not_invited" && " Earlier invitation links stop working."}
        </p>
        {/* The problem's detail already says what an email, form or template error means. */}
        <Alert error={error} fields={saveAsTemplate ? [...INVITATION_FIELDS, "name"] : INVITATION_FIELDS} />
        {intakeOn === false ? (
          <fieldset>
            <legend>Intake forms to send</legend>
            <p class="hint">Intake forms are turned off for your practice.</p>
          </fieldset>
        ) : (
          <FormChoices
            legend="Intake forms to send"
            forms={forms.data}
            failed={forms.error !== null}
            selected={formIds}
            onSelected={setFormIds}
            hint="Optional. They can also be sent later from Paperwork."
            error={errorFor(apiError, "form_ids")}
          />
        )}
        <SelectField label="Message template" value={templateId} onValue={chooseTemplate}>
          <option value="">No template</option>
          {items.map((template) => (
            <option key={template.id} value={template.id}>
              {template.name}
            </option>
          ))}
        </SelectField>
        {templates.error && <p class="warning">Saved templates couldn't be loaded.</p>}
        <TextAreaField
          label="Message"
          value={message}
          onValue={setMessage}
          maxLength={MESSAGE_MAX_LENGTH}
          hint={`Optional. ${MESSAGE_HINT} It is sent by email, so leave out clinical details.`}
          error={errorFor(apiError, "message")}
        />
        <CheckboxField label="Save this message as a template" checked={saveAsTemplate} onChecked={setSaveAsTemplate} />
        {saveAsTemplate && (
          <TextField
            label="Template name"
            value={templateName}
            onValue={setTemplateName}
            autoComplete="off"
            required
            error={errorFor(apiError, "name")}
          />
        )}
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy}>
            Send invitation
          </button>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
