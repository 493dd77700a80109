// The rules clients book under: buffers, grid, notice, how far ahead, daily maximum, approval, cancellation, reminders.
import type { ApiError } from "../../api/errors";
import type { SettingsBody } from "../../api/scheduling";
import { CheckboxField, TextField, errorFor } from "../../ui/forms";

type NumberKey =
  | "buffer_before_minutes"
  | "buffer_after_minutes"
  | "interval_minutes"
  | "min_notice_hours"
  | "horizon_days"
  | "cancel_window_hours"
  | "reminder_hours";

const NUMBERS: [NumberKey, string, string][] = [
  ["buffer_before_minutes", "Buffer before (minutes)", "Free time kept before each appointment (0–30)."],
  ["buffer_after_minutes", "Buffer after (minutes)", "Free time kept after each appointment (0–30)."],
  ["interval_minutes", "Start times every (minutes)", "60 gives starts on the hour."],
  ["min_notice_hours", "Minimum notice (hours)", "How long before a session clients may still book it."],
  ["horizon_days", "Book up to (days ahead)", "Counted in your calendar days."],
  ["cancel_window_hours", "Cancellation window (hours)", "Clients may cancel or move up to this many hours before."],
  ["reminder_hours", "Reminder (hours before)", "0 sends no reminder."],
];

interface Props {
  draft: SettingsBody;
  onChange: (change: Partial<SettingsBody>) => void;
  error: ApiError | null;
}

export function RulesFields({ draft, onChange, error }: Props) {
  return (
    <fieldset>
      <legend>Booking rules</legend>
      <div class="number-fields">
        {NUMBERS.map(([key, label, hint]) => (
          <TextField
            key={key}
            label={label}
            hint={hint}
            value={String(draft[key])}
            onValue={(value) => onChange({ [key]: Number(value) || 0 })}
            error={errorFor(error, key)}
          />
        ))}
        <TextField
          label="Most sessions a day (optional)"
          value={draft.daily_max == null ? "" : String(draft.daily_max)}
          onValue={(value) => onChange({ daily_max: value.trim() ? Number(value) : null })}
          error={errorFor(error, "daily_max")}
        />
      </div>
      <CheckboxField
        label="I confirm each request"
        checked={draft.approval_required}
        onChecked={(approval_required) => onChange({ approval_required })}
        description="Untick for instant booking: free times are confirmed at once."
      />
      <CheckboxField
        label="New clients may book"
        checked={draft.new_clients_allowed}
        onChecked={(new_clients_allowed) => onChange({ new_clients_allowed })}
        description="Otherwise only clients who have had a confirmed appointment with you."
      />
    </fieldset>
  );
}
