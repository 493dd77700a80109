// Money is integer cents everywhere: shown formatted, typed as text and parsed without floating point.
import type { InvoiceStatus } from "../../api/payments";

export function formatMoney(cents: number, currency = "usd"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
}

/** "150", "150.5", "1,150.00" → cents; null when it is not an amount with at most two decimals. */
export function parseCents(text: string): number | null {
  const cleaned = text.replace(/[,\s$]/g, "");
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

export const INVOICE_STATUS_NAMES: Record<InvoiceStatus, string> = {
  draft: "Draft",
  open: "Open",
  paid: "Paid",
  refunded: "Refunded",
  void: "Void",
};

export function invoiceTitle(invoice: { number: number | null }): string {
  return invoice.number ? `Invoice ${invoice.number}` : "Draft invoice";
}
