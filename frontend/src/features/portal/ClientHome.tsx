import { useState } from "preact/hooks";
import type { FeatureKey } from "../../api/organizations";
import type { FormRequest } from "../../api/paperwork";
import { getPortalHome, listMyFormRequests, myDocumentLink, type PortalHome } from "../../api/portal";
import { appPath, useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import { REQUEST_STATUS_NAMES, openDocument } from "../paperwork/documents";

/** What a client can do, per feature the practice has turned on. */
const CLIENT_TASKS: { key: FeatureKey; label: string; ready?: string; link?: [path: string, text: string] }[] = [
  { key: "payments", label: "Pay invoices", ready: "Open Invoices to pay by card and print receipts." },
  { key: "intake_forms", label: "Complete intake paperwork", ready: "Forms sent to you are listed above." },
  { key: "self_scheduling", label: "Book sessions", link: ["book", "Book a session or see your appointments"] },
  { key: "messaging", label: "Message your therapist", ready: "Write to your care team under Messages." },
];

export default function ClientHome() {
  const { session } = useShell();
  const { data, error } = useLoad(() => getPortalHome(), []);
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
  const { slug } = useShell();
  const tasks = CLIENT_TASKS.filter((task) => home.features[task.key]);
  const intakeOn = home.features.intake_forms;
  // The client's paperwork: open requests complete the pending list, signed ones are their documents.
  const requests = useLoad(
    () => (intakeOn ? listMyFormRequests() : Promise.resolve({ items: [] as FormRequest[] })),
    [intakeOn],
  );
  const all = requests.data?.items ?? [];
  const open = all.filter((request) => request.status !== "completed");
  const pending = [
    ...home.pending.map((item) => ({ ...item, request: open.find((request) => request.id === item.id) })),
    ...open
      .filter((request) => !home.pending.some((item) => item.id === request.id))
      .map((request) => ({ kind: "form", id: request.id, title: request.title, request })),
  ];
  const signed = all.filter((request) => request.status === "completed");

  return (
    <>
      <p>This is your private portal with {home.practice.name}.</p>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">Your pending items</h2>
        {pending.length === 0 ? (
          requests.data || requests.error || !intakeOn ? (
            <p>Nothing to do right now.</p>
          ) : (
            <Loading />
          )
        ) : (
          <ul class="task-list">
            {pending.map((item) => (
              <li key={item.id}>
                {item.kind === "form" ? (
                  <a class="task-link" href={appPath(slug, `forms/${encodeURIComponent(item.id)}`)}>
                    Complete {item.title}
                  </a>
                ) : (
                  item.title
                )}
                {item.request && <span class="hint"> — {REQUEST_STATUS_NAMES[item.request.status]}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {intakeOn && <SignedDocuments signed={signed} loaded={requests.data !== null} error={requests.error} />}
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">What you can do here</h2>
        {tasks.length === 0 ? (
          <p>Your practice hasn't turned on any portal features yet.</p>
        ) : (
          <ul class="feature-list">
            {tasks.map((task) => (
              <li key={task.key}>
                <strong>{task.label}</strong> —{" "}
                {task.link ? (
                  <a href={appPath(slug, task.link[0])}>{task.link[1]}</a>
                ) : task.ready ? (
                  <span>{task.ready}</span>
                ) : (
                  <span class="not-included">Coming soon</span>
                )}
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

function SignedDocuments({
  signed,
  loaded,
  error,
}: {
  signed: FormRequest[];
  loaded: boolean;
  error: Parameters<typeof Alert>[0]["error"];
}) {
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  async function download(request: FormRequest) {
    setDone(null);
    await action.run(async () => {
      const filename = await openDocument(() => myDocumentLink(request.id));
      setDone(`Downloading “${filename}”.`);
    });
  }

  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">Your signed documents</h2>
      <Status message={done} />
      <Alert error={action.error ?? error} />
      {!loaded ? (
        !error && <Loading />
      ) : signed.length === 0 ? (
        <p>Forms you sign appear here, ready to download.</p>
      ) : (
        <ul class="record-list">
          {signed.map((request) => (
            <li key={request.id}>
              <div>
                <p class="record-title">{request.title}</p>
                {request.signed_at && (
                  <p class="hint">
                    Signed <When at={request.signed_at} format={dateOnly} />
                  </p>
                )}
              </div>
              <button
                type="button"
                class="button-small"
                aria-label={`Download ${request.title}`}
                aria-disabled={action.busy}
                onClick={() => download(request)}
              >
                Download
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
