// Weekly open hours in the therapist's zone: any number of windows per weekday; a window may end the next day.
import type { ApiError } from "../../api/errors";
import type { WeeklyHours } from "../../api/scheduling";
import { CheckboxField, TextField, errorFor } from "../../ui/forms";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

interface Props {
  weekly: WeeklyHours[];
  onChange: (weekly: WeeklyHours[]) => void;
  error: ApiError | null;
}

export function HoursEditor({ weekly, onChange, error }: Props) {
  const update = (i: number, change: Partial<WeeklyHours>) =>
    onChange(weekly.map((w, j) => (i === j ? { ...w, ...change } : w)));
  return (
    <fieldset>
      <legend>Weekly hours</legend>
      <p class="hint">Times as HH:MM in your time zone. Tick “ends next day” for hours past midnight.</p>
      {WEEKDAYS.map((name, weekday) => (
        <div key={name}>
          <h3>{name}</h3>
          {weekly.every((w) => w.weekday !== weekday) && <p class="hint">Closed.</p>}
          {weekly.map((w, i) =>
            w.weekday !== weekday ? null : (
              <div key={i} class="hours-row">
                <TextField
                  label={`${name} from`}
                  value={w.start}
                  onValue={(start) => update(i, { start })}
                  error={errorFor(error, `weekly.${i}.start`)}
                />
                <TextField
                  label={`${name} until`}
                  value={w.end}
                  onValue={(end) => update(i, { end })}
                  error={errorFor(error, `weekly.${i}.end`)}
                />
                <CheckboxField
                  label="Ends next day"
                  checked={!!w.next_day}
                  onChecked={(next_day) => update(i, { next_day })}
                />
                <button
                  type="button"
                  class="button-small button-secondary"
                  onClick={() => onChange(weekly.filter((_, j) => j !== i))}
                >
                  Remove {name} {w.start}–{w.end}
                </button>
              </div>
            ),
          )}
          <button
            type="button"
            class="button-small button-secondary"
            onClick={() => onChange([...weekly, { weekday, start: "09:00", end: "17:00", next_day: false }])}
          >
            Add hours on {name}
          </button>
        </div>
      ))}
    </fieldset>
  );
}
