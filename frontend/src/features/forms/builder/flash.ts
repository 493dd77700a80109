/** A message for the screen shown after a navigation (a new form's first save, a copy). */
let flash: string | null = null;

export function setFlash(message: string): void {
  flash = message;
}

/** The waiting message, once. */
export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}
