// The rules of intake forms as the server applies them (chalicelib/services/form_definitions.py): which fields
// are shown (show_if), what a valid answer is, what "complete" means. The server still decides.
import type { Answers, AnswerValue, FormDefinition, FormField } from "../../../api/formDefinition";
import { formatCalendarDay } from "../../../ui/readerZone";

const NO_ANSWER = new Set(["heading", "static_text", "signature"]);
export const TEXT_LIMITS: Partial<Record<FormField["type"], number>> = {
  short_text: 500,
  long_text: 5000,
  address: 500,
  email: 254,
  phone: 40,
};
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;
const PHONE = /^[0-9+().\- ]{5,40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const NEEDS_ANSWER = "This question needs an answer.";

export function isQuestion(field: FormField): boolean {
  return !NO_ANSWER.has(field.type);
}

export function isEmpty(value: AnswerValue | undefined): boolean {
  return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Fields shown for these answers: one with show_if appears when its (shown) target has that answer (for a
 * multiple-choice target: when that option is among the chosen ones), as the server decides. */
export function visibleFields(definition: FormDefinition, answers: Answers): FormField[] {
  const shown = new Set<string>();
  return definition.fields.filter((field) => {
    const condition = field.show_if;
    const visible = !condition || (shown.has(condition.field) && matches(answers[condition.field], condition.equals));
    if (visible) shown.add(field.id);
    return visible;
  });
}

function matches(answer: AnswerValue | undefined, expected: string | boolean | number): boolean {
  return Array.isArray(answer) ? answer.some((option) => option === expected) : answer === expected;
}

/** What is wrong with one (non-empty) answer, in the server's words; null when it is fine. */
export function answerProblem(field: FormField, value: AnswerValue): string | null {
  const limit = TEXT_LIMITS[field.type];
  if (limit !== undefined) {
    if (typeof value !== "string") return "Enter text.";
    if (value.length > limit) return `Use at most ${limit} characters.`;
  }
  switch (field.type) {
    case "email":
      return EMAIL.test((value as string).trim()) ? null : "Enter a valid email address.";
    case "phone":
      return PHONE.test((value as string).trim()) ? null : "Use digits, spaces and + ( ) - only.";
    case "number":
      return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= 1e12 ? null : "Enter a number.";
    case "date":
      return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : "Enter a date as YYYY-MM-DD.";
    case "yes_no":
      return typeof value === "boolean" ? null : "Answer yes or no.";
    case "single_choice":
      return typeof value === "string" && (field.options ?? []).includes(value) ? null : "Choose one of the options.";
    case "multiple_choice":
      return Array.isArray(value) && value.every((item) => (field.options ?? []).includes(item))
        ? null
        : "Choose among the options.";
    default:
      return null;
  }
}

/** Problems of the shown questions: formats always, unanswered required questions when `complete`. */
export function checkAnswers(definition: FormDefinition, answers: Answers, complete: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of visibleFields(definition, answers)) {
    if (!isQuestion(field)) continue;
    const value = answers[field.id];
    if (isEmpty(value)) {
      if (complete && field.required) problems[field.id] = NEEDS_ANSWER;
      continue;
    }
    const problem = answerProblem(field, value);
    if (problem) problems[field.id] = problem;
  }
  return problems;
}

/** What is sent: answers to the shown questions only (a hidden question is neither required nor kept). */
export function answersToSend(definition: FormDefinition, answers: Answers, skip: Set<string> = new Set()): Answers {
  const sent: Answers = {};
  for (const field of visibleFields(definition, answers)) {
    const value = answers[field.id];
    if (isQuestion(field) && !isEmpty(value) && !skip.has(field.id)) sent[field.id] = value;
  }
  return sent;
}

/** The id of the control that takes focus for a question (its first option for choices). */
export function controlId(prefix: string, fieldId: string): string {
  return `${prefix}-${fieldId}`;
}

export function formatAnswer(value: AnswerValue | undefined, type?: string): string {
  if (isEmpty(value) || value === undefined) return "No answer";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.join(", ");
  // A date answer is a calendar day ("1990-04-12"), not a moment.
  if (type === "date") return formatCalendarDay(String(value));
  return String(value);
}
