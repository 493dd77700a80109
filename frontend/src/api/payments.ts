// Invoices and card payments: staff (a client's invoices, refunds, the practice's Stripe connection, open invoices,
// received payments) and clients (their invoices, paying by card).
import type { Schema } from "./contract";
import { request } from "./request";

export type Invoice = Schema<"InvoiceView">;
export type InvoiceStatus = Invoice["status"];
export type Payment = Schema<"PaymentView">;
export type BillableAppointment = Schema<"BillableAppointmentView">;
export type InvoiceLineInput = Schema<"LineInput">;
export type Connection = Schema<"ConnectionView">;
export type ConnectionRequest = Schema<"ConnectionRequest">;
export type CardSetup = Schema<"CardSetupView">;
export type PayRequest = Schema<"PayRequest">;

// ------------------------------------------------------------------------------------------------- staff

export const listClientInvoices = (clientId: string) =>
  request("get", "/api/clients/{client_id}/invoices", { path: { client_id: clientId } });

export const createInvoice = (
  clientId: string,
  lines: InvoiceLineInput[],
  notes: string | null,
  appointmentIds: string[] = [],
) =>
  request("post", "/api/clients/{client_id}/invoices", {
    path: { client_id: clientId },
    body: { lines, notes, appointment_ids: appointmentIds },
  });

export const listBillableAppointments = (clientId: string) =>
  request("get", "/api/clients/{client_id}/billable-appointments", { path: { client_id: clientId } });

export const issueInvoice = (clientId: string, invoiceId: string) =>
  request("post", "/api/clients/{client_id}/invoices/{invoice_id}/issue", {
    path: { client_id: clientId, invoice_id: invoiceId },
  });

export const voidInvoice = (clientId: string, invoiceId: string) =>
  request("post", "/api/clients/{client_id}/invoices/{invoice_id}/void", {
    path: { client_id: clientId, invoice_id: invoiceId },
  });

export const refundPayment = (clientId: string, invoiceId: string, payment_id: string, amount_cents: number) =>
  request("post", "/api/clients/{client_id}/invoices/{invoice_id}/refunds", {
    path: { client_id: clientId, invoice_id: invoiceId },
    body: { payment_id, amount_cents },
  });

/** A presigned link valid a few minutes: fetch it right before use, never keep it. */
export const staffInvoicePdf = (clientId: string, invoiceId: string) =>
  request("get", "/api/clients/{client_id}/invoices/{invoice_id}/pdf", {
    path: { client_id: clientId, invoice_id: invoiceId },
  });

export const getConnection = () => request("get", "/api/payments/connection");

export const saveConnection = (body: ConnectionRequest) => request("put", "/api/payments/connection", { body });

export const listOpenInvoices = () => request("get", "/api/payments/open-invoices");

export const listRecentPayments = () => request("get", "/api/payments/recent");

// ------------------------------------------------------------------------------------------------ client

export const listMyInvoices = () => request("get", "/api/portal/invoices");

export const getMyInvoice = (invoiceId: string) =>
  request("get", "/api/portal/invoices/{invoice_id}", { path: { invoice_id: invoiceId } });

export const myInvoicePdf = (invoiceId: string) =>
  request("get", "/api/portal/invoices/{invoice_id}/pdf", { path: { invoice_id: invoiceId } });

export const startCardSetup = (invoiceId: string) =>
  request("post", "/api/portal/invoices/{invoice_id}/card-setup", { path: { invoice_id: invoiceId } });

export const payInvoice = (invoiceId: string, body: PayRequest) =>
  request("post", "/api/portal/invoices/{invoice_id}/payments", { path: { invoice_id: invoiceId }, body });

export const forgetSavedCard = () => request("delete", "/api/portal/saved-card");
