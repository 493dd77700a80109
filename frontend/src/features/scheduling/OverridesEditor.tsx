// Date overrides: a day off, or different hours on one date (replacing that day's weekly hours).
import type { ApiError } from "../../api/errors";
import type { DateOverride } from "../../api/scheduling";
import { TextField, errorFor } from "../../ui/forms";

interface Props {
  overrides: DateOverride[];
  onChange: (overrides: DateOverride[]) => void;
  error: ApiError | null;
}

export function OverridesEditor({ overrides, onChange, error }: Props) {
  const update = (i: number, change: Partial<DateOverride>) =>
    onChange(overrides.map((o, j) => (i === j ? { ...o, ...change } : o)));
  return (
    <fieldset>
      <legend>Days off and different hours</legend>
      {overrides.map((o, i) => {
        const hours = (o.windows ?? [])[0];
        return (
          <div key={i} class="hours-row">
            <TextField
              label={`Date ${i + 1}`}
              type="date"
              value={o.date}
              onValue={(date) => update(i, { date })}
              error={errorFor(error, `overrides.${i}.date`)}
            />
            <TextField
              label={`Date ${i + 1} from (empty: day off)`}
              value={hours?.start ?? ""}
              onValue={(start) =>
                update(i, { windows: start ? [{ start, end: hours?.end ?? "17:00", next_day: false }] : [] })
              }
              error={errorFor(error, `overrides.${i}.windows.0.start`)}
            />
            {hours && (
              <TextField
                label={`Date ${i + 1} until`}
                value={hours.end}
                onValue={(end) => update(i, { windows: [{ ...hours, end }] })}
                error={errorFor(error, `overrides.${i}.windows.0.end`)}
              />
            )}
            <button
              type="button"
              class="button-small button-secondary"
              onClick={() => onChange(overrides.filter((_, j) => j !== i))}
            >
              Remove date {i + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        class="button-small button-secondary"
        onClick={() => onChange([...overrides, { date: new Date().toISOString().slice(0, 10), windows: [] }])}
      >
        Add a date
      </button>
    </fieldset>
  );
}
