// The audit log's filters: a person (staff, by name), a client (found by name), the first and last day.
import { useState } from "preact/hooks";
import { type AuditQuery, NO_FILTER } from "../../api/audit";
import { ROLE_NAMES } from "../../shell/context";
import { SelectField, TextField } from "../../ui/forms";
import { useStaffChoices } from "../clients/useStaffChoices";
import { type Chosen, ClientPicker } from "./ClientPicker";

export function AuditFilters({ onFilter, zoneName }: { onFilter: (query: AuditQuery) => void; zoneName: string }) {
  const staff = useStaffChoices(true);
  const [actor, setActor] = useState("");
  const [client, setClient] = useState<Chosen | null>(null);
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");

  function apply(next: Partial<{ actor: string; client: Chosen | null; since: string; until: string }> = {}) {
    const chosen = "client" in next ? (next.client ?? null) : client;
    onFilter({
      actor: next.actor ?? actor,
      client: chosen?.id ?? "",
      since: next.since ?? since,
      until: next.until ?? until,
    });
  }

  return (
    <form
      class="card"
      aria-label="Filter the audit log"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <div class="filter-wide">
        <SelectField label="Person" value={actor} onValue={setActor}>
          <option value="">Anyone</option>
          {(staff.data ?? []).map((person) => (
            <option key={person.id} value={person.id}>
              {person.name} ({ROLE_NAMES[person.role]})
            </option>
          ))}
        </SelectField>
        <ClientPicker
          chosen={client}
          onChoose={(chosen) => {
            setClient(chosen);
            apply({ client: chosen });
          }}
        />
        <TextField label="From" type="date" value={since} onValue={setSince} hint={`Days in ${zoneName}`} />
        <TextField label="To" type="date" value={until} onValue={setUntil} hint="Included" />
      </div>
      <div class="filter-actions">
        <button type="submit" class="button">
          Filter
        </button>
        <button
          type="button"
          class="button button-secondary"
          onClick={() => {
            setActor("");
            setClient(null);
            setSince("");
            setUntil("");
            onFilter(NO_FILTER);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
