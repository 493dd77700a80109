// Times in a conversation, in a named time zone (staff: the practice's; clients: their own), and file sizes.
import { zonedFormat } from "../../ui/readerZone";

export function timeFormat(timeZone: string): Intl.DateTimeFormat {
  // "Nov 23, 2026, 3:00 PM CST": labelled with the zone's abbreviation.
  const options: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  };
  return zonedFormat(timeZone, options);
}

export { zoneName as zoneLabel } from "../../ui/readerZone";

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const KIND_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "image/heic": "HEIC image",
};

/** Characters as the server counts them (code points, not UTF-16 units). */
export function characters(text: string): number {
  return [...text.trim()].length;
}
