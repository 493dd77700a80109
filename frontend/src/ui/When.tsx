import { formatDate, formatDateTime } from "./readerZone";

/** How a moment is written out; the reader's zone is read when it is written, not when the format is made. */
export interface MomentFormat {
  format(date: Date): string;
}

/** "Nov 23, 2026, 3:00 PM CST": in the reader's zone (the practice's for staff, their own for a client), labelled. */
export const dateTime: MomentFormat = { format: (date) => formatDateTime(date) };
/** "Nov 23, 2026": the reader's calendar day. */
export const dateOnly: MomentFormat = { format: (date) => formatDate(date) };

/** A timestamp from the API, as the reader reads it (see readerZone.ts). */
export function When({ at, format = dateTime }: { at: string; format?: MomentFormat }) {
  return <time dateTime={at}>{format.format(new Date(at))}</time>;
}
