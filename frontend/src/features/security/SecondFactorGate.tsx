// What a session sees before its second factor is proven (or set up): nothing of the practice, only this.
import { useState } from "preact/hooks";
import type { FactorAdded } from "../../api/secondFactor";
import type { SessionView } from "../../api/session";
import { passkeysSupported } from "../../api/webauthn";
import { PageHeading } from "../../ui/layout";
import { AddPasskey } from "./AddPasskey";
import { AuthenticatorSetUp } from "./AuthenticatorSetUp";
import { ProveFactor } from "./ProveFactor";
import { RecoveryCodes } from "./RecoveryCodes";

interface GateProps {
  session: SessionView;
  onComplete: (session: SessionView, note?: string) => void;
}

export default function SecondFactorGate({ session, onComplete }: GateProps) {
  return session.second_factor.stage === "verify" ? (
    <Verify session={session} onComplete={onComplete} />
  ) : (
    <SetUp session={session} onComplete={onComplete} />
  );
}

function Verify({ session, onComplete }: GateProps) {
  return (
    <>
      <PageHeading title="Confirm it's you">Confirm it's you</PageHeading>
      <p>Your account has a second factor. Use it to finish signing in to {session.organization.name}.</p>
      <section class="card">
        <ProveFactor factors={session.second_factor} onProven={onComplete} />
      </section>
    </>
  );
}

function SetUp({ session, onComplete }: GateProps) {
  const [method, setMethod] = useState<"app" | "passkey" | null>(null);
  const [added, setAdded] = useState<FactorAdded | null>(null);

  if (added?.recovery_codes) {
    return <RecoveryCodes codes={added.recovery_codes} onDone={() => onComplete(added.session)} />;
  }
  const done = (result: FactorAdded) => (result.recovery_codes ? setAdded(result) : onComplete(result.session));
  return (
    <>
      <PageHeading title="Set up a second factor">Set up a second factor</PageHeading>
      <p>
        {session.organization.name} asks everyone who can see client records to confirm it's them with something besides
        a password. Choose how:
      </p>
      <div class="actions">
        {passkeysSupported() && (
          <button type="button" class="button" aria-pressed={method === "passkey"} onClick={() => setMethod("passkey")}>
            Use a passkey
          </button>
        )}
        <button
          type="button"
          class="button button-secondary"
          aria-pressed={method === "app"}
          onClick={() => setMethod("app")}
        >
          Use an authenticator app
        </button>
      </div>
      {method === "passkey" && (
        <section class="card" aria-label="Passkey">
          <h2>Create a passkey</h2>
          <p>Your device will ask for your fingerprint, face, PIN or security key.</p>
          <AddPasskey onAdded={done} />
        </section>
      )}
      {method === "app" && (
        <section class="card" aria-label="Authenticator app">
          <h2>Set up an authenticator app</h2>
          <AuthenticatorSetUp onAdded={done} />
        </section>
      )}
    </>
  );
}
