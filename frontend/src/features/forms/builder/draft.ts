// The builder's working copy of a form: fields as edited (with stable keys), and the definition they make.
import type { AnswerValue, Answers, FieldType, FormDefinition, FormField, Prefill } from "../../../api/formDefinition";

export const FIELD_TYPE_NAMES: Record<FieldType, string> = {
  short_text: "Short text",
  long_text: "Long text",
  number: "Number",
  date: "Date",
  single_choice: "Single choice",
  multiple_choice: "Multiple choice",
  yes_no: "Yes / No",
  email: "Email",
  phone: "Phone",
  address: "Address",
  heading: "Section heading",
  static_text: "Static text",
  signature: "Signature",
};

export const TYPES = Object.keys(FIELD_TYPE_NAMES) as FieldType[];
export const NO_ANSWER: FieldType[] = ["heading", "static_text", "signature"];
export const CHOICES: FieldType[] = ["single_choice", "multiple_choice"];

/** What the practice already knows, and the question types that can hold it (the server's rule too). */
export const PREFILLS: { value: Prefill; label: string; types: FieldType[] }[] = [
  { value: "name", label: "The client's name", types: ["short_text"] },
  { value: "date_of_birth", label: "The client's date of birth", types: ["date"] },
  { value: "email", label: "The client's email", types: ["email", "short_text"] },
  { value: "phone", label: "The client's phone", types: ["phone", "short_text"] },
];

export interface DraftField {
  /** Stable identity while editing (ids may change). */
  key: number;
  id: string;
  /** Typed by hand: no longer derived from the question text. */
  idEdited: boolean;
  type: FieldType;
  label: string;
  required: boolean;
  help: string;
  options: string;
  /** Key of the earlier field this one depends on, or null. */
  showIf: number | null;
  showIfValue: string;
  /** Filled in from the client's record (for the client to confirm), or "". */
  prefill: Prefill | "";
}

let nextKey = 1;

/** "Date of birth?" → "date_of_birth" (a valid, unused field id). */
export function deriveId(label: string, taken: Set<string>): string {
  let base = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!base) base = "question";
  if (!/^[a-z]/.test(base)) base = `q_${base}`;
  base = base.slice(0, 40).replace(/_+$/, "");
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, 40 - `_${n}`.length)}_${n}`;
  return candidate;
}

export function newField(fields: DraftField[]): DraftField {
  const taken = new Set(fields.map((field) => field.id));
  return {
    key: nextKey++,
    id: deriveId("", taken),
    idEdited: false,
    type: "short_text",
    label: "",
    required: false,
    help: "",
    options: "",
    showIf: null,
    showIfValue: "",
    prefill: "",
  };
}

function showIfText(field: FormField): string {
  if (field.show_if === undefined) return "";
  const { equals } = field.show_if;
  if (typeof equals === "boolean") return equals ? "yes" : "no";
  return String(equals);
}

export function draftOf(definition: FormDefinition): DraftField[] {
  const fields = definition.fields.map((field): DraftField => ({
    key: nextKey++,
    id: field.id,
    idEdited: true,
    type: field.type,
    label: field.label,
    required: !!field.required,
    help: field.help ?? "",
    options: (field.options ?? []).join("\n"),
    showIf: null,
    showIfValue: showIfText(field),
    prefill: field.prefill ?? "",
  }));
  definition.fields.forEach((field, index) => {
    const target = field.show_if && fields.find((candidate) => candidate.id === field.show_if?.field);
    if (target) fields[index].showIf = target.key;
  });
  return fields;
}

export const optionsOf = (field: DraftField) =>
  field.options
    .split("\n")
    .map((option) => option.trim())
    .filter(Boolean);

function conditionValue(target: DraftField, value: string): string | boolean | number {
  if (target.type === "yes_no") return value === "yes";
  if (target.type === "number" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return value;
}

export function definitionOf(title: string, description: string, fields: DraftField[]): FormDefinition {
  return {
    title: title.trim(),
    description: description.trim(),
    fields: fields.map((draft) => {
      const field: FormField = { id: draft.id.trim(), type: draft.type, label: draft.label.trim() };
      if (draft.required && !["heading", "static_text"].includes(draft.type)) field.required = true;
      if (draft.help.trim() && !NO_ANSWER.includes(draft.type)) field.help = draft.help.trim();
      if (CHOICES.includes(draft.type)) field.options = optionsOf(draft);
      const target = fields.find((candidate) => candidate.key === draft.showIf);
      if (target) field.show_if = { field: target.id.trim(), equals: conditionValue(target, draft.showIfValue) };
      const prefill = PREFILLS.find((option) => option.value === draft.prefill);
      if (prefill?.types.includes(draft.type)) field.prefill = prefill.value;
      return field;
    }),
  };
}

/** Earlier fields a field may depend on: questions (a multiple-choice answer is a list, which never equals one value). */
export function conditionTargets(fields: DraftField[], index: number, current: number | null): DraftField[] {
  return fields
    .slice(0, index)
    .filter((field) => field.key === current || (!NO_ANSWER.includes(field.type) && field.type !== "multiple_choice"));
}

export function withAnswer(answers: Answers, id: string, value: AnswerValue | undefined): Answers {
  const next = { ...answers };
  if (value === undefined) delete next[id];
  else next[id] = value;
  return next;
}

export function truncate(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
