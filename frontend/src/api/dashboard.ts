// The staff dashboards: clients needing attention, newly signed documents, the day's appointments and requests
// (a therapist's own, an administrator's practice), and staff members' names to show beside their ids.
import type { Schema } from "./contract";
import { request } from "./request";

export type Attention = Schema<"AttentionView">;
export type SignedDocument = Schema<"SignedDocumentView">;
export type Day = Schema<"DayView">;

export const getWorklist = (cursor: string | null = null) =>
  request("get", "/api/dashboard/worklist", { query: { cursor } });

export const getRecentlySigned = () => request("get", "/api/dashboard/signed");

export const getDay = () => request("get", "/api/dashboard/appointments");

const MAX_NAMES = 50;

/** Staff ids → names (the practice's own staff only), fifty per request. */
export async function staffNames(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter((id) => id.startsWith("stf_"));
  const names = new Map<string, string>();
  for (let start = 0; start < unique.length; start += MAX_NAMES) {
    const part = unique.slice(start, start + MAX_NAMES).join(",");
    const found = await request("get", "/api/staff/names", { query: { ids: part } });
    for (const item of found.items) names.set(item.id, item.name);
  }
  return names;
}
