// Saved messages for client invitations.
import type { Schema } from "./contract";
import { request } from "./request";

export type InvitationTemplate = Schema<"TemplateView">;
export type TemplateChange = Schema<"TemplateChangeRequest">;

export const listInvitationTemplates = () => request("get", "/api/invitation-templates");

export const createInvitationTemplate = (name: string, message: string) =>
  request("post", "/api/invitation-templates", { body: { name, message } });

export const updateInvitationTemplate = (id: string, body: TemplateChange) =>
  request("patch", "/api/invitation-templates/{template_id}", { path: { template_id: id }, body });

export const deleteInvitationTemplate = (id: string) =>
  request("delete", "/api/invitation-templates/{template_id}", { path: { template_id: id } });
