// Which portal features the signed-in person may use: a staff member's entitlements (switch and seat), or for a
// client the practice's switches. Sections that belong to a feature are listed only when it is usable.
import { useEffect, useState } from "preact/hooks";
import { type Features, getOrganization } from "../api/organizations";
import type { SessionView } from "../api/session";
import { getEntitlements } from "../api/subscription";

const NONE: Features = { payments: false, intake_forms: false, self_scheduling: false, messaging: false };

/** The features, and `refresh` for screens that change them (a seat, the practice's switches). Nothing is asked
 * until the session is past its second-factor step: the server refuses everything else until then. */
export function useFeatures(session: SessionView | null): { features: Features | null; refresh: () => void } {
  const [features, setFeatures] = useState<Features | null>(null);
  const [asked, setAsked] = useState(0);
  const ready = session !== null && session.second_factor.stage === "complete";
  useEffect(() => {
    if (!session || !ready) return;
    const load =
      session.principal.kind === "client"
        ? getOrganization(session.organization.slug).then((org) => org.features)
        : getEntitlements().then((mine) => mine.features);
    load.then(setFeatures, () => setFeatures(NONE));
  }, [session?.principal.id, ready, asked]);
  return { features, refresh: () => setAsked((n) => n + 1) };
}
