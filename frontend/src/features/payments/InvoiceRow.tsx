// One invoice in the staff's list: its state and what may be done with it now.
import type { Invoice } from "../../api/payments";
import { When, dateOnly } from "../../ui/When";
import { INVOICE_STATUS_NAMES, formatMoney, invoiceTitle } from "./money";

interface InvoiceRowProps {
  invoice: Invoice;
  busy: boolean;
  isAdmin: boolean;
  onIssue: () => void;
  onPdf: () => void;
  onRefund: () => void;
  onVoid: () => void;
}

export function InvoiceRow({ invoice, busy, isAdmin, onIssue, onPdf, onRefund, onVoid }: InvoiceRowProps) {
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const refundable = invoice.payments.some((p) => p.status === "succeeded" && p.refunded_cents < p.amount_cents);
  const voidable =
    invoice.status === "draft" ||
    (invoice.status === "open" && invoice.paid_cents === 0 && invoice.pending_cents === 0);
  return (
    <li>
      <div>
        <p class="record-title">
          {invoiceTitle(invoice)} · {money(invoice.total_cents)}
        </p>
        <p class="hint">
          <strong>{INVOICE_STATUS_NAMES[invoice.status]}</strong>
          {invoice.status === "open" && <> · Balance due {money(invoice.balance_cents)}</>}
          {invoice.pending_cents > 0 && <> · Payment being confirmed</>}
          {invoice.issued_at && (
            <>
              {" "}
              · Issued <When at={invoice.issued_at} format={dateOnly} />
            </>
          )}
          {invoice.refunded_cents > 0 && <> · Refunded {money(invoice.refunded_cents)}</>}
        </p>
      </div>
      <div class="row-actions">
        {invoice.status === "draft" ? (
          <button
            type="button"
            class="button-small"
            aria-label={`Issue the draft of ${money(invoice.total_cents)}`}
            aria-disabled={busy}
            onClick={onIssue}
          >
            Issue
          </button>
        ) : (
          <button type="button" class="button-small button-secondary" onClick={onPdf}>
            PDF<span class="visually-hidden"> of {invoiceTitle(invoice)}</span>
          </button>
        )}
        {isAdmin && refundable && (
          <button
            type="button"
            class="button-small button-secondary"
            aria-label={`Refund a payment of ${invoiceTitle(invoice)}`}
            onClick={onRefund}
          >
            Refund
          </button>
        )}
        {voidable && (
          <button
            type="button"
            class="button-small button-secondary"
            aria-label={`Void ${invoiceTitle(invoice)}`}
            onClick={onVoid}
          >
            Void
          </button>
        )}
      </div>
    </li>
  );
}
