// A searchable time-zone picker: an editable combobox with a list popup (WAI-ARIA APG). Typing "chic" offers
// America/Chicago; arrows move, Enter chooses, Escape closes. The value changes only when a zone is chosen, so a
// form never holds half-typed text.
import { useEffect, useId, useMemo, useState } from "preact/hooks";
import { zoneName } from "./readerZone";

export { browserTimeZone } from "./readerZone";

// United States zones first (the usual case for HIPAA-covered practices), then every IANA zone.
const COMMON_ZONES: Record<string, string> = {
  "America/New_York": "Eastern Time (New York)",
  "America/Chicago": "Central Time (Chicago)",
  "America/Denver": "Mountain Time (Denver)",
  "America/Phoenix": "Mountain Time, no daylight saving (Phoenix)",
  "America/Los_Angeles": "Pacific Time (Los Angeles)",
  "America/Anchorage": "Alaska Time (Anchorage)",
  "Pacific/Honolulu": "Hawaii Time (Honolulu)",
  "America/Puerto_Rico": "Atlantic Time (Puerto Rico)",
  UTC: "Coordinated Universal Time (UTC)",
};
const MAX_SHOWN = 40;

export function zoneLabel(zone: string): string {
  return COMMON_ZONES[zone] ? `${COMMON_ZONES[zone]} · ${zone}` : zoneName(zone);
}

function allZones(value: string): string[] {
  const others = Intl.supportedValuesOf("timeZone").filter((zone) => !(zone in COMMON_ZONES));
  // Keep a saved value choosable even when this browser doesn't list it (aliases such as "Etc/UTC").
  if (value && !(value in COMMON_ZONES) && !others.includes(value)) others.unshift(value);
  return [...Object.keys(COMMON_ZONES), ...others];
}

const fold = (text: string) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase();

/** Zones matching what was typed: a city that starts with it first, then any other mention. */
function matching(zones: string[], query: string): string[] {
  const wanted = fold(query.trim());
  if (!wanted) return zones;
  const rank = (zone: string) => {
    const city = fold(zone.split("/").pop() ?? zone);
    if (city.startsWith(wanted)) return 0;
    return fold(zoneLabel(zone)).includes(wanted) ? 1 : 2;
  };
  return zones
    .map((zone) => [zone, rank(zone)] as const)
    .filter(([, score]) => score < 2)
    .sort((a, b) => a[1] - b[1])
    .map(([zone]) => zone);
}

interface TimeZoneSelectProps {
  value: string;
  onValue: (zone: string) => void;
  error?: string;
  label?: string;
}

export function TimeZoneSelect({ value, onValue, error, label = "Time zone" }: TimeZoneSelectProps) {
  const id = useId();
  const listId = `${id}-list`;
  const zones = useMemo(() => allZones(value), [value]);
  const [text, setText] = useState<string | null>(null); // null: not editing, the chosen zone is shown
  const [active, setActive] = useState(0);
  const open = text !== null;
  const shown = open ? matching(zones, text).slice(0, MAX_SHOWN) : [];
  const expanded = open && shown.length > 0;

  useEffect(() => {
    if (expanded) document.getElementById(`${id}-option-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [expanded, active]);

  function choose(zone: string) {
    onValue(zone);
    setText(null);
  }

  function keyDown(event: KeyboardEvent) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return setText("");
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => Math.min(Math.max(current + step, 0), Math.max(shown.length - 1, 0)));
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      if (shown[active]) choose(shown[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setText(null);
    }
  }

  const describedBy = [`${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div class={error ? "field field-invalid combobox" : "field combobox"}>
      <label for={id}>{label}</label>
      <p id={`${id}-hint`} class="hint">
        Type a city or region to search, for example “Chicago”.
      </p>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && shown[active] ? `${id}-option-${active}` : undefined}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy}
        value={open ? text : zoneLabel(value)}
        onFocus={(event) => event.currentTarget.select()}
        onInput={(event) => {
          setText(event.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={keyDown}
        onBlur={() => setText(null)}
      />
      <ul id={listId} role="listbox" aria-label={label} class="combobox-list" hidden={!expanded}>
        {shown.map((zone, index) => (
          <li
            key={zone}
            id={`${id}-option-${index}`}
            role="option"
            aria-selected={index === active}
            class={index === active ? "combobox-option active" : "combobox-option"}
            // mousedown, not click: the input keeps focus, so blur does not close the list first.
            onMouseDown={(event) => {
              event.preventDefault();
              choose(zone);
            }}
          >
            {zoneLabel(zone)}
          </li>
        ))}
      </ul>
      {open && shown.length === 0 && <p class="hint combobox-empty">No time zone matches “{text}”.</p>}
      <div role="status" class="visually-hidden">
        {open ? `${shown.length === MAX_SHOWN ? "Many" : shown.length} time zones match.` : ""}
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
