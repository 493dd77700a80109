// Invoices with a balance due: the therapist's clients', or the practice's for an administrator, oldest first.
import { listOpenInvoices } from "../../api/payments";
import { appPath, useShell } from "../../shell/context";
import { useLoad } from "../../ui/useLoad";
import { formatMoney, invoiceTitle } from "../payments/money";
import { Section } from "./Section";
import { dayFormat } from "./time";

const SHOWN = 5;

export function OpenInvoices({ zone }: { zone: string }) {
  const { slug } = useShell();
  const open = useLoad(() => listOpenInvoices(), []);
  const items = open.data?.items ?? [];
  const names = open.data?.client_names ?? {};
  const day = dayFormat(zone);

  return (
    <Section
      id="invoices-dashboard-heading"
      title="Open invoices"
      count={open.data ? items.length : null}
      loading={!open.data}
      error={open.error}
      more={{ href: appPath(slug, "payments"), label: "All payments and invoices" }}
    >
      {items.length === 0 ? (
        <p>No invoices are waiting to be paid.</p>
      ) : (
        <ul class="record-list">
          {items.slice(0, SHOWN).map((invoice) => (
            <li key={invoice.id}>
              <div>
                <a class="record-title" href={appPath(slug, `clients/${encodeURIComponent(invoice.client_id)}`)}>
                  {names[invoice.client_id] ?? "A client"}: {invoiceTitle(invoice)} ·{" "}
                  {formatMoney(invoice.balance_cents, invoice.currency)} due
                </a>
                {invoice.issued_at && (
                  <p class="hint">
                    Issued <time dateTime={invoice.issued_at}>{day.format(new Date(invoice.issued_at))}</time>
                  </p>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
