// Secure messaging: a client's conversation (staff) or one's own (client), attachments, the staff inbox, the
// one-call poll, office hours and mass messages.
import type { Schema } from "./contract";
import { request, send } from "./request";

export type Conversation = Schema<"ConversationView">;
export type Message = Schema<"MessageView">;
export type Attachment = Schema<"AttachmentView">;
export type AttachmentLink = Schema<"AttachmentLinkView">;
export type UploadTicket = Schema<"UploadTicketView">;
export type InboxPage = Schema<"InboxView">;
export type OfficeHours = Schema<"OfficeHoursView">;
export type Campaign = Schema<"CampaignView">;
export type CampaignRequest = Schema<"CampaignRequest">;
export type Poll = Schema<"PollView">;

/** Whose side of a conversation the signed-in person is on. */
export type Side = "staff" | "client";

export const MAX_TEXT = 10_000;
export const MAX_ATTACHMENTS = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const FILE_TYPES = ["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic"];

// --- a conversation, from either side ---

export function getConversation(side: Side, clientId: string, cursor: string | null = null): Promise<Conversation> {
  if (side === "client") return request("get", "/api/portal/messages", { query: { cursor } });
  return request("get", "/api/clients/{client_id}/conversation", { path: { client_id: clientId }, query: { cursor } });
}

export function sendMessage(side: Side, clientId: string, text: string, attachment_ids: string[]) {
  const body = { text, attachment_ids };
  if (side === "client") return request("post", "/api/portal/messages", { body });
  return request("post", "/api/clients/{client_id}/conversation/messages", { path: { client_id: clientId }, body });
}

export function attachmentLink(side: Side, clientId: string, attachmentId: string): Promise<AttachmentLink> {
  if (side === "client") {
    return request("get", "/api/portal/messages/attachments/{attachment_id}", {
      path: { attachment_id: attachmentId },
    });
  }
  return request("get", "/api/clients/{client_id}/conversation/attachments/{attachment_id}", {
    path: { client_id: clientId, attachment_id: attachmentId },
  });
}

export function startUpload(side: Side, file: File): Promise<UploadTicket> {
  const body = { filename: file.name, content_type: file.type, size: file.size };
  if (side === "client") return request("post", "/api/portal/messages/attachments", { body });
  return request("post", "/api/messages/attachments", { body });
}

/** The browser posts the file straight to storage with the ticket's signed fields. */
export async function uploadFile(ticket: UploadTicket, file: File): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append("file", file);
  const response = await fetch(ticket.url, { method: "POST", body: form, credentials: "omit" });
  if (!response.ok) throw new Error(`upload failed (${response.status})`);
}

/** Has anything changed? null when not (the server answered 304 for the ETag we hold). */
export async function poll(side: Side, etag: string | null): Promise<{ etag: string; poll: Poll } | null> {
  const options = { ifNoneMatch: etag ?? undefined };
  const response =
    side === "client"
      ? await send("get", "/api/portal/messages/poll", options)
      : await send("get", "/api/messages/poll", options);
  if (response.status === 304) return null;
  return { etag: response.headers.get("ETag") ?? "", poll: await response.json() };
}

// --- staff only ---

export const getInbox = (cursor: string | null) => request("get", "/api/messages/inbox", { query: { cursor } });

export const getOfficeHours = () => request("get", "/api/messages/office-hours");

export const saveOfficeHours = (body: OfficeHours) => request("put", "/api/messages/office-hours", { body });

export const startCampaign = (body: CampaignRequest) => request("post", "/api/messages/campaigns", { body });

export const listCampaigns = () => request("get", "/api/messages/campaigns");
