// The signed-in app's sections: address, navigation label, who may open it, and its screen (loaded on first use).
import type { ComponentType } from "preact";
import type { FeatureKey } from "../api/organizations";
import type { Role } from "../api/session";
import { lazy } from "../lazy";
import type { NavItem } from "./Navigation";

/** Who may open a section. */
type Access = "everyone" | "staff" | "administrator" | "client";

/** A section screen gets the rest of a "base/*" address (a record's id) as `param`. */
export type ScreenProps = { param: string };

export interface Section extends NavItem {
  screen: ComponentType<ScreenProps>;
  access: Access;
  /** Reached through links only, never listed in the navigation. */
  unlisted?: boolean;
  /** Listed and opened only while the signed-in person may use this feature (switch, and seat for staff). */
  feature?: FeatureKey;
}

const screen = (load: () => Promise<{ default: ComponentType<ScreenProps> }>) => lazy<ScreenProps>(load);

export const SECTIONS: Section[] = [
  { path: "", label: "Home", screen: screen(() => import("../features/practice/StaffHome")), access: "staff" },
  { path: "", label: "Home", screen: screen(() => import("../features/portal/ClientHome")), access: "client" },
  {
    path: "clients",
    label: "Clients",
    screen: screen(() => import("../features/clients/ClientsScreen")),
    access: "staff",
  },
  {
    path: "clients/*",
    label: "Client",
    screen: screen(() => import("../features/clients/ClientDetails")),
    access: "staff",
    unlisted: true,
  },
  {
    path: "schedule",
    label: "Schedule",
    screen: screen(() => import("../features/scheduling/ScheduleScreen")),
    access: "staff",
    feature: "self_scheduling",
  },
  {
    path: "booking-settings",
    label: "Booking settings",
    screen: screen(() => import("../features/scheduling/BookingSettingsScreen")),
    access: "staff",
    feature: "self_scheduling",
    unlisted: true,
  },
  {
    path: "book",
    label: "Book a session",
    screen: screen(() => import("../features/scheduling/BookScreen")),
    access: "client",
    feature: "self_scheduling",
  },
  {
    path: "appointments",
    label: "Appointments",
    screen: screen(() => import("../features/scheduling/MyAppointments")),
    access: "client",
    feature: "self_scheduling",
  },
  {
    path: "messages",
    label: "Messages",
    screen: screen(() => import("../features/messaging/StaffInbox")),
    access: "staff",
    feature: "messaging",
  },
  {
    path: "messages/*",
    label: "Conversation",
    screen: screen(() => import("../features/messaging/StaffConversation")),
    access: "staff",
    feature: "messaging",
    unlisted: true,
  },
  {
    path: "messages",
    label: "Messages",
    screen: screen(() => import("../features/messaging/ClientMessages")),
    access: "client",
    feature: "messaging",
  },
  {
    path: "mass-message",
    label: "Mass message",
    screen: screen(() => import("../features/messaging/MassMessage")),
    access: "administrator",
    feature: "messaging",
    unlisted: true,
  },
  {
    path: "auto-reply",
    label: "After-hours auto-reply",
    screen: screen(() => import("../features/messaging/OfficeHoursScreen")),
    access: "staff",
    feature: "messaging",
    unlisted: true,
  },
  {
    path: "forms",
    label: "Intake forms",
    screen: screen(() => import("../features/forms/FormsScreen")),
    access: "administrator",
  },
  // "forms/{id}": the builder for administrators, the filling screen (by request id) for clients.
  {
    path: "forms/*",
    label: "Intake form",
    screen: screen(() => import("../features/forms/builder/FormBuilder")),
    access: "administrator",
    unlisted: true,
  },
  {
    path: "forms/*",
    label: "Form",
    screen: screen(() => import("../features/portal/fill/FillForm")),
    access: "client",
    unlisted: true,
  },
  {
    path: "payments",
    label: "Payments",
    screen: screen(() => import("../features/payments/PaymentsScreen")),
    access: "staff",
  },
  {
    path: "invoices",
    label: "Invoices",
    screen: screen(() => import("../features/payments/MyInvoices")),
    access: "client",
  },
  {
    path: "invoices/*",
    label: "Invoice",
    screen: screen(() => import("../features/payments/InvoicePage")),
    access: "client",
    unlisted: true,
  },
  // Its own document with its own CSP (Stripe.js): reached by a full page load (router.ts).
  {
    path: "pay/*",
    label: "Pay",
    screen: screen(() => import("../features/payments/PayScreen")),
    access: "client",
    unlisted: true,
  },
  {
    path: "settings",
    label: "Portal settings",
    screen: screen(() => import("../features/practice/SettingsScreen")),
    access: "administrator",
  },
  {
    path: "staff",
    label: "Staff",
    screen: screen(() => import("../features/staff/StaffScreen")),
    access: "administrator",
  },
  {
    path: "subscription",
    label: "Subscription",
    screen: screen(() => import("../features/subscription/SubscriptionScreen")),
    access: "administrator",
  },
  {
    path: "audit",
    label: "Audit log",
    screen: screen(() => import("../features/audit/AuditLog")),
    access: "administrator",
  },
  {
    path: "account",
    label: "Account",
    screen: screen(() => import("../features/account/AccountScreen")),
    access: "everyone",
  },
];

export function mayOpen(access: Access, role: Role): boolean {
  if (access === "everyone") return true;
  if (role === "client") return access === "client";
  return access === "staff" || (access === "administrator" && role === "administrator");
}

/** "clients/cli_1" → the "clients/*" section with param "cli_1"; deeper addresses match nothing. */
export function route(section: string): { pattern: string; param: string } {
  const parts = section.split("/");
  if (parts.length === 1) return { pattern: section, param: "" };
  if (parts.length === 2 && parts[1]) return { pattern: `${parts[0]}/*`, param: parts[1] };
  return { pattern: section, param: "" };
}
