// A client fills in a form sent to them: answers save as they go, then they consent to sign electronically
// (once per request), attest and type their name. A signed form opens read-only, with its PDF to download.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../../../api/errors";
import type { Answers, AnswerValue, FormDefinition } from "../../../api/formDefinition";
import type { FormRequest } from "../../../api/paperwork";
import {
  consentToSign,
  myDocumentLink,
  type OpenFormRequest,
  openMyFormRequest,
  saveAnswers,
  signForm,
} from "../../../api/portal";
import { navigate } from "../../../router";
import {
  FormRenderer,
  NEEDS_ANSWER,
  answerProblem,
  answersToSend,
  checkAnswers,
  controlId,
  formatAnswer,
  isEmpty,
  isQuestion,
  visibleFields,
} from "../../forms/renderer/FormRenderer";
import { Alert, Status, TextField, errorFor, useAction } from "../../../ui/forms";
import { Loading, PageHeading } from "../../../ui/layout";
import { useLoad } from "../../../ui/useLoad";
import { When } from "../../../ui/When";
import { appPath, useShell } from "../../../shell/context";
import { openDocument } from "../../paperwork/documents";

const PREFIX = "q";
const AUTOSAVE_DELAY_MS = 800;

function decode(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

export default function FillForm({ param }: { param: string }) {
  const id = decode(param);
  const { data, error, setData } = useLoad(() => openMyFormRequest(id), [id]);
  const [justSigned, setJustSigned] = useState(false);
  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Form not found" : error.status === 403 ? "Not available" : "Form";
    return (
      <>
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no form for you at this address.</p> : <Alert error={error} />}
        <HomeLink />
      </>
    );
  }
  if (data.request.status === "completed") return <Completed opened={data} justSigned={justSigned} />;
  return (
    <Filling
      opened={data}
      onSigned={(request, answers) => {
        setJustSigned(true);
        setData({ ...data, request, answers });
      }}
      onAlreadySigned={async () => setData(await openMyFormRequest(id))}
    />
  );
}

function HomeLink() {
  const { slug } = useShell();
  return (
    <p>
      <a href={appPath(slug)}>Back to home</a>
    </p>
  );
}

// --- filling in, with autosave ---

type SaveState = { kind: "idle" | "saving" | "saved" } | { kind: "error"; message: string };

/** Server errors on "answers.{id}" as messages per question id. */
function answerErrors(error: ApiError): Record<string, string> {
  const found: Record<string, string> = {};
  for (const item of error.errors) {
    const match = /(?:^|\.)answers\.([a-z][a-z0-9_]*)$/.exec(item.field);
    if (match && !found[match[1]]) found[match[1]] = item.message;
  }
  return found;
}

function focusQuestion(fieldId: string) {
  const control = document.getElementById(controlId(PREFIX, fieldId));
  control?.focus();
  control?.scrollIntoView({ block: "center" });
}

interface FillingProps {
  opened: OpenFormRequest;
  onSigned: (request: FormRequest, answers: Answers) => void;
  onAlreadySigned: () => Promise<void>;
}

function Filling({ opened, onSigned, onAlreadySigned }: FillingProps) {
  const { slug } = useShell();
  const { definition } = opened;
  const requestId = opened.request.id;
  const [answers, setAnswers] = useState<Answers>(opened.answers ?? {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<ApiError | string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const [step, setStep] = useState<"fill" | "sign">("fill");
  const [consentGiven, setConsentGiven] = useState(opened.consent_given);

  // Autosave bookkeeping lives in refs: timers and requests outlast renders.
  const latest = useRef(answers);
  const lastSent = useRef(JSON.stringify(answersToSend(definition, answers)));
  const timer = useRef<number | null>(null);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const mounted = useRef(true);

  function payload(): Answers {
    // Answers the server would refuse (a half-typed email) wait until they are fixed; the rest is saved.
    const invalid = new Set(Object.keys(checkAnswers(definition, latest.current, false)));
    return answersToSend(definition, latest.current, invalid);
  }

  /** Saves what changed since the last save; resolves to whether everything is saved. */
  async function flush(): Promise<boolean> {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    while (inFlight.current) await inFlight.current;
    const body = payload();
    const serialized = JSON.stringify(body);
    if (serialized === lastSent.current) {
      if (mounted.current) setSave({ kind: "saved" });
      return true;
    }
    const attempt = (async () => {
      if (mounted.current) setSave({ kind: "saving" });
      try {
        await saveAnswers(requestId, body);
        lastSent.current = serialized;
        if (mounted.current) setSave({ kind: "saved" });
        return true;
      } catch (caught) {
        const problem = toApiError(caught);
        if (!mounted.current) return false;
        if (problem.status === 409) {
          await onAlreadySigned();
          return false;
        }
        const placed = answerErrors(problem);
        if (Object.keys(placed).length) setErrors((current) => ({ ...current, ...placed }));
        setSave({
          kind: "error",
          message:
            problem.status === 422
              ? "Not saved: some answers need attention."
              : "Your latest changes aren't saved yet. Check your connection; we'll try again.",
        });
        return false;
      }
    })();
    inFlight.current = attempt;
    try {
      return await attempt;
    } finally {
      inFlight.current = null;
    }
  }

  function schedule() {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void flush();
    }, AUTOSAVE_DELAY_MS);
  }

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (timer.current !== null || inFlight.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      mounted.current = false;
      // Leaving the page within the autosave delay: save what is pending anyway.
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
        const body = payload();
        if (JSON.stringify(body) !== lastSent.current) saveAnswers(requestId, body).catch(() => undefined);
      }
    };
  }, []);

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
    schedule();
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
    if (await flush()) navigate(appPath(slug));
    else if (mounted.current) setAlert("Your answers couldn't all be saved. Fix the marked answers or try again.");
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
    void flush();
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

  const saveText =
    save.kind === "saving"
      ? "Saving…"
      : save.kind === "saved"
        ? "All changes saved"
        : save.kind === "error"
          ? save.message
          : null;

  if (step === "sign") {
    return (
      <>
        <PageHeading title={definition.title}>{definition.title}</PageHeading>
        <SigningStep
          opened={opened}
          answers={answers}
          consentGiven={consentGiven}
          onConsented={() => setConsentGiven(true)}
          onBack={() => setStep("fill")}
          onSign={(fullName) => signForm(requestId, fullName, answersToSend(definition, latest.current))}
          onSigned={(request) => onSigned(request, answersToSend(definition, latest.current))}
          onRefused={refused}
          onAlreadySigned={onAlreadySigned}
        />
      </>
    );
  }

  return (
    <>
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      {definition.description && <p class="lead">{definition.description}</p>}
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
      <div
        role="status"
        class={`autosave${save.kind === "error" ? " autosave-error" : ""}${saveText ? "" : " live-empty"}`}
      >
        {saveText}
      </div>
    </>
  );
}

// --- review, consent, attestation and signature ---

interface SigningStepProps {
  opened: OpenFormRequest;
  answers: Answers;
  consentGiven: boolean;
  onConsented: () => void;
  onBack: () => void;
  onSign: (fullName: string) => Promise<FormRequest>;
  onSigned: (request: FormRequest) => void;
  /** True when the refusal was about answers (the form is shown again). */
  onRefused: (problem: ApiError) => boolean;
  onAlreadySigned: () => Promise<void>;
}

function SigningStep(props: SigningStepProps) {
  const { opened, answers, consentGiven } = props;
  const { definition, disclosure } = opened;
  const heading = useRef<HTMLHeadingElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const [agree, setAgree] = useState(false);
  const [agreeError, setAgreeError] = useState<string | undefined>();
  const [fullName, setFullName] = useState("");
  const [attested, setAttested] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();
  const [attestError, setAttestError] = useState<string | undefined>();
  const consent = useAction();
  const signing = useAction();

  useEffect(() => heading.current?.focus(), []);

  async function giveConsent(event: Event) {
    event.preventDefault();
    if (!agree) return setAgreeError("Tick the box to agree, or ask your practice for a paper copy to sign.");
    setAgreeError(undefined);
    const failure = await consent.run(async () => {
      await consentToSign(opened.request.id, disclosure.version);
      props.onConsented();
      setTimeout(() => nameInput.current?.focus(), 0);
    });
    if (failure?.status === 409) await props.onAlreadySigned();
  }

  async function sign(event: Event) {
    event.preventDefault();
    const name = fullName.trim();
    const missingName = name.length < 2 ? "Type your full name." : undefined;
    const missingAttest = attested ? undefined : "Tick the box to confirm the statement above.";
    setNameError(missingName);
    setAttestError(missingAttest);
    if (missingName || missingAttest) {
      signing.setError("Type your full name and confirm the statement to sign.");
      if (missingName) nameInput.current?.focus();
      return;
    }
    const failure = await signing.run(async () => props.onSigned(await props.onSign(name)));
    if (!failure) return;
    if (failure.status === 409) return props.onAlreadySigned();
    if (failure.status === 422) {
      if (props.onRefused(failure)) return;
      setNameError(errorFor(failure, "full_name"));
      setAttestError(errorFor(failure, "attested"));
    }
  }

  return (
    <>
      <h2 ref={heading} tabIndex={-1}>
        Review and sign
      </h2>
      <section class="card" aria-labelledby="review-heading">
        <h3 id="review-heading">Your answers</h3>
        <AnswerList definition={definition} answers={answers} />
        <button type="button" class="button button-secondary" onClick={props.onBack}>
          Change answers
        </button>
      </section>
      {!consentGiven ? (
        <form class="card" onSubmit={giveConsent} noValidate aria-labelledby="consent-heading">
          <h3 id="consent-heading">Consent to sign electronically</h3>
          <p id="disclosure-text">{disclosure.text}</p>
          <Alert error={consent.error} fields={["disclosure_version"]} />
          <Checkbox
            label="I agree to sign electronically"
            checked={agree}
            onChecked={(checked) => {
              setAgree(checked);
              if (checked) setAgreeError(undefined);
            }}
            describedBy="disclosure-text"
            error={agreeError ?? errorFor(consent.apiError, "disclosure_version")}
          />
          <button type="submit" class="button" aria-disabled={consent.busy}>
            Continue
          </button>
        </form>
      ) : (
        <form class="card" onSubmit={sign} noValidate aria-labelledby="sign-heading">
          <h3 id="sign-heading">Sign</h3>
          <p id="attestation-text" class="attestation">
            {disclosure.attestation}
          </p>
          <Alert error={signing.error} fields={["full_name", "attested"]} />
          <TextField
            label="Type your full name to sign"
            value={fullName}
            onValue={(value) => {
              setFullName(value);
              if (value.trim().length >= 2) setNameError(undefined);
            }}
            autoComplete="name"
            spellcheck={false}
            required
            error={nameError}
            inputRef={nameInput}
          />
          <Checkbox
            label="I have read the attestation above and sign this form"
            checked={attested}
            onChecked={(checked) => {
              setAttested(checked);
              if (checked) setAttestError(undefined);
            }}
            describedBy="attestation-text"
            error={attestError}
          />
          <button type="submit" class="button" aria-disabled={signing.busy}>
            Sign form
          </button>
        </form>
      )}
    </>
  );
}

function Checkbox(props: {
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  describedBy?: string;
  error?: string;
}) {
  const id = useId();
  return (
    <div class={props.error ? "checkbox checkbox-large field-invalid" : "checkbox checkbox-large"}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChecked(event.currentTarget.checked)}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={[props.describedBy, props.error && `${id}-error`].filter(Boolean).join(" ") || undefined}
      />
      <label for={id}>{props.label}</label>
      {props.error && (
        <p id={`${id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The shown questions and their answers, for review. */
function AnswerList({ definition, answers }: { definition: FormDefinition; answers: Answers }) {
  const questions = visibleFields(definition, answers).filter(isQuestion);
  return (
    <dl class="answer-list">
      {questions.map((field) => (
        <div key={field.id}>
          <dt>{field.label}</dt>
          <dd class={isEmpty(answers[field.id]) ? "hint" : undefined}>{formatAnswer(answers[field.id])}</dd>
        </div>
      ))}
    </dl>
  );
}

// --- signed ---

function Completed({ opened, justSigned }: { opened: OpenFormRequest; justSigned: boolean }) {
  const { slug } = useShell();
  const { request, definition, answers } = opened;
  const heading = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (justSigned) heading.current?.focus();
  }, [justSigned]);

  async function download() {
    setDone(null);
    await run(async () => {
      const filename = await openDocument(() => myDocumentLink(request.id));
      setDone(`Downloading “${filename}”.`);
    });
  }

  return (
    <>
      <PageHeading title={definition.title}>{definition.title}</PageHeading>
      {justSigned && (
        <h2 ref={heading} tabIndex={-1} class="signed-heading">
          Signed. Thank you!
        </h2>
      )}
      <p>
        {request.signed_at ? (
          <>
            Signed by <strong>{request.signed_name}</strong> on <When at={request.signed_at} />.
          </>
        ) : (
          "This form is signed."
        )}{" "}
        It can no longer be changed.
      </p>
      <Status message={done} />
      <Alert error={error} />
      <div class="actions">
        <button type="button" class="button" aria-disabled={busy} onClick={download}>
          Download a copy
        </button>
      </div>
      <p>
        <a href={appPath(slug)}>Back to home</a>
      </p>
      <section class="card" aria-labelledby="signed-answers-heading">
        <h2 id="signed-answers-heading">Your signed answers</h2>
        {definition.description && <p>{definition.description}</p>}
        <FormRenderer
          definition={definition}
          answers={answers ?? {}}
          idPrefix="signed"
          signatureNote={request.signed_name ? `signed by ${request.signed_name}.` : "signed."}
        />
      </section>
    </>
  );
}
