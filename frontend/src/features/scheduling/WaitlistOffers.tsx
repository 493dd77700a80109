// Times offered from the waitlist (first to claim gets them), and the waitlists the client is on.
import { useState } from "preact/hooks";
import { claimOffer, getWaitlist, leaveWaitlist } from "../../api/scheduling";
import { Alert, Status, useAction } from "../../ui/forms";
import { useLoad } from "../../ui/useLoad";
import { timeIn } from "./time";

export function WaitlistOffers({ zone, onClaimed }: { zone: string; onClaimed: () => void }) {
  const waitlist = useLoad(() => getWaitlist(), []);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const offers = (waitlist.data?.offers ?? []).filter((o) => o.status === "open");
  const entries = waitlist.data?.entries ?? [];
  if (!waitlist.data || (offers.length === 0 && entries.length === 0)) return <Alert error={waitlist.error} />;

  async function run(work: () => Promise<unknown>, message: string) {
    setDone(null);
    await action.run(async () => {
      await work();
      setDone(message);
      await waitlist.reload();
      onClaimed();
    });
    if (action.error) await waitlist.reload();
  }

  return (
    <section class="card" aria-labelledby="waitlist-heading">
      <h2 id="waitlist-heading">Waitlist</h2>
      <Status message={done} />
      <Alert error={action.error} />
      <ul class="record-list">
        {offers.map((o) => (
          <li key={o.id}>
            <p>
              <strong>Opening:</strong> {o.service_name} with {o.therapist_name}, {timeIn(zone, o.start)}
            </p>
            <button
              type="button"
              class="button-small"
              onClick={() => run(() => claimOffer(o.id), "It's yours: booked.")}
            >
              Claim<span class="visually-hidden"> {timeIn(zone, o.start)}</span>
            </button>
          </li>
        ))}
        {entries.map((e) => (
          <li key={e.id}>
            <p>
              Waiting for {e.service_name} with {e.therapist_name} (
              {e.time_of_day === "any" ? "any time" : `${e.time_of_day}s`})
            </p>
            <button
              type="button"
              class="button-small button-secondary"
              onClick={() => run(() => leaveWaitlist(e.id), "You left the waitlist.")}
            >
              Leave<span class="visually-hidden"> the waitlist for {e.service_name}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
