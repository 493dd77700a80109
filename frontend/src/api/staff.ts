// The practice's staff: administrators and therapists.
import type { Schema } from "./contract";
import { request } from "./request";

export type Staff = Schema<"StaffView">;
export type StaffRole = Staff["role"];
export type NewStaff = Schema<"NewStaffRequest">;
export type StaffChange = Schema<"StaffChangeRequest">;

export const listStaff = (cursor: string | null) => request("get", "/api/staff", { query: { cursor } });

export const getStaff = (id: string) => request("get", "/api/staff/{staff_id}", { path: { staff_id: id } });

export const inviteStaff = (body: NewStaff) => request("post", "/api/staff", { body });

export const updateStaff = (id: string, body: StaffChange) =>
  request("patch", "/api/staff/{staff_id}", { path: { staff_id: id }, body });

export const deactivateStaff = (id: string) =>
  request("post", "/api/staff/{staff_id}/deactivate", { path: { staff_id: id } });

export const reactivateStaff = (id: string) =>
  request("post", "/api/staff/{staff_id}/reactivate", { path: { staff_id: id } });

export const resendInvitation = (id: string) =>
  request("post", "/api/staff/{staff_id}/invitation", { path: { staff_id: id } });
