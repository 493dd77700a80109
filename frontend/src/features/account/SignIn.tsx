import { useState } from "preact/hooks";
import type { PublicOrganization } from "../../api/organizations";
import { signIn } from "../../api/session";
import { navigate } from "../../router";
import { Alert, TextField, errorFor, useAction } from "../../ui/forms";
import { PageHeading } from "../../ui/layout";
import { OrgPage } from "../public/OrgPage";
import { PasskeySignIn } from "./PasskeySignIn";
import { passkeysSupported } from "../../api/webauthn";

const REASONS: Record<string, string> = {
  idle: "You were signed out after a period of inactivity.",
  "signed-out": "You have signed out.",
};

export default function SignIn({ slug, reason }: { slug: string; reason: string | null }) {
  return <OrgPage slug={slug}>{(organization) => <SignInForm organization={organization} reason={reason} />}</OrgPage>;
}

function SignInForm({ organization, reason }: { organization: PublicOrganization; reason: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, apiError, run } = useAction();
  const notice = reason ? REASONS[reason] : undefined;

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const session = await signIn(organization.slug, email, password);
      // A link in a mail may name where to go after signing in ("invoices/inv_…": a section of the app, nothing else).
      const next = new URLSearchParams(location.search).get("next");
      const section = next && /^[a-z]+(\/[A-Za-z0-9_-]{1,64})?$/.test(next) ? `/${next}` : "";
      navigate(`/o/${session.organization.slug}/app${section}`);
    });
  }

  return (
    <>
      <PageHeading title={`Sign in — ${organization.name}`}>{organization.name}</PageHeading>
      <div role="status" class={notice ? "notice notice-info" : "live-empty"}>
        {notice && <p>{notice}</p>}
      </div>
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">Sign in</h2>
        <Alert error={error} fields={["email", "password"]} />
        <TextField
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="username"
          required
          error={errorFor(apiError, "email")}
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
          error={errorFor(apiError, "password")}
        />
        <button type="submit" class="button" aria-disabled={busy}>
          Sign in
        </button>
        <p>
          <a href={`/o/${organization.slug}/forgot`}>Forgot your password?</a>
        </p>
      </form>
      {organization.passkey_sign_in && passkeysSupported() && <PasskeySignIn slug={organization.slug} />}
      {organization.self_signup && (
        <p>
          <a href={`/o/${organization.slug}/sign-up`}>New here? Create your portal account</a>
        </p>
      )}
      {organization.contact_line && <p class="hint-line">Need help? {organization.contact_line}</p>}
    </>
  );
}
