import { useEffect, useRef, useState } from "preact/hooks";
import { type CreatedOrganization, createOrganization } from "../../api/organizations";
import { Alert, TextField, errorFor, useAction } from "../../ui/forms";
import { PageHeading, PublicLayout } from "../../ui/layout";
import { TimeZoneSelect, browserTimeZone } from "../../ui/TimeZoneSelect";

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MAX_LENGTH = 40;

function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/, "");
}

export default function Landing() {
  const [created, setCreated] = useState<{ result: CreatedOrganization; email: string } | null>(null);
  return (
    <PublicLayout>
      <PageHeading title="A secure portal for your therapy practice">
        A secure portal for your therapy practice
      </PageHeading>
      <p class="lead">
        Invite clients to sign intake paperwork, book sessions, pay invoices and message their therapist — with sessions
        that time out, every access audited, and no clinical notes ever shown to clients.
      </p>
      {created ? (
        <Created result={created.result} email={created.email} />
      ) : (
        <CreatePractice onCreated={(result, email) => setCreated({ result, email })} />
      )}
      <p class="hint-line">
        Already have a practice? Go to <code>/o/your-practice</code>, using your practice's URL.
      </p>
    </PublicLayout>
  );
}

function CreatePractice({ onCreated }: { onCreated: (result: CreatedOrganization, email: string) => void }) {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [adminName, setAdminName] = useState("");
  const [adminEmail, setAdminEmail] = useState("");
  const [slugProblem, setSlugProblem] = useState<string | undefined>();
  const { busy, error, apiError, run } = useAction();

  function changeName(value: string) {
    setName(value);
    if (!slugEdited) setSlug(suggestSlug(value));
  }

  function changeSlug(value: string) {
    setSlugEdited(true);
    setSlug(value.toLowerCase());
    setSlugProblem(undefined);
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!SLUG_PATTERN.test(slug)) {
      setSlugProblem("Use lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
      return;
    }
    await run(async () => {
      const body = { name, slug, time_zone: timeZone, admin_name: adminName, admin_email: adminEmail };
      onCreated(await createOrganization(body), adminEmail);
    });
  }

  return (
    <section aria-labelledby="create-heading" class="card">
      <h2 id="create-heading">Create your practice</h2>
      <form onSubmit={submit} aria-labelledby="create-heading">
        <Alert error={error} fields={["name", "slug", "time_zone", "admin_name", "admin_email"]} />
        <TextField
          label="Practice name"
          value={name}
          onValue={changeName}
          required
          error={errorFor(apiError, "name")}
        />
        <TextField
          label="URL"
          value={slug}
          onValue={changeSlug}
          required
          spellcheck={false}
          autoComplete="off"
          hint={
            <>
              Lowercase letters, digits and hyphens. Your sign-in page will be{" "}
              <span class="nowrap">
                {location.origin}/o/{slug || "your-practice"}
              </span>
            </>
          }
          error={slugProblem ?? errorFor(apiError, "slug")}
        />
        <TimeZoneSelect value={timeZone} onValue={setTimeZone} error={errorFor(apiError, "time_zone")} />
        <TextField
          label="Your name"
          value={adminName}
          onValue={setAdminName}
          autoComplete="name"
          required
          error={errorFor(apiError, "admin_name")}
        />
        <TextField
          label="Your email"
          type="email"
          value={adminEmail}
          onValue={setAdminEmail}
          autoComplete="email"
          required
          error={errorFor(apiError, "admin_email")}
        />
        <button type="submit" class="button" aria-disabled={busy}>
          Create your practice
        </button>
      </form>
    </section>
  );
}

function Created({ result, email }: { result: CreatedOrganization; email: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section aria-labelledby="created-heading" class="card card-success">
      <h2 id="created-heading" ref={ref} tabIndex={-1}>
        {result.organization.name} is ready
      </h2>
      <p>Check your email: we sent a link to set your password.</p>
      <p>
        It went to <strong>{email}</strong>. The link works once and expires, so use it soon.
      </p>
      <p>
        Your practice's sign-in page (share it with your staff and clients):{" "}
        <a href={result.sign_in_path}>
          {location.origin}
          {result.sign_in_path}
        </a>
      </p>
    </section>
  );
}
