// Today's appointments (the practice's zone) and the booking requests waiting for approval: the therapist's own, or
// for an administrator the whole practice's. Requests are confirmed or declined on the Schedule page.
import { type Day, getDay } from "../../api/dashboard";
import type { Appointment } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { useLoad } from "../../ui/useLoad";
import { STATUS_NAMES, clockIn, timeIn, zoneLabel } from "../scheduling/time";
import { Section } from "./Section";

export function TodaySection() {
  const { slug } = useShell();
  const day = useLoad(() => getDay(), []);
  const data = day.data;
  const schedule = { href: appPath(slug, "schedule"), label: "Confirm or decline on your schedule" };

  return (
    <>
      <Section
        id="today-heading"
        title="Today's appointments"
        count={data ? data.appointments.length : null}
        loading={!data}
        error={day.error}
      >
        {data && <Appointments day={data} />}
      </Section>
      <Section
        id="requests-dashboard-heading"
        title="Booking requests"
        count={data ? data.requests.length : null}
        loading={!data}
        error={day.error}
        more={data && data.requests.length > 0 && !data.practice_wide ? schedule : undefined}
      >
        {data && <Requests day={data} />}
      </Section>
    </>
  );
}

function Appointments({ day }: { day: Day }) {
  const zone = day.time_zone;
  const dayName = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "long", month: "long", day: "numeric" });
  return (
    <>
      <p class="hint">
        {dayName.format(new Date(`${day.day}T12:00:00Z`))} · times in {zoneLabel(zone)}
        {day.practice_wide && " · everyone at the practice"}
      </p>
      {day.appointments.length === 0 ? (
        <p>No appointments today.</p>
      ) : (
        <ul class="record-list">
          {day.appointments.map((a) => (
            <Row
              key={a.id}
              appointment={a}
              when={`${clockIn(zone, a.start)}–${clockIn(zone, a.end)}`}
              wide={day.practice_wide}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function Requests({ day }: { day: Day }) {
  if (day.requests.length === 0) return <p>No booking requests waiting.</p>;
  return (
    <>
      <p class="hint">Times in {zoneLabel(day.time_zone)}</p>
      <ul class="record-list">
        {day.requests.map((a) => (
          <Row key={a.id} appointment={a} when={timeIn(day.time_zone, a.start)} wide={day.practice_wide} />
        ))}
      </ul>
      {day.more_requests && <p class="hint">More requests wait than are shown here.</p>}
    </>
  );
}

function Row({ appointment: a, when, wide }: { appointment: Appointment; when: string; wide: boolean }) {
  const { slug } = useShell();
  return (
    <li>
      <div>
        <a class="record-title" href={appPath(slug, `clients/${encodeURIComponent(a.client_id)}`)}>
          {a.client_name}
        </a>
        <p class="hint">
          {when} · {a.service_name}
          {wide && <> with {a.therapist_name}</>}
          {a.status !== "pending" && <span class="badge">{STATUS_NAMES[a.status]}</span>}
        </p>
      </div>
    </li>
  );
}
