import { useEffect, useState } from "preact/hooks";
import { toApiError } from "../../api/errors";
import {
  type AuthenticatorSetUp as SetUp,
  type FactorAdded,
  beginAuthenticator,
  confirmAuthenticator,
} from "../../api/secondFactor";
import { Alert } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { CodeForm } from "./CodeForm";

/** Scan the QR code (or type the secret), then confirm with the first code the app shows. */
export function AuthenticatorSetUp({ onAdded }: { onAdded: (added: FactorAdded) => void }) {
  const [setUp, setSetUp] = useState<SetUp | null>(null);
  const [error, setError] = useState<ReturnType<typeof toApiError> | null>(null);

  useEffect(() => {
    beginAuthenticator().then(setSetUp, (caught) => setError(toApiError(caught)));
  }, []);

  if (error) return <Alert error={error} />;
  if (!setUp) return <Loading />;
  const grouped = setUp.secret.match(/.{1,4}/g)?.join(" ") ?? setUp.secret;
  return (
    <div class="stack">
      <ol class="steps">
        <li>
          Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or
          1Password).
        </li>
        <li>
          Scan this QR code with it:
          <div
            class="qr-code"
            role="img"
            aria-label="QR code for your authenticator app"
            dangerouslySetInnerHTML={{ __html: setUp.qr_svg }}
          />
          Or type this key instead: <code class="secret">{grouped}</code>
        </li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <CodeForm
        kind="totp"
        label="Code from your authenticator app"
        submitLabel="Turn on"
        onCode={async (code) => onAdded(await confirmAuthenticator(code))}
      />
    </div>
  );
}
