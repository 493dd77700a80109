// Stripe.js, loaded only on the payment page (whose document's CSP allows its origin and nothing else extra).
// Locally it is the embedded fake server's Stripe.js; the same calls work against Stripe's.

export interface CardElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}

interface StripeResult {
  error?: { message?: string } | null;
  setupIntent?: { payment_method: string | { id: string } };
  paymentIntent?: { status: string };
}

export interface StripeJs {
  elements(): { create(type: "card", options?: object): CardElement };
  confirmCardSetup(secret: string, data: { payment_method: { card: CardElement } }): Promise<StripeResult>;
  confirmCardPayment(secret: string): Promise<StripeResult>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

let loading: Promise<void> | null = null;

export function loadStripe(url: string, publishableKey: string): Promise<StripeJs> {
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => {
      loading = null;
      reject(new Error("The card form could not be loaded. Check your connection and reload the page."));
    };
    document.head.appendChild(script);
  });
  return loading.then(() => {
    if (!window.Stripe) throw new Error("The card form could not be loaded. Reload the page.");
    return window.Stripe(publishableKey);
  });
}

export function paymentMethodOf(result: StripeResult): string | null {
  const method = result.setupIntent?.payment_method;
  if (!method) return null;
  return typeof method === "string" ? method : method.id;
}
