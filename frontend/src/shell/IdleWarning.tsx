import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/errors";
import { getIdleDeadline, getSession, keepAlive, onIdleDeadline } from "../api/session";
import { Alert, useAction } from "../ui/forms";
import { Modal } from "../ui/Modal";

interface IdleWarningProps {
  timeoutSeconds: number;
  onSignOut: () => void;
  /** The server ended the session for inactivity. */
  onIdle: () => void;
}

const RETRY_AFTER_MS = 15_000;
// Ask only once the server has surely ended the session: GET /api/session restarts the idle timer,
// so asking a moment early (the header counts whole seconds) would keep an idle session alive.
const CHECK_GRACE_MS = 3_000;

function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Tracks the server's idle deadline (X-Idle-Expires-In on every response) and warns before it passes.
 * At the deadline it asks the server: another tab may have kept the session alive.
 */
export function IdleWarning({ timeoutSeconds, onSignOut, onIdle }: IdleWarningProps) {
  const [deadline, setDeadline] = useState(() => getIdleDeadline() ?? Date.now() + timeoutSeconds * 1000);
  const [now, setNow] = useState(Date.now);
  const checkedDeadline = useRef<number | null>(null);
  const stayButton = useRef<HTMLButtonElement>(null);
  const { error, run } = useAction();

  useEffect(() => onIdleDeadline(setDeadline), []);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const remaining = deadline - now;
  const expired = remaining <= -CHECK_GRACE_MS;

  useEffect(() => {
    if (!expired || checkedDeadline.current === deadline) return;
    checkedDeadline.current = deadline;
    getSession({ allow401: true }).catch((caught) => {
      if (caught instanceof ApiError && caught.status === 401) onIdle();
      else setDeadline(Date.now() + RETRY_AFTER_MS);
    });
  }, [expired, deadline]);

  async function stay() {
    await run(async () => {
      try {
        await keepAlive();
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 401) return onIdle();
        throw caught;
      }
    });
  }

  const warnMs = Math.min(120, timeoutSeconds / 3) * 1000;
  if (remaining > warnMs) return null;

  return (
    <Modal
      role="alertdialog"
      labelledBy="idle-heading"
      describedBy="idle-text"
      onCancel={stay}
      initialFocus={stayButton}
    >
      <h2 id="idle-heading">Are you still there?</h2>
      <p id="idle-text">
        For your privacy, you will be signed out in <span role="timer">{countdown(remaining)}</span> because there has
        been no activity.
      </p>
      <Alert error={error} />
      <div class="actions">
        <button ref={stayButton} type="button" class="button" onClick={stay}>
          Stay signed in
        </button>
        <button type="button" class="button button-secondary" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </Modal>
  );
}
