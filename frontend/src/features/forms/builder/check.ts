// The server's rules for a form, checked before sending so mistakes show beside the field they are about.
import { CHOICES, type DraftField, NO_ANSWER, optionsOf } from "./draft";

const ID_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Messages by control: "title", "description", "fields", "{key}" and "{key}.{part}". */
export type Errors = Record<string, string>;

/** The server's rules, checked before sending; keys are "title", "description", "{key}" and "{key}.{part}". */
export function check(title: string, description: string, fields: DraftField[]): Errors {
  const errors: Errors = {};
  if (!title.trim()) errors.title = "Give the form a title.";
  else if (title.trim().length > 120) errors.title = "Use at most 120 characters.";
  if (description.trim().length > 1000) errors.description = "Use at most 1,000 characters.";
  const seen = new Map<string, number>();
  let signatures = 0;
  fields.forEach((field, index) => {
    const id = field.id.trim();
    if (!ID_PATTERN.test(id)) {
      errors[`${field.key}.id`] = "Start with a lowercase letter; use lowercase letters, digits and _ (at most 40).";
    } else if (seen.has(id)) {
      errors[`${field.key}.id`] = `Field ${seen.get(id)} already uses this id.`;
    }
    seen.set(id, index + 1);
    if (!field.label.trim()) errors[`${field.key}.label`] = "Enter the question text.";
    else if (field.label.trim().length > 2000) errors[`${field.key}.label`] = "Use at most 2,000 characters.";
    if (field.help.trim().length > 500) errors[`${field.key}.help`] = "Use at most 500 characters.";
    if (CHOICES.includes(field.type)) {
      const options = optionsOf(field);
      if (options.length < 2 || new Set(options).size !== options.length) {
        errors[`${field.key}.options`] = "Enter at least two different options, one per line.";
      } else if (options.length > 50) {
        errors[`${field.key}.options`] = "Use at most 50 options.";
      } else if (options.some((option) => option.length > 200)) {
        errors[`${field.key}.options`] = "Keep each option under 200 characters.";
      }
    }
    if (field.type === "signature" && ++signatures > 1)
      errors[`${field.key}.type`] = "A form has one signature at most.";
    if (field.showIf !== null) {
      const targetIndex = fields.findIndex((candidate) => candidate.key === field.showIf);
      const target = fields[targetIndex];
      if (!target || targetIndex > index || NO_ANSWER.includes(target.type)) {
        errors[`${field.key}.show_if`] = "Choose a question that comes before this field.";
      } else if (!field.showIfValue.trim()) {
        errors[`${field.key}.show_if_value`] = "Choose or enter the answer that shows this field.";
      } else if (target.type === "number" && !Number.isFinite(Number(field.showIfValue))) {
        errors[`${field.key}.show_if_value`] = "Enter a number.";
      }
    }
  });
  if (fields.length === 0) errors.fields = "Add at least one field.";
  return errors;
}
