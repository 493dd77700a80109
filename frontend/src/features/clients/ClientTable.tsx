// The client list: each client with their therapists, paperwork progress and last activity; cards on a phone.
import type { ClientSummary } from "../../api/clients";
import { useShell } from "../../shell/context";
import { dayIn, zoneName } from "../../ui/readerZone";
import { PORTAL_STATUS_NAMES, clientPath } from "./clientValues";
import { useStaffNames } from "./useStaffNames";

function progress(client: ClientSummary): string {
  const { waiting, signed } = client.paperwork;
  if (waiting + signed === 0) return "No forms sent";
  return `${signed} of ${waiting + signed} signed`;
}

interface ClientTableProps {
  clients: ClientSummary[];
  searching: boolean;
  busy: boolean;
  /** The practice's time zone: dates are read in it. */
  zone: string;
}

export function ClientTable({ clients, searching, busy, zone }: ClientTableProps) {
  const { slug, session } = useShell();
  const day = dayIn(zone);
  const names = useStaffNames(clients.flatMap((client) => client.therapist_ids));
  const therapists = (client: ClientSummary) =>
    client.therapist_ids.length === 0
      ? "None yet"
      : client.therapist_ids.map((id) => (id === session.principal.id ? "You" : (names.get(id) ?? "…"))).join(", ");

  return (
    <div class="table-scroll" role="region" aria-labelledby="clients-caption" aria-busy={busy} tabIndex={0}>
      <table class="stack">
        <caption id="clients-caption">Client list (dates in {zoneName(zone)})</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Therapists</th>
            <th scope="col">Portal status</th>
            <th scope="col">Paperwork</th>
            <th scope="col">Last active</th>
          </tr>
        </thead>
        <tbody>
          {clients.length === 0 && (
            <tr>
              <td colSpan={5}>{searching ? "No clients match your search." : "No clients yet."}</td>
            </tr>
          )}
          {clients.map((client) => (
            <tr key={client.id}>
              <th scope="row">
                <a href={clientPath(slug, client.id)}>{client.name}</a>
                {client.preferred_name && ` (${client.preferred_name})`}
                {client.email && <span class="hint cell-sub">{client.email}</span>}
              </th>
              <td data-label="Therapists">{therapists(client)}</td>
              <td data-label="Portal status">{PORTAL_STATUS_NAMES[client.portal_status]}</td>
              <td data-label="Paperwork">
                {progress(client)}
                {client.paperwork.waiting > 0 && <span class="badge">{client.paperwork.waiting} waiting</span>}
              </td>
              <td data-label="Last active">
                {client.last_activity_at ? (
                  <time dateTime={client.last_activity_at}>{day.format(new Date(client.last_activity_at))}</time>
                ) : (
                  "Not yet"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
