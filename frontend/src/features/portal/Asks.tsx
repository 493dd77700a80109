// What the practice asks of the client, first on their home: forms to complete, invoices to pay, the next
// appointment and unread messages — each only while its feature is on, each one click from its place.
import type { FormRequest } from "../../api/paperwork";
import { listMyInvoices } from "../../api/payments";
import type { PortalHome } from "../../api/portal";
import { listMyAppointments } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { useUnreadCount } from "../../shell/messagePoll";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { REQUEST_STATUS_NAMES } from "../paperwork/documents";
import { formatMoney, invoiceTitle } from "../payments/money";
import { timeIn, zoneLabel } from "../scheduling/time";

export function Asks({ home, open, loaded }: { home: PortalHome; open: FormRequest[]; loaded: boolean }) {
  const { slug } = useShell();
  const { features } = home;
  const invoices = useLoad(async () => (features.payments ? (await listMyInvoices()).items : []), [features.payments]);
  const appointments = useLoad(
    async () => (features.self_scheduling ? (await listMyAppointments()).items : []),
    [features.self_scheduling],
  );
  const unread = useUnreadCount();
  const due = (invoices.data ?? []).filter((invoice) => invoice.status === "open" && invoice.balance_cents > 0);
  const next = (appointments.data ?? [])
    .filter((a) => (a.status === "confirmed" || a.status === "pending") && Date.parse(a.end) > Date.now())
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0];
  const forms = home.pending.map((item) => ({ ...item, request: open.find((request) => request.id === item.id) }));
  const settled = (load: { data: unknown; error: unknown }) => load.data !== null || load.error !== null;
  const ready = loaded && settled(invoices) && settled(appointments);
  const nothing = forms.length === 0 && due.length === 0 && !next && !(features.messaging && unread > 0);

  return (
    <section class="card" aria-labelledby="asks-heading" aria-busy={!ready}>
      <h2 id="asks-heading">What {home.practice.name} asks of you</h2>
      {nothing ? (
        ready ? (
          <p>Nothing to do right now.</p>
        ) : (
          <Loading />
        )
      ) : (
        <ul class="asks">
          {forms.map((item) => (
            <li key={item.id}>
              <p>
                <a class="task-link" href={appPath(slug, `forms/${encodeURIComponent(item.id)}`)}>
                  Complete {item.title}
                </a>
                {item.request && <span class="hint"> — {REQUEST_STATUS_NAMES[item.request.status]}</span>}
              </p>
            </li>
          ))}
          {due.map((invoice) => (
            <li key={invoice.id}>
              <p>
                <a class="task-link" href={appPath(slug, `invoices/${encodeURIComponent(invoice.id)}`)}>
                  Pay {invoiceTitle(invoice)}
                </a>
                <span class="hint"> — {formatMoney(invoice.balance_cents, invoice.currency)} due</span>
              </p>
            </li>
          ))}
          {next && (
            <li>
              <p>
                <a class="task-link" href={appPath(slug, "appointments")}>
                  Next appointment: {timeIn(home.time_zone, next.start)}
                </a>
                <span class="hint">
                  {" "}
                  — {next.service_name} with {next.therapist_name}
                  {next.status === "pending" && ", waiting for your therapist to confirm"} (your time zone,{" "}
                  {zoneLabel(home.time_zone)})
                </span>
              </p>
            </li>
          )}
          {features.messaging && unread > 0 && (
            <li>
              <p>
                <a class="task-link" href={appPath(slug, "messages")}>
                  Read {unread === 1 ? "1 new message" : `${unread} new messages`}
                </a>
              </p>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
