import { useState } from "preact/hooks";
import { ApiError } from "../../api/errors";
import { changeMyTimeZone } from "../../api/portal";
import { changePassword, getSession } from "../../api/session";
import { ROLE_NAMES, useShell } from "../../shell/context";
import { Alert, PASSWORD_HINT, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { PageHeading } from "../../ui/layout";
import { zoneName } from "../../ui/readerZone";
import { TimeZoneSelect } from "../../ui/TimeZoneSelect";
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
      {principal.role === "client" ? (
        <MyTimeZone />
      ) : (
        <p class="hint">
          Times are shown in your practice's time zone, {zoneName(organization.time_zone)}
          {principal.role === "administrator" ? " (set in Portal settings)" : ""}.
        </p>
      )}
      <ChangePassword />
      <SecondFactorSection />
    </>
  );
}

/** A client chooses the zone their times are shown in (their practice's until they do). */
function MyTimeZone() {
  const { session, replaceSession } = useShell();
  const [zone, setZone] = useState(session.time_zone);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();

  async function submit(event: Event) {
    event.preventDefault();
    setSaved(null);
    await run(async () => {
      const changed = await changeMyTimeZone(zone);
      replaceSession({ ...session, time_zone: changed.time_zone });
      setSaved(`Times are now shown in ${zoneName(changed.time_zone)}.`);
    });
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="zone-heading">
      <h2 id="zone-heading">Your time zone</h2>
      <p>Appointments, messages and documents show their times in this zone.</p>
      <Status message={saved} />
      <Alert error={error} fields={["time_zone"]} />
      <TimeZoneSelect value={zone} onValue={setZone} error={errorFor(apiError, "time_zone")} />
      <button type="submit" class="button" aria-disabled={busy}>
        Save time zone
      </button>
    </form>
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
