import { useEffect, useRef, useState } from "preact/hooks";
import { getOrganization } from "../../api/organizations";
import { inspectPasswordToken, type PasswordToken, redeemPasswordToken } from "../../api/session";
import { navigate } from "../../router";
import { Alert, PASSWORD_HINT, TextField, errorFor, useAction } from "../../ui/forms";
import { Loading, PageHeading, PublicLayout } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";

/** The token travels in the fragment so it never reaches a server log; it is then removed from the address bar. */
function takeTokenFromFragment(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  return token;
}

export default function SetPassword({ slug }: { slug: string }) {
  const [token, setToken] = useState(takeTokenFromFragment);

  // A link pasted into this same tab changes only the fragment: no page load.
  useEffect(() => {
    const takeNewToken = () => {
      const fresh = takeTokenFromFragment();
      if (fresh) setToken(fresh);
    };
    window.addEventListener("hashchange", takeNewToken);
    return () => window.removeEventListener("hashchange", takeNewToken);
  }, []);

  // The practice's branding, as on its sign-in page (an unknown slug simply leaves the header plain).
  const practice = useLoad(() => getOrganization(slug), [slug]);
  return (
    <PublicLayout practice={practice.data ?? null}>
      {token ? <TokenCheck key={token} slug={slug} token={token} /> : <LinkProblem slug={slug} incomplete />}
    </PublicLayout>
  );
}

function TokenCheck({ slug, token }: { slug: string; token: string }) {
  const { data, error } = useLoad(() => inspectPasswordToken(token), [token]);
  // 410: used or expired; 422: not a link we ever made (cut short when copied, say) — the same advice for both.
  if (error?.status === 410 || error?.status === 422) return <LinkProblem slug={slug} />;
  if (error) return <Alert error={error} />;
  if (!data) return <Loading />;
  return <SetPasswordForm token={token} details={data} />;
}

function LinkProblem({ slug, incomplete = false }: { slug: string; incomplete?: boolean }) {
  return (
    <>
      <PageHeading title="This link can't be used">This link can't be used</PageHeading>
      <p>
        {incomplete
          ? "This link is incomplete. Open the link from your email again, or copy the whole address into your browser."
          : "This link has expired or was already used. Ask your practice administrator to send a new invitation, or request a new password reset link."}
      </p>
      <p>
        <a href={`/o/${slug}/forgot`}>Request a new password reset link</a>
      </p>
    </>
  );
}

const HEADINGS: Record<PasswordToken["purpose"], string> = {
  staff_invite: "Welcome — set your password",
  client_invite: "Create your portal account",
  password_reset: "Choose a new password",
};

function SetPasswordForm({ token, details }: { token: string; details: PasswordToken }) {
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const confirmationRef = useRef<HTMLInputElement>(null);
  const { busy, error, apiError, run } = useAction();
  const heading = HEADINGS[details.purpose];

  useEffect(() => {
    if (mismatch) confirmationRef.current?.focus();
  }, [mismatch]);

  async function submit(event: Event) {
    event.preventDefault();
    if (password !== confirmation) {
      setMismatch(true);
      return;
    }
    await run(async () => {
      const session = await redeemPasswordToken(token, password);
      navigate(`/o/${session.organization.slug}/app`);
    });
  }

  return (
    <>
      <PageHeading title={heading}>{heading}</PageHeading>
      <p>
        {details.purpose === "client_invite" ? (
          <>
            Set a password for <strong>{details.email}</strong> to use {details.organization.name}'s client portal.
          </>
        ) : (
          <>
            Set a password for <strong>{details.email}</strong> at {details.organization.name}.
          </>
        )}
      </p>
      <form class="card" onSubmit={submit} aria-label={heading}>
        <Alert error={error} fields={["password"]} />
        <TextField
          label="New password"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          required
          hint={PASSWORD_HINT}
          error={errorFor(apiError, "password")}
        />
        <TextField
          label="Confirm new password"
          type="password"
          value={confirmation}
          onValue={(value) => {
            setConfirmation(value);
            setMismatch(false);
          }}
          autoComplete="new-password"
          required
          inputRef={confirmationRef}
          error={mismatch ? "The two passwords don't match." : undefined}
        />
        <button type="submit" class="button" aria-disabled={busy}>
          Set password
        </button>
      </form>
    </>
  );
}
