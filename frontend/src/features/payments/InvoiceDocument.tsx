// The invoice as a document: lines, totals, payments received. Shown on screen and printed as is.
import type { Invoice } from "../../api/payments";
import { useShell } from "../../shell/context";
import { readerZone, zoneName } from "../../ui/readerZone";
import { When, dateOnly } from "../../ui/When";
import { INVOICE_STATUS_NAMES, formatMoney } from "./money";
import { formatCalendarDay } from "../../ui/readerZone";

export function InvoiceDocument({ invoice }: { invoice: Invoice }) {
  const { session } = useShell();
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const received = invoice.payments.filter((payment) => payment.status === "succeeded");

  return (
    <article class="invoice-document card" aria-label="Invoice details">
      <p class="invoice-practice">{session.organization.name}</p>
      <dl class="invoice-facts">
        <dt>Status</dt>
        <dd>{INVOICE_STATUS_NAMES[invoice.status]}</dd>
        {invoice.issued_at && (
          <>
            <dt>Issued</dt>
            <dd>
              <When at={invoice.issued_at} format={dateOnly} />
            </dd>
          </>
        )}
        {invoice.paid_at && (
          <>
            <dt>Paid</dt>
            <dd>
              <When at={invoice.paid_at} format={dateOnly} />
            </dd>
          </>
        )}
      </dl>
      <table class="invoice-lines">
        <caption class="visually-hidden">Services</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Date</th>
            <th scope="col" class="amount">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line, i) => (
            <tr key={i}>
              <td>{line.description}</td>
              <td>{line.service_date ? formatCalendarDay(line.service_date) : ""}</td>
              <td class="amount">{money(line.amount_cents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td class="amount">{money(invoice.total_cents)}</td>
          </tr>
          <tr>
            <th scope="row" colSpan={2}>
              Paid
            </th>
            <td class="amount">{money(invoice.paid_cents)}</td>
          </tr>
          {invoice.refunded_cents > 0 && (
            <tr>
              <th scope="row" colSpan={2}>
                Refunded
              </th>
              <td class="amount">{money(invoice.refunded_cents)}</td>
            </tr>
          )}
          <tr>
            <th scope="row" colSpan={2}>
              Balance due
            </th>
            <td class="amount">{money(invoice.balance_cents)}</td>
          </tr>
        </tfoot>
      </table>
      {received.length > 0 && (
        <>
          <h2>Payments received</h2>
          <ul class="invoice-payments">
            {received.map((payment) => (
              <li key={payment.id}>
                {money(payment.amount_cents)} by card{payment.card_last4 ? ` ending ${payment.card_last4}` : ""}
                {payment.succeeded_at && (
                  <>
                    {" "}
                    on <When at={payment.succeeded_at} format={dateOnly} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {invoice.notes && <p class="invoice-notes">{invoice.notes}</p>}
      <p class="hint">Dates are shown in your time zone ({zoneName(readerZone())}).</p>
    </article>
  );
}
