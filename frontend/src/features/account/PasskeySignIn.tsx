import { toApiError } from "../../api/errors";
import { signInWithPasskey } from "../../api/secondFactor";
import { PasskeyCancelled } from "../../api/webauthn";
import { navigate } from "../../router";
import { Alert, useAction } from "../../ui/forms";

/** Signing in with a passkey alone (where the practice allows it): the browser lists the passkeys for this portal. */
export function PasskeySignIn({ slug }: { slug: string }) {
  const { busy, error, setError, run } = useAction();

  async function go() {
    await run(async () => {
      try {
        const session = await signInWithPasskey(slug);
        navigate(`/o/${session.organization.slug}/app`);
      } catch (caught) {
        if (caught instanceof PasskeyCancelled) return setError(caught.message);
        throw toApiError(caught);
      }
    });
  }

  return (
    <section class="card" aria-labelledby="passkey-heading">
      <h2 id="passkey-heading">Or use a passkey</h2>
      {/* Only while there is something to say: the password form above owns the page's alert region. */}
      {error && <Alert error={error} />}
      <button type="button" class="button button-secondary" aria-disabled={busy} onClick={go}>
        Continue with a passkey
      </button>
    </section>
  );
}
