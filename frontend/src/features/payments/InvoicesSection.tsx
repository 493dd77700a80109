// The client details screen's invoices (staff): drafts to issue, open and paid invoices, voiding, refunds, PDFs.
import { useState } from "preact/hooks";
import type { Client } from "../../api/clients";
import { type Invoice, issueInvoice, listClientInvoices, staffInvoicePdf, voidInvoice } from "../../api/payments";
import { useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { openDocument } from "../paperwork/documents";
import { InvoiceRow } from "./InvoiceRow";
import { invoiceTitle } from "./money";
import { NewInvoiceDialog } from "./NewInvoiceDialog";
import { RefundDialog } from "./RefundDialog";

export function InvoicesSection({ client, paymentsOn }: { client: Client; paymentsOn: boolean | null }) {
  const { session } = useShell();
  const isAdmin = session.principal.role === "administrator";
  const invoices = useLoad(() => listClientInvoices(client.id), [client.id]);
  const [creating, setCreating] = useState(false);
  const [voiding, setVoiding] = useState<Invoice | null>(null);
  const [refunding, setRefunding] = useState<Invoice | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const items = invoices.data?.items ?? [];

  function replace(updated: Invoice) {
    invoices.setData((previous) => ({
      items: (previous?.items ?? []).map((item) => (item.id === updated.id ? updated : item)),
      next_cursor: previous?.next_cursor ?? null,
    }));
  }

  async function act(work: () => Promise<string>) {
    setDone(null);
    await action.run(async () => setDone(await work()));
  }

  if (paymentsOn === false) {
    return (
      <section class="card" aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        <p class="hint">Payments are turned off for your practice.</p>
      </section>
    );
  }

  return (
    <section class="card" aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">Invoices</h2>
      <Status message={done} />
      <Alert error={action.error ?? (invoices.error?.status === 403 ? null : invoices.error)} />
      {!invoices.data && !invoices.error ? (
        <Loading />
      ) : items.length === 0 ? (
        invoices.data && <p>No invoices for {client.name} yet.</p>
      ) : (
        <ul class="record-list">
          {items.map((invoice) => (
            <InvoiceRow
              key={invoice.id}
              invoice={invoice}
              busy={action.busy}
              isAdmin={isAdmin}
              onIssue={() =>
                act(async () => {
                  const issued = await issueInvoice(client.id, invoice.id);
                  replace(issued);
                  return `${invoiceTitle(issued)} issued. ${client.name} can pay it in the portal.`;
                })
              }
              onPdf={() =>
                act(async () => `Downloading “${await openDocument(() => staffInvoicePdf(client.id, invoice.id))}”.`)
              }
              onRefund={() => setRefunding(invoice)}
              onVoid={() => setVoiding(invoice)}
            />
          ))}
        </ul>
      )}
      {paymentsOn !== null && (
        <button type="button" class="button" onClick={() => setCreating(true)}>
          New invoice
        </button>
      )}
      {creating && (
        <NewInvoiceDialog
          client={client}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            invoices.setData((previous) => ({
              items: [created, ...(previous?.items ?? [])],
              next_cursor: previous?.next_cursor ?? null,
            }));
            setDone("Draft saved. Issue it when it is ready: the client can then see and pay it.");
          }}
        />
      )}
      {voiding && (
        <ConfirmDialog
          title={`Void ${invoiceTitle(voiding)}?`}
          confirmLabel="Yes, void it"
          onCancel={() => setVoiding(null)}
          onConfirm={() => {
            const target = voiding;
            setVoiding(null);
            void act(async () => {
              replace(await voidInvoice(client.id, target.id));
              return `${invoiceTitle(target)} is void.`;
            });
          }}
        >
          The client will no longer be asked to pay it. A void invoice keeps its number and cannot be reopened.
        </ConfirmDialog>
      )}
      {refunding && (
        <RefundDialog
          clientId={client.id}
          invoice={refunding}
          onClose={() => setRefunding(null)}
          onRefunded={(message) => {
            setRefunding(null);
            setDone(message);
            void invoices.reload();
          }}
        />
      )}
    </section>
  );
}
