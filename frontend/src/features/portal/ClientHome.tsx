import { useState } from "preact/hooks";
import type { FeatureKey } from "../../api/organizations";
import type { FormRequest } from "../../api/paperwork";
import { getPortalHome, listMyFormRequests, myDocumentLink, type PortalHome } from "../../api/portal";
import { appPath, useShell } from "../../shell/context";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { When, dateOnly } from "../../ui/When";
import { openDocument } from "../paperwork/documents";
import { Asks } from "./Asks";
import { DocumentButtons } from "../paperwork/DocumentButtons";

/** What a client can do, per feature the practice has turned on. */
const CLIENT_TASKS: { key: FeatureKey; label: string; ready?: string; link?: [path: string, text: string] }[] = [
  { key: "payments", label: "Pay invoices", link: ["invoices", "See your invoices and receipts"] },
  { key: "intake_forms", label: "Complete intake paperwork", ready: "Forms sent to you are listed above." },
  { key: "self_scheduling", label: "Book sessions", link: ["book", "Book a session or see your appointments"] },
  { key: "messaging", label: "Message your therapist", link: ["messages", "Write to your care team"] },
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
  const signed = all.filter((request) => request.status === "completed");
  // Forms sent since the home was read are asked for too, after the others.
  const pending = [
    ...home.pending,
    ...open
      .filter((request) => !home.pending.some((item) => item.id === request.id))
      .map((request) => ({ kind: "form", id: request.id, title: request.title })),
  ];

  return (
    <>
      <p>This is your private portal with {home.practice.name}.</p>
      <Asks
        home={{ ...home, pending }}
        open={open}
        loaded={requests.data !== null || requests.error !== null || !intakeOn}
      />
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
                {task.link ? <a href={appPath(slug, task.link[0])}>{task.link[1]}</a> : <span>{task.ready}</span>}
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

  async function show(request: FormRequest, inline: boolean) {
    setDone(null);
    await action.run(async () => {
      const filename = await openDocument((asked) => myDocumentLink(request.id, asked), { inline });
      setDone(inline ? `Opened “${filename}” in a new tab.` : `Downloading “${filename}”.`);
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
        <p>Forms you sign appear here, ready to open or download.</p>
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
              <DocumentButtons title={request.title} busy={action.busy} onShow={(inline) => show(request, inline)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
