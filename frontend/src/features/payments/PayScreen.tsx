// Paying an open invoice by card. This page is its own document (a full page load) so that its Content Security
// Policy can allow Stripe.js; no other page loads it. The card details go to Stripe from Stripe.js, never to us.
import { getMyInvoice, startCardSetup } from "../../api/payments";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { decodeParam } from "../../ui/params";
import { useLoad } from "../../ui/useLoad";
import { CardForm } from "./CardForm";
import { invoiceTitle } from "./money";

export default function PayScreen({ param }: { param: string }) {
  const id = decodeParam(param);
  const invoice = useLoad(() => getMyInvoice(id), [id]);
  const setup = useLoad(() => startCardSetup(id), [id]);
  const { slug } = useShell();
  const back = (
    <p>
      <a href={appPath(slug, "invoices")}>Back to invoices</a>
    </p>
  );
  const error = invoice.error ?? setup.error;
  if (error || !invoice.data || !setup.data) {
    return (
      <>
        {back}
        <PageHeading title="Pay an invoice">Pay an invoice</PageHeading>
        {error ? <Alert error={error} /> : <Loading />}
      </>
    );
  }
  return (
    <>
      {back}
      <PageHeading title="Pay an invoice">Pay {invoiceTitle(invoice.data).toLowerCase()}</PageHeading>
      <CardForm invoice={invoice.data} setup={setup.data} />
    </>
  );
}
