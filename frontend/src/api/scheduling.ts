// Self-scheduling: a therapist's booking settings, calendar, requests and feed; a client's appointments (staff
// side); booking, appointments and the waitlist in the portal.
import type { Schema } from "./contract";
import { request } from "./request";

export type BookingSettings = Schema<"BookingSettingsView">;
export type SettingsBody = Schema<"BookingSettingsModel">;
export type Service = Schema<"ServiceView">;
export type WeeklyHours = Schema<"WeeklyModel">;
export type DateOverride = Schema<"OverrideModel">;
export type Appointment = Schema<"AppointmentView">;
export type ClientAppointment = Schema<"ClientAppointmentView">;
export type AppointmentStatus = Appointment["status"];
export type Therapist = Schema<"TherapistView">;
export type SlotPage = Schema<"SlotPageView">;
export type Waitlist = Schema<"WaitlistView">;
export type TimeOfDay = NonNullable<Schema<"JoinRequest">["time_of_day"]>;
export type Feed = Schema<"FeedView">;

// --- staff: own settings, calendar, requests, feed ---

export const getBookingSettings = () => request("get", "/api/scheduling/settings");
export const saveBookingSettings = (body: SettingsBody) => request("put", "/api/scheduling/settings", { body });
export const getWeek = (start: string, days = 7) =>
  request("get", "/api/scheduling/calendar", { query: { start, days: String(days) } });
export const getRequests = () => request("get", "/api/scheduling/requests");
export const getFeed = () => request("get", "/api/scheduling/feed");
export const issueFeed = (include_client_names: boolean) =>
  request("post", "/api/scheduling/feed", { body: { include_client_names } });
export const revokeFeed = () => request("delete", "/api/scheduling/feed");

// --- staff: a client's appointments ---

const one = (clientId: string, appointmentId: string) => ({ client_id: clientId, appointment_id: appointmentId });

export const listClientAppointments = (clientId: string) =>
  request("get", "/api/clients/{client_id}/appointments", { path: { client_id: clientId } });
export const makeAppointment = (clientId: string, body: Schema<"NewAppointmentRequest">) =>
  request("post", "/api/clients/{client_id}/appointments", { path: { client_id: clientId }, body });
export const confirmAppointment = (clientId: string, id: string) =>
  request("post", "/api/clients/{client_id}/appointments/{appointment_id}/confirm", { path: one(clientId, id) });
export const declineAppointment = (clientId: string, id: string, reason: string) =>
  request("post", "/api/clients/{client_id}/appointments/{appointment_id}/decline", {
    path: one(clientId, id),
    body: { reason },
  });
export const cancelAppointment = (clientId: string, id: string, reason: string | null) =>
  request("post", "/api/clients/{client_id}/appointments/{appointment_id}/cancel", {
    path: one(clientId, id),
    body: { reason },
  });
export const moveAppointment = (clientId: string, id: string, start: string) =>
  request("post", "/api/clients/{client_id}/appointments/{appointment_id}/move", {
    path: one(clientId, id),
    body: { start },
  });
export const markAppointment = (clientId: string, id: string, outcome: "attended" | "no_show" | "late_cancelled") =>
  request("post", "/api/clients/{client_id}/appointments/{appointment_id}/outcome", {
    path: one(clientId, id),
    body: { outcome },
  });

// --- the client's own ---

export const getBookingHome = () => request("get", "/api/portal/scheduling");
export const getSlots = (therapist_id: string, service_id: string, start: string | null, days = 7) =>
  request("get", "/api/portal/slots", { query: { therapist_id, service_id, start, days: String(days) } });
export const bookAppointment = (therapist_id: string, service_id: string, start: string) =>
  request("post", "/api/portal/appointments", { body: { therapist_id, service_id, start } });
export const listMyAppointments = () => request("get", "/api/portal/appointments");
export const cancelMyAppointment = (id: string) =>
  request("post", "/api/portal/appointments/{appointment_id}/cancel", { path: { appointment_id: id }, body: {} });
export const rescheduleMyAppointment = (id: string, start: string) =>
  request("post", "/api/portal/appointments/{appointment_id}/reschedule", {
    path: { appointment_id: id },
    body: { start },
  });
/** The .ics file of one of the client's appointments (a same-origin link: the session cookie goes with it). */
export const appointmentFileUrl = (id: string) => `/api/portal/appointments/${encodeURIComponent(id)}/calendar`;
export const getWaitlist = () => request("get", "/api/portal/waitlist");
export const joinWaitlist = (therapist_id: string, service_id: string, time_of_day: TimeOfDay) =>
  request("post", "/api/portal/waitlist", { body: { therapist_id, service_id, time_of_day } });
export const leaveWaitlist = (id: string) =>
  request("delete", "/api/portal/waitlist/{entry_id}", { path: { entry_id: id } });
export const claimOffer = (id: string) =>
  request("post", "/api/portal/waitlist-offers/{offer_id}/claim", { path: { offer_id: id } });
