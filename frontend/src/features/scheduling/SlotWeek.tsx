// One week of free times, grouped by the client's own days, or why there are none.
import type { SlotPage } from "../../api/scheduling";
import { clockIn, dateIn, dayName, timeIn } from "./time";

export function SlotWeek({ page, zone, onPick }: { page: SlotPage; zone: string; onPick: (at: string) => void }) {
  if (page.starts.length === 0) return <p class="notice notice-info">{emptyReason(page, zone)}</p>;
  const days = new Map<string, string[]>();
  for (const at of page.starts) days.set(dateIn(zone, at), [...(days.get(dateIn(zone, at)) ?? []), at]);
  return (
    <div class="day-list">
      {[...days].map(([day, starts]) => (
        <div key={day} class="slot-day">
          <h3>{dayName(day)}</h3>
          <ul class="slot-list">
            {starts.map((at) => (
              <li key={at}>
                <button
                  type="button"
                  class="button-small button-secondary"
                  aria-label={`Book ${timeIn(zone, at)}`}
                  onClick={() => onPick(at)}
                >
                  {clockIn(zone, at)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function emptyReason(page: SlotPage, zone: string): string {
  if (page.reason === "closed") return "Online booking isn't open with this therapist right now.";
  if (page.reason === "new_clients")
    return "This therapist isn't taking new clients online. Please contact your practice.";
  if (page.reason === "no_hours") return "This therapist has no open hours for online booking at the moment.";
  if (page.next_opening) {
    const days = Math.max(1, Math.round((Date.parse(page.next_opening) - Date.now()) / 86_400_000));
    return `No free times this week. Next opening in ${days} day${days === 1 ? "" : "s"}: ${timeIn(zone, page.next_opening)}.`;
  }
  if (page.reason === "fully_booked")
    return `Fully booked for the next ${page.horizon_days} days. Join the waitlist below.`;
  return `No free times this week. Booking opens ${page.min_notice_hours} hours ahead, up to ${page.horizon_days} days ahead.`;
}
