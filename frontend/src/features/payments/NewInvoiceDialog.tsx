// A draft invoice for a client: line items (service, date, amount) and notes. Amounts are typed as money and sent
// as integer cents.
import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { type BillableAppointment, type Invoice, createInvoice } from "../../api/payments";
import { Alert, TextAreaField, TextField, useAction } from "../../ui/forms";
import { Modal } from "../../ui/Modal";
import { BillableAppointments, lineText, serviceDate } from "./BillableAppointments";
import { formatMoney, parseCents } from "./money";

interface Line {
  description: string;
  date: string;
  amount: string;
  appointmentId?: string; // the appointment this line bills
}

const today = () => new Date().toISOString().slice(0, 10);
const STARTING_LINE = "Individual session (50 min)";

export function NewInvoiceDialog({
  client,
  onClose,
  onCreated,
}: {
  client: Client;
  onClose: () => void;
  onCreated: (invoice: Invoice) => void;
}) {
  const [lines, setLines] = useState<Line[]>([{ description: STARTING_LINE, date: today(), amount: "" }]);
  const [notes, setNotes] = useState("");
  const [problems, setProblems] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const cents = lines.map((line) => parseCents(line.amount));
  const total = cents.reduce<number>((sum, value) => sum + (value ?? 0), 0);

  const appointmentIds = lines.flatMap((line) => (line.appointmentId ? [line.appointmentId] : []));

  function toggle(item: BillableAppointment, on: boolean) {
    const rest = lines.filter((line) => line.appointmentId !== item.id);
    if (!on) return setLines(rest.length ? rest : [{ description: "", date: today(), amount: "" }]);
    const amount = item.price_cents !== null ? (item.price_cents / 100).toFixed(2) : "";
    const line = { description: lineText(item), date: serviceDate(item), amount, appointmentId: item.id };
    // The untouched starting line gives way to the first appointment.
    const kept = rest.filter((l) => l.appointmentId || l.amount || l.description !== STARTING_LINE);
    setLines([...kept, line]);
  }

  function change(index: number, field: keyof Line, value: string) {
    setLines(lines.map((line, i) => (i === index ? { ...line, [field]: value } : line)));
  }

  async function submit(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    lines.forEach((line, i) => {
      if (!line.description.trim()) found[`description-${i}`] = "Describe the service.";
      const value = cents[i];
      if (value === null || value <= 0) found[`amount-${i}`] = "Enter an amount above zero, like 150.00.";
    });
    setProblems(found);
    if (Object.keys(found).length) return;
    await run(async () => {
      const body = lines.map((line, i) => ({
        description: line.description.trim(),
        service_date: line.date || null,
        amount_cents: cents[i] as number,
      }));
      onCreated(await createInvoice(client.id, body, notes.trim() || null, appointmentIds));
    });
  }

  return (
    <Modal labelledBy="new-invoice-heading" describedBy="new-invoice-text" onCancel={onClose} wide>
      <form onSubmit={submit} noValidate>
        <h2 id="new-invoice-heading">New invoice for {client.name}</h2>
        <p id="new-invoice-text">It is saved as a draft; issue it to give it a number and show it to the client.</p>
        <Alert error={error} />
        <BillableAppointments clientId={client.id} chosen={appointmentIds} onToggle={toggle} />
        {lines.map((line, i) => (
          <fieldset key={i} class="invoice-line">
            <legend>
              Line {i + 1}
              {line.appointmentId ? " (an appointment)" : ""}
            </legend>
            <TextField
              label="Service"
              value={line.description}
              onValue={(v) => change(i, "description", v)}
              error={problems[`description-${i}`]}
            />
            <TextField label="Date of service" type="date" value={line.date} onValue={(v) => change(i, "date", v)} />
            <TextField
              label="Amount"
              value={line.amount}
              onValue={(v) => change(i, "amount", v)}
              hint="In dollars, like 150.00"
              error={problems[`amount-${i}`]}
            />
            {lines.length > 1 && (
              <button
                type="button"
                class="button-small button-secondary"
                onClick={() => setLines(lines.filter((_, j) => j !== i))}
              >
                Remove line {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <button
          type="button"
          class="button-small button-secondary"
          onClick={() => setLines([...lines, { description: "", date: today(), amount: "" }])}
        >
          Add a line
        </button>
        <TextAreaField label="Notes (optional)" value={notes} onValue={setNotes} rows={3} />
        <p>
          Total: <strong>{formatMoney(total)}</strong>
        </p>
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy}>
            Save draft
          </button>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
