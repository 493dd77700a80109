// Which portal features the signed-in person may use: a staff member's entitlements (switch and seat), or for a
// client the practice's switches. Sections that belong to a feature are listed only when it is usable.
import { useEffect, useState } from "preact/hooks";
import { type Features, getOrganization } from "../api/organizations";
import type { SessionView } from "../api/session";
import { getEntitlements } from "../api/subscription";

export function useFeatures(session: SessionView | null): Features | null {
  const [features, setFeatures] = useState<Features | null>(null);
  useEffect(() => {
    if (!session) return;
    const load =
      session.principal.kind === "client"
        ? getOrganization(session.organization.slug).then((org) => org.features)
        : getEntitlements().then((mine) => mine.features);
    load.then(setFeatures, () =>
      setFeatures({ payments: false, intake_forms: false, self_scheduling: false, messaging: false }),
    );
  }, [session?.principal.id]);
  return features;
}
