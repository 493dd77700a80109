// Client records and their portal accounts (invitation, access).
import type { Schema } from "./contract";
import { request } from "./request";

export type Client = Schema<"ClientView">;
export type ClientSummary = Schema<"ClientSummary">;
export type PortalStatus = Client["portal"]["status"];
/** Optional fields left empty are not sent; `therapist_ids` is for administrators only. */
export type NewClient = Schema<"NewClientRequest">;
/** Only the changed fields; an empty string clears an optional one. */
export type ClientChange = Schema<"ClientChangeRequest">;
export type Invitation = Schema<"InvitationRequest">;

// A search term is a client's name or email: it goes in the body, never in the URL.
export const listClients = (q: string, cursor: string | null) =>
  q ? request("post", "/api/clients/search", { body: { q } }) : request("get", "/api/clients", { query: { cursor } });

export const createClient = (body: NewClient) => request("post", "/api/clients", { body });

export const getClient = (id: string) => request("get", "/api/clients/{client_id}", { path: { client_id: id } });

export const updateClient = (id: string, body: ClientChange) =>
  request("patch", "/api/clients/{client_id}", { path: { client_id: id }, body });

export const inviteClient = (id: string, body: Invitation) =>
  request("post", "/api/clients/{client_id}/invitation", { path: { client_id: id }, body });

export const disablePortalAccess = (id: string) =>
  request("post", "/api/clients/{client_id}/portal-access/disable", { path: { client_id: id } });

export const enablePortalAccess = (id: string) =>
  request("post", "/api/clients/{client_id}/portal-access/enable", { path: { client_id: id } });

/** Whether another portal account or client record of the practice uses this email (never whose). */
export const checkEmail = (email: string, clientId?: string) =>
  request("post", "/api/clients/email-check", { body: { email, client_id: clientId ?? null } });
