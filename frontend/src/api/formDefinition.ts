// An intake form's definition and a client's answers. The API carries both as free-form JSON objects (its OpenAPI
// document doesn't describe them), so their shape is written here, after chalicelib/services/form_definitions.py.
// Type aliases, not interfaces: they must fit the API's `{ [key: string]: unknown }`.

export type FieldType =
  | "short_text"
  | "long_text"
  | "number"
  | "date"
  | "single_choice"
  | "multiple_choice"
  | "yes_no"
  | "email"
  | "phone"
  | "address"
  | "heading"
  | "static_text"
  | "signature";

export type ShowIf = {
  field: string;
  equals: string | boolean | number;
};

export type FormField = {
  id: string;
  type: FieldType;
  label: string;
  required?: boolean;
  help?: string;
  options?: string[];
  show_if?: ShowIf;
  /** What the practice already knows and fills in for the client to confirm. */
  prefill?: Prefill;
};

export type Prefill = "name" | "date_of_birth" | "email" | "phone";

export type FormDefinition = {
  title: string;
  description?: string;
  fields: FormField[];
};

export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;
