// Dates and times on the dashboards, in one named time zone (staff: the practice's), always labelled.

import { zonedFormat as format } from "../../ui/readerZone";

export const dayFormat = (zone: string) => format(zone, { dateStyle: "medium" });
export const timeOfDay = (zone: string) => format(zone, { timeStyle: "short" });
export const dayAndTime = (zone: string) =>
  format(zone, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
export const longDay = (zone: string) => format(zone, { weekday: "long", month: "long", day: "numeric" });

export { zoneName as zoneLabel } from "../../ui/readerZone";

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

/** "today", "yesterday", "3 days ago", "2 weeks ago" — for how long something has waited. */
export function ago(at: string, now: number = Date.now()): string {
  const days = Math.floor((now - new Date(at).getTime()) / 86_400_000);
  if (days < 14) return relative.format(-days, "day");
  if (days < 60) return relative.format(-Math.floor(days / 7), "week");
  return relative.format(-Math.floor(days / 30), "month");
}
