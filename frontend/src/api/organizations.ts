// A practice: creating one, its public profile (sign-in pages), self sign-up, and its portal settings.
import type { Schema } from "./contract";
import { uploadFile } from "./messages";
import { request } from "./request";

export type NewOrganization = Schema<"NewOrganizationRequest">;
export type CreatedOrganization = Schema<"CreatedView">;
export type PublicOrganization = Schema<"PublicProfileView">;
export type Settings = Schema<"SettingsView">;
export type SettingsChange = Schema<"SettingsChangeRequest">;
export type Features = Schema<"Features">;
export type FeatureKey = keyof Features;

export const createOrganization = (body: NewOrganization) => request("post", "/api/organizations", { body });

export const getOrganization = (slug: string) => request("get", "/api/orgs/{slug}", { path: { slug } });

export const signUp = (slug: string, name: string, email: string) =>
  request("post", "/api/orgs/{slug}/sign-up", { path: { slug }, body: { name, email } });

export const getSettings = () => request("get", "/api/organization/settings");

export const updateSettings = (body: SettingsChange) => request("patch", "/api/organization/settings", { body });

// --- branding (administrators): the logo; the accent colour is a setting ---

export type BrandingView = Schema<"BrandingView">;
export const LOGO_TYPES = ["image/png", "image/jpeg"];
export const MAX_LOGO_BYTES = 256 * 1024;

/** Upload the image straight to storage with a ticket, then make it the logo (the server checks its bytes). */
export async function uploadLogo(file: File): Promise<BrandingView> {
  const body = { filename: file.name, content_type: file.type, size: file.size };
  const ticket = await request("post", "/api/organization/logo/uploads", { body });
  await uploadFile(ticket, file);
  return request("put", "/api/organization/logo", { body: { upload_id: ticket.upload_id } });
}

export const removeLogo = () => request("delete", "/api/organization/logo");
