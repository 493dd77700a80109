import type { Answers, FormDefinition } from "../../../api/formDefinition";
import { formatAnswer, isEmpty, isQuestion, visibleFields } from "../../forms/renderer/rules";

/** The shown questions and their answers, for review. */
export function AnswerList({ definition, answers }: { definition: FormDefinition; answers: Answers }) {
  const questions = visibleFields(definition, answers).filter(isQuestion);
  return (
    <dl class="answer-list">
      {questions.map((field) => (
        <div key={field.id}>
          <dt>{field.label}</dt>
          <dd class={isEmpty(answers[field.id]) ? "hint" : undefined}>{formatAnswer(answers[field.id], field.type)}</dd>
        </div>
      ))}
    </dl>
  );
}
