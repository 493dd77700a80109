// The last step: the answers to review, consent to sign electronically (once per request), then the signature.
import { useEffect, useRef } from "preact/hooks";
import type { ApiError } from "../../../api/errors";
import type { Answers } from "../../../api/formDefinition";
import type { FormRequest } from "../../../api/paperwork";
import type { OpenFormRequest } from "../../../api/portal";
import { AnswerList } from "./AnswerList";
import { ConsentForm, useConsent } from "./ConsentForm";
import { SignForm, useSignature } from "./SignForm";

interface SigningStepProps {
  opened: OpenFormRequest;
  answers: Answers;
  consentGiven: boolean;
  onConsented: () => void;
  onBack: () => void;
  onSign: (fullName: string, drawn: string | null) => Promise<FormRequest>;
  onSigned: (request: FormRequest) => void;
  /** True when the refusal was about answers (the form is shown again). */
  onRefused: (problem: ApiError) => boolean;
  onAlreadySigned: () => Promise<void>;
}

export function SigningStep(props: SigningStepProps) {
  const { opened, answers, consentGiven } = props;
  const { definition, disclosure } = opened;
  const heading = useRef<HTMLHeadingElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  // Both forms' state lives here: it outlasts a refused signature sending the client back to consent.
  const consent = useConsent({
    requestId: opened.request.id,
    disclosureVersion: disclosure.version,
    onConsented: () => {
      props.onConsented();
      setTimeout(() => nameInput.current?.focus(), 0);
    },
    onAlreadySigned: props.onAlreadySigned,
  });
  const signature = useSignature({
    nameInput,
    onSign: props.onSign,
    onSigned: props.onSigned,
    onRefused: props.onRefused,
    onAlreadySigned: props.onAlreadySigned,
  });

  useEffect(() => heading.current?.focus(), []);

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
        <ConsentForm consent={consent} disclosure={disclosure} />
      ) : (
        <SignForm signature={signature} disclosure={disclosure} nameInput={nameInput} />
      )}
    </>
  );
}
