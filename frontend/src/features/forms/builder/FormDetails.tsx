import { TextAreaField, TextField } from "../../../ui/forms";
import type { Errors } from "./check";

interface FormDetailsProps {
  title: string;
  description: string;
  errors: Errors;
  onTitle: (title: string) => void;
  onDescription: (description: string) => void;
}

/** The form's title and the description clients read above the questions. */
export function FormDetails({ title, description, errors, onTitle, onDescription }: FormDetailsProps) {
  return (
    <div class="card">
      <TextField label="Form title" value={title} onValue={onTitle} autoComplete="off" required error={errors.title} />
      <TextAreaField
        label="Description"
        value={description}
        onValue={onDescription}
        rows={3}
        maxLength={1000}
        hint="Optional. Shown to clients above the questions."
        error={errors.description}
      />
    </div>
  );
}
