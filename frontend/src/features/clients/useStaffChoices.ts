import type { ApiError } from "../../api/errors";
import { listStaff, type Staff } from "../../api/staff";
import { useLoad } from "../../ui/useLoad";

/** Every staff member, page after page (administrators only: GET /api/staff). */
export function useStaffChoices(enabled: boolean) {
  return useLoad(async () => {
    if (!enabled) return [];
    const people: Staff[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await listStaff(cursor);
      people.push(...page.items);
      cursor = page.next_cursor || null;
      if (cursor && seen.has(cursor)) break;
      if (cursor) seen.add(cursor);
    } while (cursor);
    return people;
  }, [enabled]);
}

export interface StaffChoices {
  data: Staff[] | null;
  error: ApiError | null;
}
