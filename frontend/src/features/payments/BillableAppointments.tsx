// The client's appointments an invoice can bill (attended, no-show, late-cancelled; on no invoice yet). Ticking one
// adds its line to the invoice; the server claims each appointment for this invoice only.
import { useEffect, useState } from "preact/hooks";
import { type BillableAppointment, listBillableAppointments } from "../../api/payments";
import { toApiError } from "../../api/errors";
import { CheckboxField } from "../../ui/forms";
import { formatMoney } from "./money";

const OUTCOMES: Record<BillableAppointment["status"], string> = {
  attended: "attended",
  no_show: "no-show",
  late_cancelled: "late cancellation",
};

/** The appointment's calendar date where it took place (YYYY-MM-DD), for the line's date of service. */
export function serviceDate(item: BillableAppointment): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: item.time_zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(item.start));
}

/** What the line says: the service, and the outcome when it is not an attended session. */
export function lineText(item: BillableAppointment): string {
  return item.status === "attended" ? item.service_name : `${item.service_name} (${OUTCOMES[item.status]})`;
}

function when(item: BillableAppointment): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: item.time_zone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(item.start));
}

export function BillableAppointments({
  clientId,
  chosen,
  onToggle,
}: {
  clientId: string;
  chosen: string[];
  onToggle: (item: BillableAppointment, on: boolean) => void;
}) {
  const [items, setItems] = useState<BillableAppointment[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    listBillableAppointments(clientId).then(
      (page) => setItems(page.items),
      (caught) => {
        // Without payments' access to them (or no appointments at all), invoices are typed by hand.
        if (toApiError(caught).status !== 404) setFailed(true);
        setItems([]);
      },
    );
  }, [clientId]);

  if (items === null || (items.length === 0 && !failed)) return null;
  return (
    <fieldset class="invoice-line">
      <legend>Bill appointments</legend>
      {failed && <p>The appointments could not be loaded; add lines by hand.</p>}
      {items.map((item) => (
        <CheckboxField
          key={item.id}
          label={`${when(item)} · ${lineText(item)}`}
          description={`With ${item.therapist_name}${item.price_cents !== null ? ` · ${formatMoney(item.price_cents)}` : ""}`}
          checked={chosen.includes(item.id)}
          onChecked={(on) => onToggle(item, on)}
        />
      ))}
    </fieldset>
  );
}
