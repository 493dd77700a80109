import { useEffect, useState } from "preact/hooks";
import { staffNames } from "../../api/dashboard";

/** Names of the staff members whose ids are shown (the practice's own staff, looked up for any staff member). */
export function useStaffNames(ids: string[]): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    const missing = key.split(",").filter((id) => id && !names.has(id));
    if (missing.length === 0) return;
    let current = true;
    staffNames(missing).then(
      (found) => current && setNames((known) => new Map([...known, ...found])),
      () => undefined, // names are a nicety: the list still shows without them
    );
    return () => {
      current = false;
    };
  }, [key]);
  return names;
}
