// Joining a therapist's waitlist for a service: offered times come by email, the first to claim gets them.
import { useState } from "preact/hooks";
import { type Service, type Therapist, type TimeOfDay, joinWaitlist } from "../../api/scheduling";
import { Alert, SelectField, Status, useAction } from "../../ui/forms";

export function WaitlistJoin({ therapist, service }: { therapist: Therapist; service: Service }) {
  const [time, setTime] = useState<TimeOfDay>("any");
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  async function join(event: Event) {
    event.preventDefault();
    setDone(null);
    await action.run(async () => {
      await joinWaitlist(therapist.therapist_id, service.id, time);
      setDone("You're on the waitlist. We'll email you when a time opens up.");
    });
  }

  return (
    <form class="card" onSubmit={join} aria-labelledby="waitlist-heading">
      <h3 id="waitlist-heading">Nothing suits you?</h3>
      <p class="hint">
        Join the waitlist: when a time is cancelled, you may be offered it by email. The first to claim it gets it.
      </p>
      <Status message={done} />
      <Alert error={action.error} />
      <SelectField label="Preferred time of day" value={time} onValue={(value) => setTime(value as TimeOfDay)}>
        <option value="any">Any time</option>
        <option value="morning">Mornings</option>
        <option value="afternoon">Afternoons</option>
        <option value="evening">Evenings</option>
      </SelectField>
      <button type="submit" class="button-small" aria-disabled={action.busy}>
        Join the waitlist
      </button>
    </form>
  );
}
