import { useState } from "preact/hooks";
import { toApiError } from "../../api/errors";
import { type SecondFactor, redeemRecoveryCode, verifyCode, verifyPasskey } from "../../api/secondFactor";
import type { SessionView } from "../../api/session";
import { PasskeyCancelled, passkeysSupported } from "../../api/webauthn";
import { Alert, useAction } from "../../ui/forms";
import { CodeForm } from "./CodeForm";

interface ProveFactorProps {
  factors: SecondFactor;
  onProven: (session: SessionView, note?: string) => void;
}

/** The ways to confirm it's you: a passkey, a code from the authenticator app, or a recovery code. */
export function ProveFactor({ factors, onProven }: ProveFactorProps) {
  const [recovery, setRecovery] = useState(!factors.authenticator && !factors.passkeys);
  const { busy, error, setError, run } = useAction();

  async function usePasskey() {
    await run(async () => {
      try {
        onProven(await verifyPasskey());
      } catch (caught) {
        if (caught instanceof PasskeyCancelled) return setError(caught.message);
        throw toApiError(caught);
      }
    });
  }

  async function useRecovery(code: string) {
    const used = await redeemRecoveryCode(code);
    const left = used.recovery_codes_left;
    onProven(used.session, `Recovery code accepted. You have ${left} recovery code${left === 1 ? "" : "s"} left.`);
  }

  return (
    <div class="stack">
      <Alert error={error} />
      {factors.passkeys && passkeysSupported() && !recovery && (
        <button type="button" class="button" aria-disabled={busy} onClick={usePasskey}>
          Use a passkey
        </button>
      )}
      {factors.authenticator && !recovery && (
        <CodeForm
          kind="totp"
          label="Code from your authenticator app"
          hint="The 6-digit code your app shows now."
          submitLabel="Confirm"
          onCode={async (code) => onProven(await verifyCode(code))}
        />
      )}
      {recovery ? (
        <CodeForm
          kind="recovery"
          label="Recovery code"
          hint="One of the ten codes you saved when you set up your second factor. Each works once."
          submitLabel="Use recovery code"
          onCode={useRecovery}
        />
      ) : (
        <p>
          <button type="button" class="link-button" onClick={() => setRecovery(true)}>
            Use a recovery code instead
          </button>
        </p>
      )}
    </div>
  );
}
