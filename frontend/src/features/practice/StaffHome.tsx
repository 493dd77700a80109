// The staff home: a dashboard of what needs doing — for a therapist their own clients, for an administrator the
// practice — each item one click from its place. A section shows only while its feature is usable (switched on, and
// a seat where the feature needs one); what the person may use, and the administrator's links, follow.
import { getOrganization } from "../../api/organizations";
import { useShell } from "../../shell/context";
import { PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { NeedsAttention } from "../dashboard/NeedsAttention";
import { OpenInvoices } from "../dashboard/OpenInvoices";
import { RecentlySigned } from "../dashboard/RecentlySigned";
import { TodaySection } from "../dashboard/TodaySection";
import { UnreadMessages } from "../dashboard/UnreadMessages";
import { zoneLabel } from "../dashboard/time";
import { Entitlements, ManagePractice } from "./Entitlements";

export default function Home() {
  const { session, slug, features } = useShell();
  const { principal } = session;
  const isAdmin = principal.role === "administrator";
  const organization = useLoad(() => getOrganization(slug), [slug]);
  // Dates below are read in the practice's zone: a staff member's session carries it.
  const zone = session.time_zone;

  return (
    <>
      <PageHeading title="Home">Welcome, {principal.name}</PageHeading>
      <p class="hint">
        {isAdmin ? "What needs doing across the practice" : "What needs doing for your clients"}
        {` · dates in ${zoneLabel(zone)}`}
      </p>
      {features && (
        <div class="dashboard">
          <NeedsAttention zone={zone} intake={features.intake_forms} />
          {features.self_scheduling && <TodaySection />}
          {features.messaging && <UnreadMessages />}
          {features.intake_forms && <RecentlySigned zone={zone} />}
          {features.payments && <OpenInvoices zone={zone} />}
        </div>
      )}
      {isAdmin && <ManagePractice />}
      <Entitlements isAdmin={isAdmin} practice={organization.data?.features ?? null} />
    </>
  );
}
