import { useRef, useState } from "preact/hooks";
import {
  type Client,
  disablePortalAccess,
  enablePortalAccess,
  getClient,
  type Invitation,
  inviteClient,
  updateClient,
} from "../../api/clients";
import { createInvitationTemplate, listInvitationTemplates } from "../../api/invitationTemplates";
import { getOrganization } from "../../api/organizations";
import { CopyLoginLink } from "../../ui/CopyLoginLink";
import {
  Alert,
  CheckboxField,
  SelectField,
  Status,
  TextAreaField,
  TextField,
  errorFor,
  useAction,
} from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { Modal } from "../../ui/Modal";
import { browserTimeZone } from "../../ui/TimeZoneSelect";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import {
  CLIENT_FIELDS,
  ClientFields,
  MESSAGE_HINT,
  MESSAGE_MAX_LENGTH,
  PORTAL_STATUS_NAMES,
  canInviteClients,
  clientChange,
  useStaffChoices,
  valuesOf,
} from "./ClientFields";
import { appPath, useShell } from "../../shell/context";
import { DocumentsSection, FormChoices, PaperworkSection, useActiveForms } from "../paperwork/PaperworkSection";

function decode(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

export default function ClientDetails({ param }: { param: string }) {
  const { slug } = useShell();
  const id = decode(param);
  const { data, error, setData, reload } = useLoad(() => getClient(id), [id]);
  // Whether the practice has intake forms switched on (null until known).
  const practice = useLoad(() => getOrganization(slug), [slug]);
  const intakeOn = practice.data ? practice.data.features.intake_forms : null;
  const back = (
    <p>
      <a href={appPath(slug, "clients")}>Back to clients</a>
    </p>
  );

  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Client not found" : error.status === 403 ? "Not available" : "Client";
    return (
      <>
        {back}
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no client at this address.</p> : <Alert error={error} />}
      </>
    );
  }

  return (
    <>
      {back}
      <PageHeading title={data.name}>{data.name}</PageHeading>
      <PortalSection client={data} onChange={setData} intakeOn={intakeOn} />
      <PaperworkSection client={data} intakeOn={intakeOn} />
      <DocumentsSection client={data} />
      <DetailsForm client={data} onChange={setData} reload={reload} />
    </>
  );
}

// --- details ---

interface DetailsFormProps {
  client: Client;
  onChange: (client: Client) => void;
  reload: () => Promise<Client | null>;
}

function DetailsForm({ client, onChange, reload }: DetailsFormProps) {
  const { session } = useShell();
  const isAdmin = session.principal.role === "administrator";
  const staff = useStaffChoices(isAdmin);
  const [values, setValues] = useState(() => valuesOf(client, browserTimeZone()));
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, apiError, setError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    // Compared with the latest record, so a portal action in between (a new version) is no conflict.
    const change = clientChange(client, values, isAdmin);
    if (!change) return setSaved("No changes to save.");
    const failure = await run(async () => {
      const updated = await updateClient(client.id, change);
      onChange(updated);
      setValues(valuesOf(updated, values.time_zone));
      setSaved("Client details saved.");
    });
    if (failure?.type !== "/problems/stale-version") return;
    const latest = await reload();
    if (!latest)
      return setError("Someone else changed this client meanwhile, and the latest values couldn't be loaded.");
    setValues(valuesOf(latest, values.time_zone));
    setError(
      "Someone else changed this client meanwhile — showing the latest values. Save again to apply your changes.",
    );
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="client-details-heading">
      <h2 id="client-details-heading">Client details</h2>
      <Status message={saved} />
      <Alert error={error} fields={[...CLIENT_FIELDS]} />
      <ClientFields values={values} onChange={setValues} error={apiError} staff={isAdmin ? staff : null} />
      <button type="submit" class="button" aria-disabled={busy}>
        Save client
      </button>
    </form>
  );
}

// --- portal account and shortcuts ---

type Dialog = "invite" | "disable" | null;

interface PortalSectionProps {
  client: Client;
  onChange: (client: Client) => void;
  intakeOn: boolean | null;
}

function PortalSection({ client, onChange, intakeOn }: PortalSectionProps) {
  const { session, slug } = useShell();
  const mayInvite = canInviteClients(session);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const { status } = client.portal;
  // A client who once activated their account is enabled again rather than re-invited (the server refuses).
  const invitable =
    status === "not_invited" || status === "invited" || (status === "disabled" && !client.portal.accepted_at);

  async function perform(request: () => Promise<Client>, message: (updated: Client) => string) {
    setDone(null);
    await action.run(async () => {
      const updated = await request();
      onChange(updated);
      setDone(message(updated));
    });
  }

  function openDialog(kind: Dialog) {
    setDone(null);
    action.setError(null);
    setDialog(kind);
  }

  return (
    <section class="card" aria-labelledby="portal-heading">
      <h2 id="portal-heading">Client portal</h2>
      <PortalState client={client} />
      <Status message={done} />
      <Alert error={action.error} />
      {mayInvite ? (
        <>
          {invitable && !client.email && (
            <p class="hint">Add an email address under Client details before sending the invitation.</p>
          )}
          <div class="actions">
            {invitable && (
              <button key="invite" type="button" class="button" onClick={() => openDialog("invite")}>
                {status === "not_invited" ? "Send invitation" : "Resend invitation"}
              </button>
            )}
            {status !== "not_invited" && (
              <button
                key="access"
                type="button"
                class={status === "disabled" ? "button button-secondary" : "button button-danger"}
                aria-disabled={action.busy}
                onClick={() =>
                  status === "disabled"
                    ? perform(
                        () => enablePortalAccess(client.id),
                        (updated) => `Portal access enabled for ${updated.name}.`,
                      )
                    : openDialog("disable")
                }
              >
                {status === "disabled" ? "Enable portal access" : "Disable portal access"}
              </button>
            )}
          </div>
        </>
      ) : (
        invitable && <p>Ask an administrator to send the invitation.</p>
      )}
      <h3>Login link</h3>
      <p>Clients always sign in at your practice's own address. Send it to {client.name} if they can't find it.</p>
      <CopyLoginLink slug={slug} />
      {dialog === "invite" && (
        <InviteDialog
          client={client}
          intakeOn={intakeOn}
          onClose={() => setDialog(null)}
          onSent={(updated) => {
            onChange(updated);
            setDialog(null);
            setDone(
              updated.portal.invitation_delivery === "failed"
                ? "The invitation email could not be delivered. Check the email address and try again."
                : `Invitation sent to ${updated.email ?? updated.name}.${status === "not_invited" ? "" : " Earlier links no longer work."}`,
            );
          }}
        />
      )}
      {dialog === "disable" && (
        <DisableDialog
          client={client}
          onClose={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            return perform(
              () => disablePortalAccess(client.id),
              (updated) => `Portal access disabled. ${updated.name} can no longer sign in.`,
            );
          }}
        />
      )}
    </section>
  );
}

function PortalState({ client }: { client: Client }) {
  const { status, invited_at, invitation_expires_at, accepted_at, invitation_delivery } = client.portal;
  return (
    <div class="portal-state">
      <p>
        Portal status: <strong>{PORTAL_STATUS_NAMES[status]}</strong>
      </p>
      {accepted_at && (
        <p>
          Activated <When at={accepted_at} format={dateOnly} />
        </p>
      )}
      {invited_at && status !== "active" && (
        <p>
          Invited <When at={invited_at} />
        </p>
      )}
      {status === "invited" && invitation_expires_at && (
        <p>
          The invitation link expires <When at={invitation_expires_at} />.
        </p>
      )}
      {status !== "active" && invitation_delivery === "failed" && (
        <p class="warning">The invitation email could not be delivered.</p>
      )}
      {status === "disabled" && (
        <p>{client.name} can't sign in to the portal. Their email stays reserved for this client.</p>
      )}
    </div>
  );
}

const INVITATION_FIELDS = ["message", "email", "form_ids", "template_id"];

interface InviteDialogProps {
  client: Client;
  intakeOn: boolean | null;
  onClose: () => void;
  onSent: (client: Client) => void;
}

function InviteDialog({ client, intakeOn, onClose, onSent }: InviteDialogProps) {
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

function DisableDialog({ client, onClose, onConfirm }: { client: Client; onClose: () => void; onConfirm: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      role="alertdialog"
      labelledBy="disable-heading"
      describedBy="disable-text"
      onCancel={onClose}
      initialFocus={cancel}
    >
      <h2 id="disable-heading">Disable portal access for {client.name}?</h2>
      <p id="disable-text">
        They are signed out of the portal and can't sign in until you enable access again. Their email stays reserved
        for this client.
      </p>
      <div class="actions">
        <button type="button" class="button button-danger" onClick={onConfirm}>
          Yes, disable
        </button>
        <button ref={cancel} type="button" class="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
