// The client's portal account: its state, invitation, access, and the practice's login link.
import { useState } from "preact/hooks";
import { type Client, disablePortalAccess, enablePortalAccess } from "../../api/clients";
import { useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CopyLoginLink } from "../../ui/CopyLoginLink";
import { Alert, Status, useAction } from "../../ui/forms";
import { canInviteClients } from "./clientValues";
import { InviteDialog } from "./InviteDialog";
import { PortalState } from "./PortalState";

type Dialog = "invite" | "disable" | null;

interface PortalSectionProps {
  client: Client;
  onChange: (client: Client) => void;
  intakeOn: boolean | null;
}

export function PortalSection({ client, onChange, intakeOn }: PortalSectionProps) {
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
        <ConfirmDialog
          title={`Disable portal access for ${client.name}?`}
          confirmLabel="Yes, disable"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            return perform(
              () => disablePortalAccess(client.id),
              (updated) => `Portal access disabled. ${updated.name} can no longer sign in.`,
            );
          }}
        >
          They are signed out of the portal and can't sign in until you enable access again. Their email stays reserved
          for this client.
        </ConfirmDialog>
      )}
    </section>
  );
}
