// One time zone per reader: staff read times in the practice's zone, a client in their own (the session says which).
// Every time a screen shows goes through here, labelled with the zone ("Nov 23, 2026, 3:00 PM CST").

/** The browser's zone: only until the session is known (public pages show no times of records). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

let zone = browserTimeZone();
const formats = new Map<string, Intl.DateTimeFormat>();

/** The shell sets it from the session (`time_zone`), and again when the reader changes it. */
export function setReaderZone(next: string): void {
  zone = isZone(next) ? next : "UTC";
}

export function readerZone(): string {
  return zone;
}

export function isZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A formatter in ``timeZone``, or in UTC for a zone this browser does not know. */
export function zonedFormat(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
  }
}

/** A date in ``zone``: "Nov 23, 2026". */
export const dayIn = (zone: string) => zonedFormat(zone, { dateStyle: "medium" });

/** "America/Los_Angeles" → "America/Los Angeles". */
export function zoneName(name: string): string {
  return name.replace(/_/g, " ");
}

function format(kind: "dateTime" | "date", timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}:${timeZone}`;
  let found = formats.get(key);
  if (!found) {
    const date: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", timeZone };
    found = new Intl.DateTimeFormat(
      "en-US",
      kind === "date" ? date : { ...date, hour: "numeric", minute: "2-digit", timeZoneName: "short" },
    );
    formats.set(key, found);
  }
  return found;
}

/** A moment as the reader reads it, with the zone's abbreviation: "Nov 23, 2026, 3:00 PM CST". */
export function formatDateTime(at: Date | string, timeZone = zone): string {
  return format("dateTime", timeZone).format(typeof at === "string" ? new Date(at) : at);
}

/** The reader's calendar day of a moment: "Nov 23, 2026". */
export function formatDate(at: Date | string, timeZone = zone): string {
  return format("date", timeZone).format(typeof at === "string" ? new Date(at) : at);
}

const CALENDAR_DAY = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** A calendar day ("1990-04-12": a date of birth, a service date) as people read it, "April 12, 1990" — a day, not
 * a moment, so in no time zone. Anything else is shown as it is. */
export function formatCalendarDay(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? CALENDAR_DAY.format(new Date(`${day}T00:00:00Z`)) : day;
}
