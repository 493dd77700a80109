// Clients whose invitation waits to be accepted or whose paperwork waits to be signed: a therapist's own, an
// administrator's practice — longest waiting first, each one click from the client's page.
import { type Attention, getWorklist } from "../../api/dashboard";
import { appPath, useShell } from "../../shell/context";
import { useLoad } from "../../ui/useLoad";
import { Section } from "./Section";
import { ago, dayFormat } from "./time";

export function NeedsAttention({ zone, intake }: { zone: string; intake: boolean }) {
  const { slug } = useShell();
  const list = useLoad(() => getWorklist(), []);
  const items = list.data?.items ?? [];

  return (
    <Section
      id="attention-heading"
      title="Needs attention"
      count={list.data ? items.length : null}
      loading={!list.data}
      error={list.error}
      more={
        list.data?.next_cursor
          ? { href: appPath(slug, "clients"), label: "More clients wait — see Clients" }
          : undefined
      }
    >
      {items.length === 0 ? (
        <p>{intake ? "No invitations or paperwork waiting." : "No invitations waiting."}</p>
      ) : (
        <ul class="record-list">
          {items.map((item) => (
            <li key={item.client_id}>
              <div>
                <a class="record-title" href={appPath(slug, `clients/${encodeURIComponent(item.client_id)}`)}>
                  {item.name}
                </a>
                <Reasons item={item} zone={zone} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Reasons({ item, zone }: { item: Attention; zone: string }) {
  const { invitation, paperwork } = item;
  const day = dayFormat(zone);
  return (
    <>
      {invitation && (
        <p class="hint">
          {invitation.expired
            ? "Invitation expired — send it again"
            : invitation.delivery_failed
              ? "Invitation email could not be delivered"
              : `Invitation sent ${invitation.invited_at ? ago(invitation.invited_at) : ""}, not accepted yet`}
          {(invitation.expired || invitation.delivery_failed) && <span class="badge badge-warning">Action needed</span>}
        </p>
      )}
      {paperwork && (
        <p class="hint">
          {paperwork.waiting} of {paperwork.waiting + paperwork.signed}{" "}
          {paperwork.waiting + paperwork.signed === 1 ? "form" : "forms"} waiting
          {paperwork.waiting_since && (
            <>
              {" "}
              since <time dateTime={paperwork.waiting_since}>{day.format(new Date(paperwork.waiting_since))}</time>
            </>
          )}
          {paperwork.overdue && <span class="badge badge-warning">Overdue</span>}
        </p>
      )}
    </>
  );
}
