// The practice's own Stripe account (administrators): its keys go in once and are never shown again.
import { useState } from "preact/hooks";
import { getConnection, saveConnection } from "../../api/payments";
import { Alert, CheckboxField, Status, TextField, errorFor, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";

export function ConnectionForm() {
  const connection = useLoad(() => getConnection(), []);
  const [secretKey, setSecretKey] = useState("");
  const [publishableKey, setPublishableKey] = useState("");
  const [webhookSecret, setWebhookSecret] = useState("");
  const [partial, setPartial] = useState<boolean | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, apiError, run } = useAction();
  const current = connection.data;
  const allowPartial = partial ?? current?.allow_partial ?? false;

  async function submit(event: Event) {
    event.preventDefault();
    setDone(null);
    await run(async () => {
      const saved = await saveConnection({
        secret_key: secretKey || null,
        publishable_key: publishableKey || null,
        webhook_secret: webhookSecret || null,
        allow_partial: allowPartial,
        currency: (current?.currency ?? "usd") as "usd",
      });
      connection.setData(saved);
      setSecretKey("");
      setWebhookSecret("");
      setDone("Saved. Card payments go to this Stripe account.");
    });
  }

  return (
    <section class="card" aria-labelledby="stripe-heading">
      <h2 id="stripe-heading">Your Stripe account</h2>
      <Status message={done} />
      {!current ? (
        connection.error ? (
          <Alert error={connection.error} />
        ) : (
          <Loading />
        )
      ) : (
        <form onSubmit={submit} noValidate>
          <p>
            {current.connected
              ? `Connected (${current.live ? "live" : "test"} mode, key ending ${current.key_hint}). Leave a key empty to keep it.`
              : "Card payments go straight to your practice's own Stripe account. Paste its keys from the Stripe dashboard."}
          </p>
          <p class="hint">
            In Stripe, add a webhook endpoint for <code>{current.webhook_url}</code> with the events
            payment_intent.succeeded, payment_intent.payment_failed and payment_intent.canceled, and paste its signing
            secret below.
          </p>
          <Alert error={error} fields={["secret_key", "publishable_key", "webhook_secret"]} />
          <TextField
            label="Restricted or secret key"
            type="password"
            value={secretKey}
            onValue={setSecretKey}
            autoComplete="off"
            error={errorFor(apiError, "secret_key")}
          />
          <TextField
            label="Publishable key"
            value={publishableKey}
            onValue={setPublishableKey}
            autoComplete="off"
            hint={current.publishable_key ? `Now ${current.publishable_key}` : undefined}
            error={errorFor(apiError, "publishable_key")}
          />
          <TextField
            label="Webhook signing secret"
            type="password"
            value={webhookSecret}
            onValue={setWebhookSecret}
            autoComplete="off"
            error={errorFor(apiError, "webhook_secret")}
          />
          <CheckboxField
            label="Allow partial payments"
            checked={allowPartial}
            onChecked={setPartial}
            description="Clients may pay part of a balance; otherwise they pay it in full."
          />
          <div class="actions">
            <button type="submit" class="button" aria-disabled={busy}>
              Save
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
