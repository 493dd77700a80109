import type { ApiError } from "../../../api/errors";
import { controlId } from "../../forms/renderer/rules";

/** Prefix of the filling screen's question controls. */
export const PREFIX = "q";

/** Server errors on "answers.{id}" as messages per question id. */
export function answerErrors(error: ApiError): Record<string, string> {
  const found: Record<string, string> = {};
  for (const item of error.errors) {
    const match = /(?:^|\.)answers\.([a-z][a-z0-9_]*)$/.exec(item.field);
    if (match && !found[match[1]]) found[match[1]] = item.message;
  }
  return found;
}

export function focusQuestion(fieldId: string) {
  const control = document.getElementById(controlId(PREFIX, fieldId));
  control?.focus();
  control?.scrollIntoView({ block: "center" });
}
