// The card form of the payment page: Stripe.js's card element (the card goes to Stripe, never to us), the amount
// where partial payments are allowed, a saved card, and waiting for Stripe's confirmation.
import { useEffect, useRef, useState } from "preact/hooks";
import { type CardSetup, type Invoice, payInvoice } from "../../api/payments";
import { appPath, useShell } from "../../shell/context";
import { Alert, CheckboxField, Status, TextField, useAction } from "../../ui/forms";
import { formatMoney, parseCents } from "./money";
import { type CardElement, type StripeJs, loadStripe, paymentMethodOf } from "./stripeJs";
import { waitUntilPaid } from "./waitUntilPaid";

export function CardForm({ invoice, setup }: { invoice: Invoice; setup: CardSetup }) {
  const { slug } = useShell();
  const mount = useRef<HTMLDivElement>(null);
  const stripe = useRef<StripeJs | null>(null);
  const card = useRef<CardElement | null>(null);
  const [amount, setAmount] = useState((setup.balance_cents / 100).toFixed(2));
  const [useSaved, setUseSaved] = useState(setup.saved_card !== null);
  const [save, setSave] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [paid, setPaid] = useState(false);
  const action = useAction();
  const money = (cents: number) => formatMoney(cents, setup.currency);

  useEffect(() => {
    let cancelled = false;
    loadStripe(setup.stripe_js_url, setup.publishable_key)
      .then((loaded) => {
        if (cancelled || !mount.current) return;
        stripe.current = loaded;
        card.current = loaded.elements().create("card");
        card.current.mount(mount.current);
      })
      .catch((caught: Error) => action.setError(caught.message));
    return () => {
      cancelled = true;
      card.current?.destroy();
    };
  }, [setup.client_secret]);

  async function submit(event: Event) {
    event.preventDefault();
    setOutcome(null);
    const cents = setup.allow_partial ? parseCents(amount) : setup.balance_cents;
    if (cents === null || cents <= 0 || cents > setup.balance_cents) {
      return action.setError(`Enter an amount above zero and at most ${money(setup.balance_cents)}.`);
    }
    await action.run(async () => {
      let method: string | null = null;
      if (!useSaved) {
        if (!stripe.current || !card.current) throw new Error("The card form is still loading.");
        const confirmed = await stripe.current.confirmCardSetup(setup.client_secret, {
          payment_method: { card: card.current },
        });
        if (confirmed.error) throw new Error(confirmed.error.message ?? "The card could not be used.");
        method = paymentMethodOf(confirmed);
      }
      const result = await payInvoice(invoice.id, {
        amount_cents: cents,
        payment_method: method,
        use_saved_card: useSaved,
        save_card: !useSaved && save,
      });
      if (result.client_secret && stripe.current) {
        const authenticated = await stripe.current.confirmCardPayment(result.client_secret);
        if (authenticated.error)
          throw new Error(authenticated.error.message ?? "Your bank did not confirm the payment.");
      }
      setOutcome(`Thank you. Your payment of ${money(cents)} was received and is being confirmed.`);
      setPaid(await waitUntilPaid(invoice.id, invoice.paid_cents + cents));
    });
  }

  if (outcome) {
    return (
      <>
        <Status
          message={
            paid ? `Payment received: ${money(invoice.total_cents - invoice.paid_cents)} paid. Thank you.` : outcome
          }
        />
        <p>A receipt is on its way to your email.</p>
        <p>
          <a class="button" href={appPath(slug, `invoices/${encodeURIComponent(invoice.id)}`)}>
            {paid ? "See your receipt" : "See the invoice"}
          </a>
        </p>
      </>
    );
  }

  return (
    <form onSubmit={submit} noValidate class="card pay-form">
      <p>
        Balance due: <strong>{money(setup.balance_cents)}</strong>
      </p>
      <Alert error={action.error} fields={[]} />
      {setup.allow_partial && (
        <TextField
          label="Amount to pay"
          value={amount}
          onValue={setAmount}
          hint={`Up to ${money(setup.balance_cents)}`}
        />
      )}
      {setup.saved_card && (
        <CheckboxField
          label={`Use my saved card ending ${setup.saved_card.last4}`}
          checked={useSaved}
          onChecked={setUseSaved}
        />
      )}
      <div hidden={useSaved}>
        <div class="field">
          <p class="field-label" id="card-label">
            Card
          </p>
          <div ref={mount} class="card-element" role="group" aria-labelledby="card-label" />
        </div>
        <CheckboxField
          label="Save this card for later payments"
          checked={save}
          onChecked={setSave}
          description="Stored by Stripe, not by the portal. You can remove it any time."
        />
      </div>
      <div class="actions">
        <button type="submit" class="button" aria-disabled={action.busy}>
          Pay {money((setup.allow_partial ? parseCents(amount) : null) ?? setup.balance_cents)}
        </button>
      </div>
    </form>
  );
}
