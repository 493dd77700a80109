// One invoice, printable: the invoice while open, the receipt once paid. Print (with the print stylesheet) or
// download it as a PDF.
import { useState } from "preact/hooks";
import { getMyInvoice, myInvoicePdf } from "../../api/payments";
import { appPath, useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { decodeParam } from "../../ui/params";
import { useLoad } from "../../ui/useLoad";
import { openDocument } from "../paperwork/documents";
import { InvoiceDocument } from "./InvoiceDocument";
import { invoiceTitle } from "./money";

export default function InvoicePage({ param }: { param: string }) {
  const { slug } = useShell();
  const id = decodeParam(param);
  const { data, error } = useLoad(() => getMyInvoice(id), [id]);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const back = (
    <p class="no-print">
      <a href={appPath(slug, "invoices")}>Back to invoices</a>
    </p>
  );
  if (!data) {
    return error ? (
      <>
        {back}
        <PageHeading title="Invoice">Invoice not found</PageHeading>
        <Alert error={error.status === 404 ? "There is no invoice at this address." : error} />
      </>
    ) : (
      <Loading />
    );
  }
  const receipt = data.status === "paid" || data.status === "refunded";
  const title = receipt ? `Receipt for ${invoiceTitle(data).toLowerCase()}` : invoiceTitle(data);

  return (
    <>
      {back}
      <PageHeading title={receipt ? "Receipt" : "Invoice"}>{title}</PageHeading>
      <Status message={done} />
      <Alert error={action.error} />
      {data.awaiting_action && (
        <p class="notice notice-info">
          Your bank asked you to confirm your last payment, and it was not finished. Nothing was charged for it; pay
          again to try once more.
        </p>
      )}
      <InvoiceDocument invoice={data} />
      <div class="actions no-print">
        {data.status === "open" && (data.balance_cents > 0 || data.awaiting_action) && (
          <a class="button" href={appPath(slug, `pay/${encodeURIComponent(data.id)}`)}>
            {data.awaiting_action ? "Pay again" : "Pay now"}
          </a>
        )}
        <button type="button" class="button button-secondary" onClick={() => window.print()}>
          Print
        </button>
        <button
          type="button"
          class="button button-secondary"
          aria-disabled={action.busy}
          onClick={() =>
            action.run(async () => setDone(`Downloading “${await openDocument(() => myInvoicePdf(data.id))}”.`))
          }
        >
          Download PDF
        </button>
      </div>
    </>
  );
}
