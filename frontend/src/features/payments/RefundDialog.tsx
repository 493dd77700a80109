// An administrator refunds a received payment, in full or in part.
import { useState } from "preact/hooks";
import { type Invoice, refundPayment } from "../../api/payments";
import { Alert, SelectField, TextField, errorFor, useAction } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { dateOnly } from "../../ui/When";
import { formatMoney, invoiceTitle, parseCents } from "./money";

interface RefundDialogProps {
  clientId: string;
  invoice: Invoice;
  onClose: () => void;
  onRefunded: (message: string) => void;
}

export function RefundDialog({ clientId, invoice, onClose, onRefunded }: RefundDialogProps) {
  const refundable = invoice.payments.filter((p) => p.status === "succeeded" && p.refunded_cents < p.amount_cents);
  const [paymentId, setPaymentId] = useState(refundable[0]?.id ?? "");
  const payment = refundable.find((p) => p.id === paymentId);
  const left = payment ? payment.amount_cents - payment.refunded_cents : 0;
  const [amount, setAmount] = useState((left / 100).toFixed(2));
  const [problem, setProblem] = useState<string | undefined>();
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    const cents = parseCents(amount);
    if (cents === null || cents <= 0 || cents > left)
      return setProblem(`Enter an amount above zero and at most ${formatMoney(left, invoice.currency)}.`);
    setProblem(undefined);
    await run(async () => {
      await refundPayment(clientId, invoice.id, paymentId, cents);
      onRefunded(`Refunded ${formatMoney(cents, invoice.currency)} of ${invoiceTitle(invoice)}.`);
    });
  }

  return (
    <Modal labelledBy="refund-heading" describedBy="refund-text" onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="refund-heading">Refund a payment of {invoiceTitle(invoice)}</h2>
        <p id="refund-text">The money goes back to the card it came from. This cannot be undone.</p>
        <Alert error={error} fields={["amount_cents"]} />
        <SelectField label="Payment" value={paymentId} onValue={setPaymentId}>
          {refundable.map((p) => (
            <option key={p.id} value={p.id}>
              {formatMoney(p.amount_cents, p.currency)} on {dateOnly.format(new Date(p.succeeded_at ?? p.started_at))}
              {p.card_last4 ? ` (card ending ${p.card_last4})` : ""}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Amount to refund"
          value={amount}
          onValue={setAmount}
          hint={`At most ${formatMoney(left, invoice.currency)}`}
          error={problem ?? errorFor(apiError, "amount_cents")}
        />
        <div class="actions">
          <button type="submit" class="button button-danger" aria-disabled={busy}>
            Refund
          </button>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
