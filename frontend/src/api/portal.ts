// The client's own portal: home, paperwork to fill in and sign, signed copies.
import type { Refine, Schema } from "./contract";
import type { Answers, FormDefinition } from "./formDefinition";
import { request } from "./request";

export type PortalHome = Schema<"HomeView">;
export type OpenFormRequest = Refine<Schema<"OpenRequestView">, { definition: FormDefinition; answers: Answers }>;

export const getPortalHome = () => request("get", "/api/portal/home");

export const listMyFormRequests = () => request("get", "/api/portal/form-requests");

export const openMyFormRequest = (id: string) =>
  request("get", "/api/portal/form-requests/{request_id}", { path: { request_id: id } }) as Promise<OpenFormRequest>;

export const saveAnswers = (id: string, answers: Answers) =>
  request("put", "/api/portal/form-requests/{request_id}/answers", { path: { request_id: id }, body: { answers } });

export const consentToSign = (id: string, disclosure_version: string) =>
  request("post", "/api/portal/form-requests/{request_id}/consent", {
    path: { request_id: id },
    body: { disclosure_version, agree: true },
  });

/** `drawn`: an optional drawn signature, a PNG data URL, in addition to the typed name. */
export const signForm = (id: string, full_name: string, answers: Answers, drawn: string | null = null) =>
  request("post", "/api/portal/form-requests/{request_id}/signature", {
    path: { request_id: id },
    body: { full_name, attested: true, answers, drawn_signature: drawn },
  });

/** The client's own signed copy: a presigned link valid a few minutes. */
export const myDocumentLink = (id: string, inline = false) =>
  request("get", "/api/portal/documents/{request_id}/download", {
    path: { request_id: id },
    query: { inline: inline ? "true" : null },
  });

/** The client's own time zone: the one their times are shown in. */
export const changeMyTimeZone = (time_zone: string) => request("patch", "/api/portal/account", { body: { time_zone } });
