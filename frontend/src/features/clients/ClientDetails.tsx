// A client's page (staff): portal account, paperwork, signed documents and the client's details.
import { getClient } from "../../api/clients";
import { getOrganization } from "../../api/organizations";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { decodeParam } from "../../ui/params";
import { useLoad } from "../../ui/useLoad";
import { DocumentsSection } from "../paperwork/DocumentsSection";
import { PaperworkSection } from "../paperwork/PaperworkSection";
import { AppointmentsSection } from "../scheduling/AppointmentsSection";
import { InvoicesSection } from "../payments/InvoicesSection";
import { DetailsForm } from "./DetailsForm";
import { PortalSection } from "./PortalSection";

export default function ClientDetails({ param }: { param: string }) {
  const { slug, features } = useShell();
  const id = decodeParam(param);
  const { data, error, setData, reload } = useLoad(() => getClient(id), [id]);
  // Whether the practice has intake forms switched on (null until known).
  const practice = useLoad(() => getOrganization(slug), [slug]);
  const intakeOn = practice.data ? practice.data.features.intake_forms : null;
  const paymentsOn = practice.data ? practice.data.features.payments : null;
  const back = (
    <p>
      <a href={appPath(slug, "clients")}>Back to clients</a>
    </p>
  );

  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Client not found" : error.status === 403 ? "Not available" : "Client";
    return (
      <>
        {back}
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no client at this address.</p> : <Alert error={error} />}
      </>
    );
  }

  return (
    <>
      {back}
      <PageHeading title="Client">{data.name}</PageHeading>
      <PortalSection client={data} onChange={setData} intakeOn={intakeOn} />
      {features?.messaging && (
        <p>
          <a href={appPath(slug, `messages/${encodeURIComponent(data.id)}`)}>Messages with {data.name}</a>
        </p>
      )}
      <PaperworkSection client={data} intakeOn={intakeOn} />
      <DocumentsSection client={data} />
      {practice.data && (
        <AppointmentsSection
          client={data}
          zone={practice.data.time_zone}
          schedulingOn={practice.data.features.self_scheduling}
        />
      )}
      <InvoicesSection client={data} paymentsOn={paymentsOn} />
      <DetailsForm client={data} onChange={setData} reload={reload} />
    </>
  );
}
