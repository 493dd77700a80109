// Answers save as the client goes: after a short pause, one request at a time, only when something changed.
// Leaving the page within the pause still sends what is pending.
import { useEffect, useRef, useState } from "preact/hooks";
import { toApiError } from "../../../api/errors";
import type { Answers, FormDefinition } from "../../../api/formDefinition";
import { saveAnswers } from "../../../api/portal";
import { answersToSend, checkAnswers } from "../../forms/renderer/rules";
import { answerErrors } from "./answerErrors";

const AUTOSAVE_DELAY_MS = 800;

export type SaveState = { kind: "idle" | "saving" | "saved" } | { kind: "error"; message: string };

interface AutosaveOptions {
  definition: FormDefinition;
  requestId: string;
  initial: Answers;
  /** The server refused some answers: messages per question id. */
  onAnswerErrors: (errors: Record<string, string>) => void;
  /** The form was signed meanwhile (409). */
  onAlreadySigned: () => Promise<void>;
}

export function useAutosave({ definition, requestId, initial, onAnswerErrors, onAlreadySigned }: AutosaveOptions) {
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  // Autosave bookkeeping lives in refs: timers and requests outlast renders.
  const latest = useRef(initial);
  const lastSent = useRef(JSON.stringify(answersToSend(definition, initial)));
  const timer = useRef<number | null>(null);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const mounted = useRef(true);

  function payload(): Answers {
    // Answers the server would refuse (a half-typed email) wait until they are fixed; the rest is saved.
    const invalid = new Set(Object.keys(checkAnswers(definition, latest.current, false)));
    return answersToSend(definition, latest.current, invalid);
  }

  async function attempt(body: Answers, serialized: string): Promise<boolean> {
    if (mounted.current) setState({ kind: "saving" });
    try {
      await saveAnswers(requestId, body);
      lastSent.current = serialized;
      if (mounted.current) setState({ kind: "saved" });
      return true;
    } catch (caught) {
      const problem = toApiError(caught);
      if (!mounted.current) return false;
      if (problem.status === 409) {
        await onAlreadySigned();
        return false;
      }
      const placed = answerErrors(problem);
      if (Object.keys(placed).length) onAnswerErrors(placed);
      setState({
        kind: "error",
        message:
          problem.status === 422
            ? "Not saved: some answers need attention."
            : "Your latest changes aren't saved yet. Check your connection; we'll try again.",
      });
      return false;
    }
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
      if (mounted.current) setState({ kind: "saved" });
      return true;
    }
    const saving = attempt(body, serialized);
    inFlight.current = saving;
    try {
      return await saving;
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

  return { state, latest, mounted, flush, schedule };
}
