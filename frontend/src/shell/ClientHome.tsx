import { api } from "../api";
import type { FeatureKey, PortalHome } from "../types";
import { Alert } from "../ui/forms";
import { Loading, PageHeading } from "../ui/layout";
import { useLoad } from "../ui/useLoad";
import { useShell } from "./context";

/** What a client can do, per feature the practice has turned on. */
const CLIENT_TASKS: { key: FeatureKey; label: string }[] = [
  { key: "payments", label: "Pay invoices" },
  { key: "intake_forms", label: "Complete intake paperwork" },
  { key: "self_scheduling", label: "Book sessions" },
  { key: "messaging", label: "Message your therapist" },
];

export default function ClientHome() {
  const { session } = useShell();
  const { data, error } = useLoad(() => api.getPortalHome(), []);
  if (!data && !error) return <Loading />;
  // Greet by the preferred name; should the home fail to load, the session's name will do.
  const name = data ? data.client.preferred_name || data.client.name : session.principal.name;

  return (
    <>
      <PageHeading title="Home">Welcome, {name}</PageHeading>
      <Alert error={error} />
      {data && <Overview home={data} />}
    </>
  );
}

function Overview({ home }: { home: PortalHome }) {
  const tasks = CLIENT_TASKS.filter((task) => home.features[task.key]);
  return (
    <>
      <p>This is your private portal with {home.practice.name}.</p>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">Your pending items</h2>
        {home.pending.length === 0 ? (
          <p>Nothing to do right now.</p>
        ) : (
          <ul class="link-list">
            {home.pending.map((item) => (
              <li key={item.id}>{item.title}</li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">What you can do here</h2>
        {tasks.length === 0 ? (
          <p>Your practice hasn't turned on any portal features yet.</p>
        ) : (
          <ul class="feature-list">
            {tasks.map((task) => (
              <li key={task.key}>
                <strong>{task.label}</strong> — <span class="not-included">Coming soon</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="contact-heading">
        <h2 id="contact-heading">Contact your practice</h2>
        <p>{home.practice.name}</p>
        {home.practice.contact_line ? (
          <p>{home.practice.contact_line}</p>
        ) : (
          <p class="hint">Your practice hasn't added contact details to the portal.</p>
        )}
      </section>
    </>
  );
}
