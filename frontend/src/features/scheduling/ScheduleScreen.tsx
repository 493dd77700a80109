// A therapist's schedule: requests to confirm or decline, and a week of appointments in the practice's zone.
import { useState } from "preact/hooks";
import { type Appointment, getRequests, getWeek } from "../../api/scheduling";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { RequestList } from "./RequestList";
import { readerZone } from "../../ui/readerZone";
import { STATUS_NAMES, addDays, clockIn, dateIn, dayName, zoneLabel } from "./time";

export default function ScheduleScreen() {
  const { slug } = useShell();
  const requests = useLoad(() => getRequests(), []);
  const [start, setStart] = useState<string | null>(null);
  const week = useLoad(() => getWeek(start ?? ""), [start]);
  const zone = week.data?.time_zone ?? "";

  return (
    <>
      <PageHeading title="Schedule">Schedule</PageHeading>
      <p>
        <a href={appPath(slug, "booking-settings")}>Booking settings and calendar feed</a>
      </p>
      <RequestList
        requests={requests}
        zone={zone || readerZone()}
        onChange={() => void week.reload()}
      />
      <section aria-labelledby="week-heading">
        <h2 id="week-heading">Week</h2>
        <Alert error={week.error} />
        {!week.data && !week.error && <Loading />}
        {week.data && (
          <>
            <p class="hint">Times in {zoneLabel(zone)}.</p>
            <div class="actions">
              <button
                type="button"
                class="button-small button-secondary"
                onClick={() => setStart(addDays(week.data!.first_day, -7))}
              >
                Previous week
              </button>
              <button
                type="button"
                class="button-small button-secondary"
                onClick={() => setStart(addDays(week.data!.first_day, 7))}
              >
                Next week
              </button>
            </div>
            {Array.from({ length: week.data.days }, (_, i) => addDays(week.data!.first_day, i)).map((day) => (
              <Day
                key={day}
                day={day}
                zone={zone}
                items={week.data!.items.filter((a) => dateIn(zone, a.start) === day)}
              />
            ))}
          </>
        )}
      </section>
    </>
  );
}

function Day({ day, zone, items }: { day: string; zone: string; items: Appointment[] }) {
  const { slug } = useShell();
  return (
    <div class="slot-day">
      <h3>{dayName(day)}</h3>
      {items.length === 0 ? (
        <p class="hint">No appointments.</p>
      ) : (
        <ul class="record-list">
          {items.map((a) => (
            <li key={a.id}>
              <p>
                <strong>
                  {clockIn(zone, a.start)}–{clockIn(zone, a.end)}
                </strong>{" "}
                <a href={appPath(slug, `clients/${encodeURIComponent(a.client_id)}`)}>{a.client_name}</a> ·{" "}
                {a.service_name}
                <span class="badge">{STATUS_NAMES[a.status]}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
