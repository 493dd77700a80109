// The client's invoices: what is due (with a Pay button), and the history of paid and past invoices.
import { type Invoice, listMyInvoices } from "../../api/payments";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import { INVOICE_STATUS_NAMES, formatMoney, invoiceTitle } from "./money";

export default function MyInvoices() {
  const { data, error } = useLoad(() => listMyInvoices(), []);
  const items = data?.items ?? [];
  const due = items.filter((invoice) => invoice.status === "open");
  const past = items.filter((invoice) => invoice.status !== "open");

  return (
    <>
      <PageHeading title="Invoices">Invoices and payments</PageHeading>
      <Alert error={error} />
      {!data ? (
        !error && <Loading />
      ) : (
        <>
          <section aria-labelledby="due-heading">
            <h2 id="due-heading">Balance due</h2>
            {due.length === 0 ? <p>You have nothing to pay right now.</p> : <InvoiceList invoices={due} />}
          </section>
          <section aria-labelledby="history-heading">
            <h2 id="history-heading">Payment history</h2>
            {past.length === 0 ? <p>Paid invoices and receipts appear here.</p> : <InvoiceList invoices={past} />}
          </section>
        </>
      )}
    </>
  );
}

export function InvoiceList({ invoices }: { invoices: Invoice[] }) {
  const { slug } = useShell();
  return (
    <ul class="record-list">
      {invoices.map((invoice) => (
        <li key={invoice.id}>
          <div>
            <p class="record-title">
              <a href={appPath(slug, `invoices/${encodeURIComponent(invoice.id)}`)}>{invoiceTitle(invoice)}</a> ·{" "}
              {formatMoney(invoice.total_cents, invoice.currency)}
            </p>
            <p class="hint">
              <strong>{INVOICE_STATUS_NAMES[invoice.status]}</strong>
              {invoice.status === "open" &&
                (invoice.awaiting_action ? (
                  <> · Your bank's confirmation was not finished</>
                ) : invoice.balance_cents > 0 ? (
                  <> · {formatMoney(invoice.balance_cents, invoice.currency)} due</>
                ) : (
                  <> · Your payment is being confirmed</>
                ))}
              {invoice.issued_at && (
                <>
                  {" "}
                  · Issued <When at={invoice.issued_at} format={dateOnly} />
                </>
              )}
            </p>
          </div>
          {invoice.status === "open" && (invoice.balance_cents > 0 || invoice.awaiting_action) && (
            <a
              class="button-small"
              href={appPath(slug, `pay/${encodeURIComponent(invoice.id)}`)}
              aria-label={`Pay ${invoiceTitle(invoice)}`}
            >
              Pay
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
