// The server's 422 errors ("fields.3.options", "title") placed on the builder's controls.
import type { ApiError } from "../../../api/errors";
import type { Errors } from "./check";
import type { DraftField } from "./draft";

const SUB_PARTS: Record<string, string> = {
  id: "id",
  type: "type",
  label: "label",
  help: "help",
  options: "options",
  required: "type",
  show_if: "show_if",
};

/** Which control a field-level message is about. */
function partOf(message: string): string {
  if (/show_if/.test(message)) return "show_if";
  if (/option/.test(message)) return "options";
  if (/required|signature/.test(message)) return "type";
  return "field";
}

/** Server errors ("fields.3.options", "title") onto this screen's keys; what can't be placed stays in the alert. */
export function placeServerErrors(error: ApiError, fields: DraftField[]): { errors: Errors; placed: string[] } {
  const errors: Errors = {};
  const placed: string[] = [];
  for (const item of error.errors) {
    const path = item.field.replace(/^(body\.)?(definition\.)?/, "");
    const match = /^fields\.(\d+)(?:\.([a-z_]+))?/.exec(path);
    let key: string | null = null;
    if (path === "title" || path === "description") key = path;
    else if (match && fields[Number(match[1])]) {
      const field = fields[Number(match[1])];
      key = `${field.key}.${match[2] ? (SUB_PARTS[match[2]] ?? "field") : partOf(item.message)}`;
    } else {
      // Checks across fields name the field in the message: "field member_id: show_if must name an earlier question".
      const named =
        /^field ([a-z][a-z0-9_]*):/.exec(item.message) ??
        /field ids must be unique: ([a-z][a-z0-9_]*)/.exec(item.message);
      const matching = named ? fields.filter((field) => field.id.trim() === named[1]) : [];
      const field = matching[matching.length - 1];
      if (field) key = `${field.key}.${/unique/.test(item.message) ? "id" : partOf(item.message)}`;
    }
    if (key && !errors[key]) {
      errors[key] = item.message;
      placed.push(item.field);
    }
  }
  return { errors, placed };
}
