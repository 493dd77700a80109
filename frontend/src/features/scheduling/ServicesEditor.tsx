// The services a therapist offers online: name, length, price, telehealth or in person.
import type { ApiError } from "../../api/errors";
import type { SettingsBody } from "../../api/scheduling";
import { SelectField, TextField, errorFor } from "../../ui/forms";

type Service = SettingsBody["services"][number];

interface Props {
  services: Service[];
  onChange: (services: Service[]) => void;
  error: ApiError | null;
}

export function ServicesEditor({ services, onChange, error }: Props) {
  const update = (i: number, change: Partial<Service>) =>
    onChange(services.map((s, j) => (i === j ? { ...s, ...change } : s)));
  return (
    <fieldset>
      <legend>Services offered online</legend>
      {services.length === 0 && <p class="hint">No services yet: clients can book only once you add one.</p>}
      {services.map((service, i) => (
        <div key={i} class="hours-row">
          <TextField
            label={`Service ${i + 1} name`}
            value={service.name}
            onValue={(name) => update(i, { name })}
            error={errorFor(error, `services.${i}.name`)}
          />
          <TextField
            label={`Service ${i + 1} length (minutes)`}
            value={String(service.duration_minutes)}
            onValue={(value) => update(i, { duration_minutes: Number(value) || 0 })}
            error={errorFor(error, `services.${i}.duration_minutes`)}
          />
          <TextField
            label={`Service ${i + 1} price (optional)`}
            value={service.price_cents == null ? "" : (service.price_cents / 100).toFixed(2)}
            onValue={(value) => update(i, { price_cents: value.trim() ? Math.round(Number(value) * 100) : null })}
            error={errorFor(error, `services.${i}.price_cents`)}
          />
          <SelectField
            label={`Service ${i + 1} held`}
            value={service.modality}
            onValue={(value) => update(i, { modality: value as Service["modality"] })}
          >
            <option value="telehealth">By video (telehealth)</option>
            <option value="in_person">In person</option>
          </SelectField>
          <button
            type="button"
            class="button-small button-secondary"
            onClick={() => onChange(services.filter((_, j) => j !== i))}
          >
            Remove service {i + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button-small button-secondary"
        onClick={() =>
          onChange([
            ...services,
            { id: "", name: "Individual session", duration_minutes: 50, price_cents: null, modality: "telehealth" },
          ])
        }
      >
        Add a service
      </button>
    </fieldset>
  );
}
