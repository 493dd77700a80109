// Filling in: the form through the shared renderer, answers checked as the client leaves each question and
// saved as they go; "Continue to review and sign" checks everything, then shows the signing step.
import { useState } from "preact/hooks";
import type { ApiError } from "../../../api/errors";
import type { Answers, AnswerValue } from "../../../api/formDefinition";
import type { FormRequest } from "../../../api/paperwork";
import { type OpenFormRequest, signForm } from "../../../api/portal";
import { navigate } from "../../../router";
import { appPath, useShell } from "../../../shell/context";
import { Alert, Status } from "../../../ui/forms";
import { PageHeading } from "../../../ui/layout";
import { FormRenderer } from "../../forms/renderer/FormRenderer";
import {
  NEEDS_ANSWER,
  answerProblem,
  answersToSend,
  checkAnswers,
  isEmpty,
  visibleFields,
} from "../../forms/renderer/rules";
import { PREFIX, answerErrors, focusQuestion } from "./answerErrors";
import { SigningStep } from "./SigningStep";
import { type SaveState, useAutosave } from "./useAutosave";

interface FillingProps {
  opened: OpenFormRequest;
  /** "Form 2 of 4" when the client has several forms to sign. */
  progress: string | null;
  /** What the previous screen has to say ("“Consent” is signed. Next: …"). */
  arrived: string | null;
  onSigned: (request: FormRequest, answers: Answers) => void;
  onAlreadySigned: () => Promise<void>;
}

export function Filling({ opened, progress, arrived, onSigned, onAlreadySigned }: FillingProps) {
  const { slug } = useShell();
  const { definition } = opened;
  const requestId = opened.request.id;
  const [answers, setAnswers] = useState<Answers>(opened.answers ?? {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<ApiError | string | null>(null);
  const [step, setStep] = useState<"fill" | "sign">("fill");
  const [consentGiven, setConsentGiven] = useState(opened.consent_given);
  const autosave = useAutosave({
    definition,
    requestId,
    initial: answers,
    onAnswerErrors: (placed) => setErrors((current) => ({ ...current, ...placed })),
    onAlreadySigned,
  });
  const { latest } = autosave;

  function answer(fieldId: string, value: AnswerValue | undefined) {
    const next = { ...latest.current };
    if (value === undefined) delete next[fieldId];
    else next[fieldId] = value;
    latest.current = next;
    setAnswers(next);
    if (errors[fieldId] && !isEmpty(value) && value !== undefined) {
      const field = definition.fields.find((item) => item.id === fieldId);
      if (field && !answerProblem(field, value)) {
        setErrors((current) => {
          const { [fieldId]: _fixed, ...rest } = current;
          return rest;
        });
      }
    }
    autosave.schedule();
  }

  function leave(fieldId: string) {
    const field = definition.fields.find((item) => item.id === fieldId);
    const value = latest.current[fieldId];
    if (!field || isEmpty(value) || value === undefined) return;
    const problem = answerProblem(field, value);
    if (problem) setErrors((current) => ({ ...current, [fieldId]: problem }));
  }

  async function finishLater() {
    setAlert(null);
    if (await autosave.flush()) navigate(appPath(slug));
    else if (autosave.mounted.current) {
      setAlert("Your answers couldn't all be saved. Fix the marked answers or try again.");
    }
  }

  async function review() {
    setAlert(null);
    const problems = checkAnswers(definition, latest.current, true);
    setErrors(problems);
    const ids = Object.keys(problems);
    if (ids.length) {
      const missing = ids.filter((id) => problems[id] === NEEDS_ANSWER).length;
      setAlert(
        missing === ids.length
          ? `Please answer every required question before signing (${ids.length} left).`
          : `${ids.length === 1 ? "One answer needs" : `${ids.length} answers need`} attention before signing.`,
      );
      focusQuestion(visibleFields(definition, latest.current).find((field) => problems[field.id])?.id ?? ids[0]);
      return;
    }
    void autosave.flush();
    setStep("sign");
  }

  /** The server refused to sign: show its reasons where they belong. */
  function refused(problem: ApiError) {
    const placed = answerErrors(problem);
    if (Object.keys(placed).length) {
      setErrors(placed);
      setStep("fill");
      setAlert(problem);
      setTimeout(() => focusQuestion(Object.keys(placed)[0]), 0);
      return true;
    }
    if (problem.errors.some((item) => item.field.endsWith("consent"))) setConsentGiven(false);
    return false;
  }

  const heading = (
    <>
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      {progress && <p class="form-progress">{progress}</p>}
    </>
  );

  if (step === "sign") {
    return (
      <>
        {heading}
        <SigningStep
          opened={opened}
          answers={answers}
          consentGiven={consentGiven}
          onConsented={() => setConsentGiven(true)}
          onBack={() => setStep("fill")}
          onSign={(fullName, drawn) => signForm(requestId, fullName, answersToSend(definition, latest.current), drawn)}
          onSigned={(request) => onSigned(request, answersToSend(definition, latest.current))}
          onRefused={refused}
          onAlreadySigned={onAlreadySigned}
        />
      </>
    );
  }

  const prefilled = opened.prefilled.length;
  return (
    <>
      {heading}
      <Status message={arrived} />
      {definition.description && <p class="lead">{definition.description}</p>}
      {prefilled > 0 && (
        <p class="notice notice-info">
          {prefilled === 1 ? "One answer was" : `${prefilled} answers were`} filled in from what your practice already
          has. Check {prefilled === 1 ? "it" : "them"} and correct anything that changed before you sign.
        </p>
      )}
      <p class="hint">
        Questions marked <span class="required-tag">Required</span> need an answer before you can sign. Your answers are
        saved as you go.
      </p>
      <form
        class="fill-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void review();
        }}
      >
        <FormRenderer
          definition={definition}
          answers={answers}
          onAnswer={answer}
          onLeave={leave}
          errors={errors}
          idPrefix={PREFIX}
          prefilled={opened.prefilled}
          signatureNote="you sign this form in the last step."
        />
        <Alert error={alert} fields={Object.keys(errors).map((id) => `answers.${id}`)} />
        <div class="actions form-actions">
          <button type="submit" class="button">
            Continue to review and sign
          </button>
          <button type="button" class="button button-secondary" onClick={finishLater}>
            Save and finish later
          </button>
        </div>
      </form>
      <SaveIndicator state={autosave.state} />
    </>
  );
}

/** The autosave's live status line. */
function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === "saving"
      ? "Saving…"
      : state.kind === "saved"
        ? "All changes saved"
        : state.kind === "error"
          ? state.message
          : null;
  return (
    <div role="status" class={`autosave${state.kind === "error" ? " autosave-error" : ""}${text ? "" : " live-empty"}`}>
      {text}
    </div>
  );
}
