// Seats of the portal subscription, and what the signed-in staff member may use.
import type { Schema } from "./contract";
import { request } from "./request";

export type Subscription = Schema<"SubscriptionView">;

export const getSubscription = () => request("get", "/api/subscription");

export const addSeat = (staffId: string) =>
  request("put", "/api/subscription/seats/{staff_id}", { path: { staff_id: staffId } });

export const removeSeat = (staffId: string) =>
  request("delete", "/api/subscription/seats/{staff_id}", { path: { staff_id: staffId } });

export const getEntitlements = () => request("get", "/api/entitlements");
