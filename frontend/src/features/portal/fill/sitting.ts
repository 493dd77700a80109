// The forms a client works through in one sitting, for "Form 2 of 4" and "next form": those still open, in the
// practice's order, plus those signed in this tab since (their ids only, in sessionStorage: no answers, no titles).
import type { FormRequest } from "../../../api/paperwork";

const KEY = "portal.signed-in-this-sitting";

function signedHere(): string[] {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

export function noteSigned(id: string): void {
  sessionStorage.setItem(KEY, JSON.stringify([...new Set([...signedHere(), id])]));
}

export interface Place {
  /** 1-based place of the current form; 0 when it is not in the sitting (an old signed form). */
  number: number;
  total: number;
  /** The next form still to sign, after the current one in the practice's order (or before it, if none after). */
  next: FormRequest | null;
}

/** Where `current` stands among the sitting's forms (`requests` as the API lists them, in the practice's order). */
export function placeOf(requests: FormRequest[], current: string): Place {
  const here = new Set(signedHere());
  const sitting = requests.filter((request) => request.status !== "completed" || here.has(request.id));
  const index = sitting.findIndex((request) => request.id === current);
  const open = (request: FormRequest) => request.status !== "completed" && request.id !== current;
  const next = sitting.slice(index + 1).find(open) ?? sitting.slice(0, Math.max(index, 0)).find(open) ?? null;
  // Everything signed: the next sitting starts afresh.
  if (!requests.some((request) => request.status !== "completed")) sessionStorage.removeItem(KEY);
  return { number: index + 1, total: sitting.length, next };
}

export function progressText(place: Place | null): string | null {
  return place && place.number > 0 && place.total > 1 ? `Form ${place.number} of ${place.total}` : null;
}
