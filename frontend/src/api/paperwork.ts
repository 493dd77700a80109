// Forms sent to a client (staff side) and the client's signed documents.
import type { Schema } from "./contract";
import { request } from "./request";

export type FormRequest = Schema<"RequestView">;
export type FormRequestStatus = FormRequest["status"];
export type DownloadLink = Schema<"DownloadView">;

export const sendForms = (clientId: string, form_ids: string[]) =>
  request("post", "/api/clients/{client_id}/form-requests", { path: { client_id: clientId }, body: { form_ids } });

export const listFormRequests = (clientId: string) =>
  request("get", "/api/clients/{client_id}/form-requests", { path: { client_id: clientId } });

export const remindFormRequest = (clientId: string, requestId: string) =>
  request("post", "/api/clients/{client_id}/form-requests/{request_id}/reminder", {
    path: { client_id: clientId, request_id: requestId },
  });

export const listDocuments = (clientId: string) =>
  request("get", "/api/clients/{client_id}/documents", { path: { client_id: clientId } });

/** A presigned link valid a few minutes: fetch it right before use, never keep it. */
export const documentLink = (clientId: string, requestId: string, inline = false) =>
  request("get", "/api/clients/{client_id}/documents/{request_id}/download", {
    path: { client_id: clientId, request_id: requestId },
    query: { inline: inline ? "true" : null },
  });
