/** A record id from the address ("clients/{id}"); a malformed escape is kept as typed. */
export function decodeParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}
