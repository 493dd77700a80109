import { SelectField } from "./forms";

// United States zones first (the usual case for HIPAA-covered practices), then every IANA zone.
const COMMON_ZONES: [zone: string, label: string][] = [
  ["America/New_York", "Eastern Time (New York)"],
  ["America/Chicago", "Central Time (Chicago)"],
  ["America/Denver", "Mountain Time (Denver)"],
  ["America/Phoenix", "Mountain Time, no daylight saving (Phoenix)"],
  ["America/Los_Angeles", "Pacific Time (Los Angeles)"],
  ["America/Anchorage", "Alaska Time (Anchorage)"],
  ["Pacific/Honolulu", "Hawaii Time (Honolulu)"],
  ["America/Puerto_Rico", "Atlantic Time (Puerto Rico)"],
  ["UTC", "Coordinated Universal Time (UTC)"],
];

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function otherZones(value: string): string[] {
  const common = new Set(COMMON_ZONES.map(([zone]) => zone));
  const zones = Intl.supportedValuesOf("timeZone").filter((zone) => !common.has(zone));
  // Keep a saved value selectable even when this browser doesn't list it (aliases such as "Etc/UTC").
  if (value && !common.has(value) && !zones.includes(value)) zones.unshift(value);
  return zones;
}

interface TimeZoneSelectProps {
  value: string;
  onValue: (zone: string) => void;
  error?: string;
}

export function TimeZoneSelect({ value, onValue, error }: TimeZoneSelectProps) {
  return (
    <SelectField label="Time zone" value={value} onValue={onValue} error={error}>
      <optgroup label="United States and UTC">
        {COMMON_ZONES.map(([zone, label]) => (
          <option key={zone} value={zone}>
            {label}
          </option>
        ))}
      </optgroup>
      <optgroup label="All time zones">
        {otherZones(value).map((zone) => (
          <option key={zone} value={zone}>
            {zone.replace(/_/g, " ")}
          </option>
        ))}
      </optgroup>
    </SelectField>
  );
}
