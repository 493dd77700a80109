import type { StateUpdater } from "preact/hooks";
import type { Answers, FormDefinition } from "../../../api/formDefinition";
import { FormRenderer } from "../renderer/FormRenderer";
import { withAnswer } from "./draft";

interface BuilderPreviewProps {
  title: string;
  description: string;
  definition: FormDefinition;
  /** Kept by the builder, so they survive switching the preview off and on. */
  answers: Answers;
  onAnswers: (update: StateUpdater<Answers>) => void;
}

/** The unsaved form, to try out as a client would. */
export function BuilderPreview({ title, description, definition, answers, onAnswers }: BuilderPreviewProps) {
  return (
    <section class="card form-preview" aria-labelledby="builder-preview-heading">
      <h2 id="builder-preview-heading">Preview</h2>
      <p class="hint">Try the form as a client would. Answers given here are not saved.</p>
      <h3>{title || "Untitled form"}</h3>
      {description && <p>{description}</p>}
      <FormRenderer
        definition={definition}
        answers={answers}
        onAnswer={(id, value) => onAnswers((current) => withAnswer(current, id, value))}
      />
    </section>
  );
}
