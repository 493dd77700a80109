// The client details screen's paperwork: forms sent to the client, reminders, and sending more.
import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { type FormRequest, listFormRequests, remindFormRequest } from "../../api/paperwork";
import { useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import { canInviteClients } from "../clients/clientValues";
import { REQUEST_STATUS_NAMES } from "./documents";
import { SendFormsDialog } from "./SendFormsDialog";

export function PaperworkSection({ client, intakeOn }: { client: Client; intakeOn: boolean | null }) {
  const { session } = useShell();
  const mayInvite = canInviteClients(session);
  // An invitation may send forms: when one goes out (invited_at moves), the list is read again.
  const requests = useLoad(() => listFormRequests(client.id), [client.id, client.portal.invited_at]);
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
