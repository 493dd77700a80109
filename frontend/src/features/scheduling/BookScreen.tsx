// The client books a session: one of their therapists, a service, a free time in their own zone.
import { useState } from "preact/hooks";
import { type Service, type Therapist, getBookingHome } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { Alert, SelectField } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { SlotPicker } from "./SlotPicker";
import { zoneLabel } from "./time";

export function serviceLabel(service: Service): string {
  const where = service.modality === "telehealth" ? "video" : "in person";
  const price = service.price_cents != null ? ` · $${(service.price_cents / 100).toFixed(2)}` : "";
  return `${service.name} · ${service.duration_minutes} min · ${where}${price}`;
}

export default function BookScreen() {
  const { slug } = useShell();
  const home = useLoad(() => getBookingHome(), []);
  const search = new URLSearchParams(location.search);
  const moving = search.get("move");
  const [therapistId, setTherapistId] = useState(search.get("therapist") ?? "");
  const [serviceId, setServiceId] = useState(search.get("service") ?? "");
  const therapists = home.data?.therapists ?? [];
  const therapist: Therapist | undefined = therapists.find((t) => t.therapist_id === therapistId) ?? therapists[0];
  const service = therapist?.services.find((s) => s.id === serviceId) ?? therapist?.services[0];

  return (
    <>
      <PageHeading title={moving ? "Move an appointment" : "Book a session"}>
        {moving ? "Move an appointment" : "Book a session"}
      </PageHeading>
      <Alert error={home.error} />
      {!home.data && !home.error && <Loading />}
      {home.data && !therapist && (
        <p>Online booking isn't available with your therapist right now. Please contact your practice.</p>
      )}
      {home.data && therapist && service && (
        <>
          <p>
            <a href={appPath(slug, "appointments")}>See your appointments</a>
          </p>
          {moving && <p>Choose the new time; your current one is kept until then.</p>}
          {therapists.length > 1 && !moving && (
            <SelectField label="Therapist" value={therapist.therapist_id} onValue={setTherapistId}>
              {therapists.map((t) => (
                <option key={t.therapist_id} value={t.therapist_id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
          )}
          {moving ? (
            <p>Service: {serviceLabel(service)}</p>
          ) : (
            <SelectField label="Service" value={service.id} onValue={setServiceId}>
              {therapist.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {serviceLabel(s)}
                </option>
              ))}
            </SelectField>
          )}
          <p class="hint">
            Times are shown in your time zone, {zoneLabel(home.data.time_zone)}. {therapist.name} works in{" "}
            {zoneLabel(therapist.time_zone)}.
            {therapist.approval_required && ` ${therapist.name} confirms each request.`}
          </p>
          <SlotPicker
            key={`${therapist.therapist_id}:${service.id}`}
            moving={moving}
            therapist={therapist}
            service={service}
            zone={home.data.time_zone}
          />
        </>
      )}
    </>
  );
}
