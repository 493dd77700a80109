// Near-real-time messaging: every few seconds (while the page is visible) one conditional request asks whether
// anything changed. The server answers 304 from the session read alone when nothing did; otherwise the navigation's
// unread count follows, and open conversations reload (onMessagesChanged).
import { useEffect, useState } from "preact/hooks";
import { poll, type Side } from "../api/messages";
import { toApiError } from "../api/errors";

const EVERY_MS = 4000;

let side: Side | null = null;
let etag: string | null = null;
let unread = 0;
const listeners = new Set<() => void>();

/** Called whenever the signed-in person's messages changed (a new message, a read, a receipt). */
export function onMessagesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Ask now rather than at the next tick (after sending or reading). */
export async function checkMessagesNow(): Promise<void> {
  if (!side) return;
  try {
    const answer = await poll(side, etag);
    if (!answer) return;
    etag = answer.etag;
    unread = answer.poll.unread;
    listeners.forEach((listener) => listener());
  } catch (caught) {
    // A refusal (the seat or the feature was taken away) stops polling; anything else is retried next tick.
    if (toApiError(caught).status === 403) side = null;
  }
}

/** Polls while ``who`` is set; answers the unread count for the navigation. */
export function useMessagePoll(who: Side | null): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!who) return;
    side = who;
    etag = null;
    const update = () => setCount(unread);
    listeners.add(update);
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      if (stopped) return;
      if (document.visibilityState === "visible") await checkMessagesNow();
      if (!stopped) timer = window.setTimeout(tick, EVERY_MS);
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      listeners.delete(update);
      side = null;
    };
  }, [who]);
  return count;
}

/** The signed-in person's unread count as last polled (the shell polls while messaging is usable), following every
 * change — for the client's home. */
export function useUnreadCount(): number {
  const [count, setCount] = useState(unread);
  useEffect(() => onMessagesChanged(() => setCount(unread)), []);
  return count;
}
