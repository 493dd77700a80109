// The one renderer of intake forms: the builder's preview, the forms list's preview and the client's filling
// screen all show a form definition through it, by the rules in rules.ts.
import { useId } from "preact/hooks";
import type { Answers, AnswerValue, FormDefinition } from "../../../api/formDefinition";
import { Question } from "./Question";
import { visibleFields } from "./rules";

export interface FormRendererProps {
  definition: FormDefinition;
  answers: Answers;
  /** Without it the form is shown read-only. */
  onAnswer?: (fieldId: string, value: AnswerValue | undefined) => void;
  /** A question left (blurred): the filling screen checks its format then. */
  onLeave?: (fieldId: string) => void;
  errors?: Record<string, string>;
  /** Prefix of the controls' ids; unique per page. */
  idPrefix?: string;
  /** Shown in place of signature fields. */
  signatureNote?: string;
  /** Questions answered from the practice's records: each says so, for the client to check. */
  prefilled?: string[];
}

export function FormRenderer(props: FormRendererProps) {
  const generated = useId();
  const prefix = props.idPrefix ?? `form${generated}`;
  const { definition, answers } = props;
  return (
    <div class="rendered-form">
      {visibleFields(definition, answers).map((field) => (
        <Question key={field.id} field={field} prefix={prefix} {...props} />
      ))}
    </div>
  );
}
