import { useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { changePassword, getSession } from "../../api/session";
import { ROLE_NAMES, useShell } from "../../shell/context";
import { Alert, PASSWORD_HINT, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { PageHeading } from "../../ui/layout";
import { SecondFactorSection } from "../security/SecondFactorSection";

export default function Account() {
  const { session } = useShell();
  const { principal, organization } = session;
  return (
    <>
      <PageHeading title="Account">Account</PageHeading>
      <dl class="details">
        <dt>Name</dt>
        <dd>{principal.name}</dd>
        <dt>Email</dt>
        <dd>{principal.email}</dd>
        <dt>Role</dt>
        <dd>
          {ROLE_NAMES[principal.role]} at {organization.name}
        </dd>
      </dl>
      <ChangePassword />
      <SecondFactorSection />
    </>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [changed, setChanged] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setChanged(null);
    await run(async () => {
      try {
        await changePassword(current, next);
      } catch (caught) {
        // A 401 here may only mean a wrong current password; leave the portal only if the session is gone.
        if (caught instanceof ApiError && caught.status === 401) await getSession();
        throw caught;
      }
      setCurrent("");
      setNext("");
      setChanged("Password changed. Your other sessions were signed out.");
    });
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <Status message={changed} />
      <Alert error={error} fields={["current_password", "new_password"]} />
      <TextField
        label="Current password"
        type="password"
        value={current}
        onValue={setCurrent}
        autoComplete="current-password"
        required
        error={errorFor(apiError, "current_password")}
      />
      <TextField
        label="New password"
        type="password"
        value={next}
        onValue={setNext}
        autoComplete="new-password"
        required
        hint={PASSWORD_HINT}
        error={errorFor(apiError, "new_password")}
      />
      <button type="submit" class="button" aria-disabled={busy}>
        Change password
      </button>
    </form>
  );
}
