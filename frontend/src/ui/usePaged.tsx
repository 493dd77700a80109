import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/errors";

/** One page of a cursor-paginated list, as every list route answers it. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A cursor-paginated list: first page on mount (and when deps change), then "Load more". */
export function usePaged<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  async function load(cursor: string | null) {
    // A fresh first page supersedes every request still in flight.
    const current = cursor ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPage(cursor);
      if (current !== generation.current) return;
      setItems((previous) => (cursor ? [...previous, ...page.items] : page.items));
      setNextCursor(page.next_cursor || null);
    } catch (caught) {
      if (current === generation.current) setError(toApiError(caught));
    } finally {
      if (current === generation.current) setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
  }, deps);

  return {
    items,
    setItems,
    loading,
    error,
    hasMore: nextCursor !== null,
    loadMore: () => load(nextCursor),
  };
}

export function LoadMore({ hasMore, loading, onLoad }: { hasMore: boolean; loading: boolean; onLoad: () => void }) {
  if (!hasMore) return null;
  return (
    <button type="button" class="button button-secondary" aria-disabled={loading} onClick={() => loading || onLoad()}>
      Load more
    </button>
  );
}
