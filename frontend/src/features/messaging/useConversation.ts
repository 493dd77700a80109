// One conversation: its newest page (reloaded whenever the poll says something changed), plus any earlier pages
// the reader asked for, merged newest first without duplicates.
import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../../api/errors";
import { type Conversation, getConversation, type Message, type Side } from "../../api/messages";
import { checkMessagesNow, onMessagesChanged } from "../../shell/messagePoll";

export type ConversationState = ReturnType<typeof useConversation>;

export function useConversation(side: Side, clientId: string) {
  const [page, setPage] = useState<Conversation | null>(null);
  const [older, setOlder] = useState<Message[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const generation = useRef(0);

  async function reload(): Promise<void> {
    const current = ++generation.current;
    try {
      const first = await getConversation(side, clientId);
      if (current !== generation.current) return;
      setPage(first);
      setError(null);
      if (first.unread > 0) void checkMessagesNow(); // reading changed the navigation's count
    } catch (caught) {
      if (current === generation.current) setError(toApiError(caught));
    }
  }

  async function loadEarlier(): Promise<void> {
    const cursor = olderCursor === undefined ? page?.next_cursor : olderCursor;
    if (!cursor || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const next = await getConversation(side, clientId, cursor);
      setOlder((previous) => [...previous, ...next.items]);
      setOlderCursor(next.next_cursor || null);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setLoadingOlder(false);
    }
  }

  useEffect(() => {
    setPage(null);
    setOlder([]);
    setOlderCursor(undefined);
    void reload();
    return onMessagesChanged(() => void reload());
  }, [side, clientId]);

  const seen = new Set<string>();
  const messages = [...(page?.items ?? []), ...older].filter((m) => !seen.has(m.id) && seen.add(m.id));
  const hasEarlier = Boolean(olderCursor === undefined ? page?.next_cursor : olderCursor);
  return { page, messages, error, reload, loadEarlier, hasEarlier, loadingOlder };
}
