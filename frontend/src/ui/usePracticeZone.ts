import { getOrganization } from "../api/organizations";
import { useShell } from "../shell/context";
import { useLoad } from "./useLoad";

/** The practice's time zone, in which staff read dates and times (the viewer's own should the practice not load);
 * null while loading. */
export function usePracticeZone(): string | null {
  const { slug } = useShell();
  const organization = useLoad(() => getOrganization(slug), [slug]);
  return organization.data?.time_zone ?? (organization.error ? Intl.DateTimeFormat().resolvedOptions().timeZone : null);
}

/** A date in ``zone`` ("Nov 23, 2026"), falling back to UTC for a zone the browser does not know. */
export function dayIn(zone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: zone });
  } catch {
    return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
  }
}
