// Account: my second factors — passkeys (name, rename, remove), the authenticator app, recovery codes.
import { useState } from "preact/hooks";
import {
  type FactorAdded,
  getFactors,
  newRecoveryCodes,
  removeAuthenticator,
  removePasskey,
} from "../../api/secondFactor";
import { getSession } from "../../api/session";
import { useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { AddPasskey } from "./AddPasskey";
import { AuthenticatorSetUp } from "./AuthenticatorSetUp";
import { PasskeyList } from "./PasskeyList";
import { RecoveryCodes } from "./RecoveryCodes";
import { recentlyProven, useStepUp } from "./StepUp";

type Adding = "passkey" | "app" | null;
type Removing = { kind: "passkey"; id: string; name: string } | { kind: "app" } | null;

export function SecondFactorSection() {
  const { session, replaceSession } = useShell();
  const { data, error, reload } = useLoad(() => getFactors(), []);
  const [adding, setAdding] = useState<Adding>(null);
  const [removing, setRemoving] = useState<Removing>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const stepUp = useStepUp(action.setError);

  async function refresh(message: string) {
    setDone(message);
    await reload();
    replaceSession(await getSession());
  }

  async function added(result: FactorAdded, what: string) {
    setAdding(null);
    replaceSession(result.session);
    if (result.recovery_codes) setCodes(result.recovery_codes);
    await refresh(`${what} added. Your other sessions were signed out.`);
  }

  /** Setting up a factor asks for an existing one first when the last proof is old (the server would refuse). */
  function open(kind: Adding) {
    if (recentlyProven(session.second_factor)) setAdding(kind);
    else stepUp.confirmFirst(async () => setAdding(kind));
  }

  async function guarded(run: () => Promise<void>) {
    setDone(null);
    await action.run(async () => void (await stepUp.guarded(run)));
  }

  if (!data) return error ? <Alert error={error} /> : <Loading />;
  if (!data.offered) return null;
  return (
    <section class="card" aria-labelledby="factor-heading">
      <h2 id="factor-heading">Second factor</h2>
      <p class="hint">
        {data.required ? "Your practice requires a second factor. " : ""}A passkey or an authenticator app confirms it's
        you when you sign in.
      </p>
      <Status message={done} />
      <Alert error={action.error} />
      {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
      <h3>Passkeys</h3>
      <PasskeyList
        passkeys={data.passkeys}
        onRenamed={() => refresh("Passkey renamed.")}
        onRemove={(p) => setRemoving({ kind: "passkey", id: p.id, name: p.name })}
      />
      <h3>Authenticator app</h3>
      <p>{data.authenticator_since ? "Set up." : "Not set up."}</p>
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={() => open("passkey")}>
          Add a passkey
        </button>
        <button type="button" class="button button-secondary" onClick={() => open("app")}>
          {data.authenticator_since ? "Replace authenticator app" : "Set up an authenticator app"}
        </button>
        {data.authenticator_since && (
          <button type="button" class="button button-danger" onClick={() => setRemoving({ kind: "app" })}>
            Remove authenticator app
          </button>
        )}
      </div>
      {adding === "passkey" && <AddPasskey onAdded={(result) => added(result, "Passkey")} />}
      {adding === "app" && <AuthenticatorSetUp onAdded={(result) => added(result, "Authenticator app")} />}
      <h3>Recovery codes</h3>
      <p>{data.recovery_codes_left} unused recovery codes.</p>
      {(data.passkeys.length > 0 || data.authenticator_since) && (
        <button
          type="button"
          class="button button-secondary"
          onClick={() =>
            guarded(async () => {
              setCodes((await newRecoveryCodes()).recovery_codes);
              await refresh("New recovery codes made. The old ones no longer work.");
            })
          }
        >
          Make new recovery codes
        </button>
      )}
      {removing && (
        <ConfirmDialog
          title={removing.kind === "app" ? "Remove the authenticator app?" : `Remove the passkey ${removing.name}?`}
          confirmLabel="Yes, remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const target = removing;
            setRemoving(null);
            return guarded(async () => {
              if (target.kind === "app") await removeAuthenticator();
              else await removePasskey(target.id);
              await refresh("Removed. Your other sessions were signed out.");
            });
          }}
        >
          It will no longer sign you in, and your other sessions will be signed out.
        </ConfirmDialog>
      )}
      {stepUp.dialog}
    </section>
  );
}
