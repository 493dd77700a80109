// The audit log: pages of readable events (names and sentences looked up by the server), and the same filtered
// events as CSV.
import type { Schema } from "./contract";
import { request, send } from "./request";

export type AuditEvent = Schema<"AuditEventView">;

/** Filters: a person (staff id), a client (client id), the first and last day (YYYY-MM-DD, the practice's zone). */
export interface AuditQuery {
  actor: string;
  client: string;
  since: string;
  until: string;
}

export const NO_FILTER: AuditQuery = { actor: "", client: "", since: "", until: "" };

export const listAudit = (query: AuditQuery, cursor: string | null) =>
  request("get", "/api/audit", { query: { ...query, cursor } });

/** One page of the CSV export and the cursor of the next page, if any. */
export async function exportAuditPage(query: AuditQuery, cursor: string | null) {
  const response = await send("get", "/api/audit/export", { query: { ...query, cursor }, accept: "text/csv" });
  return { csv: await response.text(), nextCursor: response.headers.get("X-Next-Cursor") };
}
