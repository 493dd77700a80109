import type { Client } from "../../api/clients";
import { When, dateOnly } from "../../ui/When";
import { PORTAL_STATUS_NAMES } from "./clientValues";

/** Where the client's portal account stands: status, activation, invitation and its delivery. */
export function PortalState({ client }: { client: Client }) {
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
