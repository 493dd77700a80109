import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/errors";

/** Loads data on mount (and when deps change); late answers of superseded loads are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  async function reload(): Promise<T | null> {
    const current = ++generation.current;
    setError(null);
    try {
      const value = await load();
      if (current === generation.current) setData(() => value);
      return value;
    } catch (caught) {
      if (current === generation.current) setError(toApiError(caught));
      return null;
    }
  }

  useEffect(() => {
    void reload();
  }, deps);

  return { data, error, setData, reload };
}
