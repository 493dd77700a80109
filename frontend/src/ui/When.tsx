export const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
export const dateOnly = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" });

/** A timestamp from the API shown in the reader's locale and time zone. */
export function When({ at, format = dateTime }: { at: string; format?: Intl.DateTimeFormat }) {
  return <time dateTime={at}>{format.format(new Date(at))}</time>;
}
