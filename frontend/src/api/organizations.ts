// A practice: creating one, its public profile (sign-in pages), self sign-up, and its portal settings.
import type { Schema } from "./contract";
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
