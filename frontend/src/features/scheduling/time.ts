// Times in a named zone, always labelled with it: staff read the practice's zone, clients their own.

/** "Tue, Nov 24, 10:00 AM CST" in ``zone``, labelled with it. */
export function timeIn(zone: string, iso: string, options: Intl.DateTimeFormatOptions = {}): string {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    ...options,
  });
  return format.format(new Date(iso));
}

/** "10:00 AM" in ``zone``, for lists already labelled with their zone ("Times in …"). */
export const clockIn = (zone: string, iso: string) =>
  timeIn(zone, iso, { weekday: undefined, month: undefined, day: undefined, timeZoneName: undefined });

/** "Tuesday, November 24" for a calendar date ("2026-11-24"), whatever the reader's zone. */
export function dayName(date: string): string {
  const format = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "long", month: "long", day: "numeric" });
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** The calendar date ("2026-11-24") an instant falls on in ``zone``. */
export function dateIn(zone: string, iso: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  return parts.format(new Date(iso));
}

export function addDays(date: string, days: number): string {
  const moment = new Date(`${date}T12:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + days);
  return moment.toISOString().slice(0, 10);
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetAt(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - Math.floor(instant / 60000) * 60000) / 60000);
}

/** A wall-clock time in ``zone`` ("2026-11-24", "10:00") as a UTC instant (ISO). */
export function zonedToUtc(date: string, time: string, zone: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let guess = wall - offsetAt(zone, wall) * 60000;
  guess = wall - offsetAt(zone, guess) * 60000;
  return new Date(guess).toISOString();
}

export { zoneName as zoneLabel } from "../../ui/readerZone";

export const STATUS_NAMES: Record<string, string> = {
  pending: "Requested",
  confirmed: "Confirmed",
  declined: "Declined",
  cancelled: "Cancelled",
  late_cancelled: "Late-cancelled",
  attended: "Attended",
  no_show: "No-show",
};
