import { useState } from "preact/hooks";
import { listStaff, type Staff } from "../../api/staff";
import { addSeat, getSubscription, removeSeat, type Subscription } from "../../api/subscription";
import { ROLE_NAMES, useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { LoadMore, usePaged } from "../../ui/usePaged";

function money(cents: number): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100);
}

export default function SubscriptionScreen() {
  const subscription = useLoad(() => getSubscription(), []);
  const staff = usePaged((cursor) => listStaff(cursor), []);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const { session, refreshFeatures } = useShell();

  async function changeSeat(person: Staff, add: boolean) {
    setDone(null);
    await action.run(async () => {
      subscription.setData(await (add ? addSeat(person.id) : removeSeat(person.id)));
      setDone(add ? `Seat added for ${person.name}.` : `Seat removed for ${person.name}.`);
      if (person.id === session.principal.id) refreshFeatures(); // their own seat: scheduling and messaging follow
    });
  }

  return (
    <>
      <PageHeading title="Subscription">Subscription</PageHeading>
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">How the portal subscription works</h2>
        <ul>
          <li>Payments and intake forms are included for every therapist, at no extra cost.</li>
          <li>Self-scheduling and secure messaging need a seat: add one for each staff member who should use them.</li>
          <li>A practice with one staff member has everything included at no cost.</li>
        </ul>
      </section>
      <Status message={done} />
      <Alert error={action.error ?? subscription.error ?? staff.error} />
      {subscription.data ? <Summary subscription={subscription.data} /> : !subscription.error && <Loading />}
      {subscription.data && (
        <SeatTable
          people={staff.items.filter((person) => person.status === "active")}
          seated={new Set(subscription.data.seats.map((seat) => seat.staff_id))}
          onChange={changeSeat}
        />
      )}
      <LoadMore hasMore={staff.hasMore} loading={staff.loading} onLoad={staff.loadMore} />
    </>
  );
}

function Summary({ subscription }: { subscription: Subscription }) {
  const { seat_count, billable_seat_count, seat_price_cents, monthly_total_cents, solo } = subscription;
  const seats = billable_seat_count === 1 ? "billable seat" : "billable seats";
  return (
    <section class="card" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Your subscription</h2>
      <p class="figure">Seats: {seat_count}</p>
      <p class="figure">
        {solo
          ? "Solo practice — included at no cost"
          : `${billable_seat_count} ${seats} × ${money(seat_price_cents)} = ${money(monthly_total_cents)} per month`}
      </p>
    </section>
  );
}

interface SeatTableProps {
  people: Staff[];
  seated: Set<string>;
  onChange: (person: Staff, add: boolean) => void;
}

function SeatTable({ people, seated, onChange }: SeatTableProps) {
  return (
    <div class="table-scroll" role="region" aria-labelledby="seats-caption" tabIndex={0}>
      <table class="stack">
        <caption id="seats-caption">Active staff and their seats</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Seat</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => {
            const hasSeat = seated.has(person.id);
            return (
              <tr key={person.id}>
                <th scope="row">{person.name}</th>
                <td data-label="Role">{ROLE_NAMES[person.role]}</td>
                <td data-label="Seat">{hasSeat ? "Has a seat" : "No seat"}</td>
                <td class="cell-actions">
                  <button
                    type="button"
                    class={hasSeat ? "button-small button-danger" : "button-small"}
                    onClick={() => onChange(person, !hasSeat)}
                  >
                    {hasSeat ? `Remove seat for ${person.name}` : `Add seat for ${person.name}`}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
