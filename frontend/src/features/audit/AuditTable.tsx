// The audit log, one compact row per event: when, what happened in plain language (names looked up by the server
// for the reader), the outcome, and the technical details folded away.
import type { AuditEvent } from "../../api/audit";
import { ROLE_NAMES } from "../../shell/context";
import { zonedFormat } from "../../ui/readerZone";

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  // Seconds matter in an audit trail; the zone is named on every row, as every time is ("3:00:12 PM CST").
  const options: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
  };
  return zonedFormat(timeZone, options);
}

const OUTCOMES: Record<string, string> = { success: "Done", failure: "Failed", denied: "Refused" };
const roleName = (role: string) =>
  ROLE_NAMES[role as keyof typeof ROLE_NAMES] ?? (role === "anonymous" ? "Not signed in" : role);

export function AuditTable({ events, timeZone }: { events: AuditEvent[]; timeZone: string }) {
  const format = timeFormat(timeZone);
  return (
    <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabIndex={0}>
      <table class="audit-table stack">
        <caption id="audit-caption">Audit events (times in {timeZone.replace(/_/g, " ")})</caption>
        <colgroup>
          <col class="col-when" />
          <col />
          <col class="col-outcome" />
          <col class="col-details" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">What happened</th>
            <th scope="col">Outcome</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 && (
            <tr>
              <td colSpan={4}>No events match.</td>
            </tr>
          )}
          {events.map((event) => (
            <tr key={event.id}>
              <td data-label="Time">
                <time dateTime={event.at}>{format.format(new Date(event.at))}</time>
              </td>
              <td data-label="What happened">
                <p class="audit-summary">
                  {event.summary} <span class="audit-role">· {roleName(event.actor_role)}</span>
                </p>
              </td>
              <td data-label="Outcome" class={`outcome outcome-${event.outcome}`}>
                {OUTCOMES[event.outcome] ?? event.outcome}
              </td>
              <td data-label="Details">
                <details class="audit-details">
                  <summary>
                    Details<span class="visually-hidden"> of the event at {format.format(new Date(event.at))}</span>
                  </summary>
                  <dl>
                    <dt>Action</dt>
                    <dd>{event.action}</dd>
                    <dt>Record</dt>
                    <dd>{event.resource}</dd>
                    <dt>IP address</dt>
                    <dd>{event.ip}</dd>
                    <dt>Browser</dt>
                    <dd>{event.user_agent}</dd>
                    <dt>Request</dt>
                    <dd>{event.request_id}</dd>
                  </dl>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
