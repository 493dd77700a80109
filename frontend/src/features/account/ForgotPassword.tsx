import { useState } from "preact/hooks";
import type { PublicOrganization } from "../../api/organizations";
import { requestPasswordReset } from "../../api/session";
import { Alert, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { PageHeading } from "../../ui/layout";
import { OrgPage } from "../public/OrgPage";

export default function ForgotPassword({ slug }: { slug: string }) {
  return <OrgPage slug={slug}>{(organization) => <ResetRequest organization={organization} />}</OrgPage>;
}

function ResetRequest({ organization }: { organization: PublicOrganization }) {
  const [email, setEmail] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setMessage(null);
    await run(async () => {
      setMessage((await requestPasswordReset(organization.slug, email)).message);
    });
  }

  return (
    <>
      <PageHeading title={`Reset your password — ${organization.name}`}>Reset your password</PageHeading>
      <p>
        Enter the email you use at {organization.name}. If it belongs to an account, we'll send a link to choose a new
        password.
      </p>
      <form class="card" onSubmit={submit} aria-label="Request a password reset link">
        <Status message={message} />
        <Alert error={error} fields={["email"]} />
        <TextField
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="email"
          required
          error={errorFor(apiError, "email")}
        />
        <button type="submit" class="button" aria-disabled={busy}>
          Send reset link
        </button>
      </form>
      <p>
        <a href={`/o/${organization.slug}`}>Back to sign in</a>
      </p>
    </>
  );
}
