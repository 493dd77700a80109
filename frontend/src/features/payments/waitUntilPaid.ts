// After paying: Stripe's confirmation reaches the portal within seconds (its webhook). Ask until the invoice shows
// the payment, for a little while; the page says "being confirmed" if it takes longer.
import { getMyInvoice } from "../../api/payments";

export async function waitUntilPaid(invoiceId: string, paidCents: number, tries = 20): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const invoice = await getMyInvoice(invoiceId);
    if (invoice.paid_cents >= paidCents) return true;
  }
  return false;
}
