import { useState } from "preact/hooks";
import { type PublicOrganization, signUp } from "../../api/organizations";
import { Alert, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { PageHeading } from "../../ui/layout";
import { OrgPage } from "../public/OrgPage";

export default function SignUp({ slug }: { slug: string }) {
  return (
    <OrgPage slug={slug}>
      {(organization) =>
        organization.self_signup ? (
          <SignUpForm organization={organization} />
        ) : (
          <SignUpClosed organization={organization} />
        )
      }
    </OrgPage>
  );
}

function SignUpForm({ organization }: { organization: PublicOrganization }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setMessage(null);
    await run(async () => {
      setMessage((await signUp(organization.slug, name.trim(), email.trim())).message);
      setName("");
      setEmail("");
    });
  }

  return (
    <>
      <PageHeading title={`Create your portal account — ${organization.name}`}>Create your portal account</PageHeading>
      <p>
        Sign up for {organization.name}'s client portal. We'll email you a link to choose your password. If you are
        already a client, use the email address the practice has for you.
      </p>
      <form class="card" onSubmit={submit} aria-label="Sign up for the client portal">
        <Status message={message} />
        <Alert error={error} fields={["name", "email"]} />
        <TextField
          label="Full name"
          value={name}
          onValue={setName}
          autoComplete="name"
          required
          error={errorFor(apiError, "name")}
        />
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
          Sign up
        </button>
      </form>
      <p>
        <a href={`/o/${organization.slug}`}>Back to sign in</a>
      </p>
    </>
  );
}

function SignUpClosed({ organization }: { organization: PublicOrganization }) {
  return (
    <>
      <PageHeading title={`Sign-up isn't available — ${organization.name}`}>Sign-up isn't available</PageHeading>
      <p>
        {organization.name} invites its clients to the portal. Ask the practice to send you an invitation
        {organization.contact_line ? `: ${organization.contact_line}` : "."}
      </p>
      <p>
        <a href={`/o/${organization.slug}`}>Back to sign in</a>
      </p>
    </>
  );
}
