// Payments (staff): payments received (the in-app notice of each payment), open invoices, and for administrators
// the practice's Stripe connection.
import { listOpenInvoices, listRecentPayments } from "../../api/payments";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import { ConnectionForm } from "./ConnectionForm";
import { formatMoney, invoiceTitle } from "./money";

export default function PaymentsScreen() {
  const { session, slug } = useShell();
  const recent = useLoad(() => listRecentPayments(), []);
  const open = useLoad(() => listOpenInvoices(), []);
  const clientLink = (clientId: string) => appPath(slug, `clients/${encodeURIComponent(clientId)}`);

  return (
    <>
      <PageHeading title="Payments">Payments</PageHeading>
      <section class="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Payments received</h2>
        <Alert error={recent.error} />
        {!recent.data ? (
          !recent.error && <Loading />
        ) : recent.data.items.length === 0 ? (
          <p>No card payments yet. They appear here as clients pay.</p>
        ) : (
          <ul class="record-list">
            {recent.data.items.map((payment) => (
              <li key={payment.id}>
                <div>
                  <p class="record-title">
                    {formatMoney(payment.amount_cents, payment.currency)} for{" "}
                    {invoiceTitle({ number: payment.invoice_number })}
                  </p>
                  <p class="hint">
                    {payment.succeeded_at && <When at={payment.succeeded_at} format={dateOnly} />}
                    {payment.card_last4 && <> · Card ending {payment.card_last4}</>}
                    {payment.refunded_cents > 0 && (
                      <> · Refunded {formatMoney(payment.refunded_cents, payment.currency)}</>
                    )}
                  </p>
                </div>
                <a class="button-small button-secondary" href={clientLink(payment.client_id)}>
                  Open client
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="open-heading">
        <h2 id="open-heading">Open invoices</h2>
        <Alert error={open.error} />
        {!open.data ? (
          !open.error && <Loading />
        ) : open.data.items.length === 0 ? (
          <p>No invoices are waiting to be paid.</p>
        ) : (
          <ul class="record-list">
            {open.data.items.map((invoice) => (
              <li key={invoice.id}>
                <div>
                  <p class="record-title">
                    {open.data?.client_names?.[invoice.client_id] ?? "A client"}: {invoiceTitle(invoice)} ·{" "}
                    {formatMoney(invoice.balance_cents, invoice.currency)} due
                  </p>
                  {invoice.issued_at && (
                    <p class="hint">
                      Issued <When at={invoice.issued_at} format={dateOnly} />
                    </p>
                  )}
                </div>
                <a class="button-small button-secondary" href={clientLink(invoice.client_id)}>
                  Open client
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      {session.principal.role === "administrator" && <ConnectionForm />}
    </>
  );
}
