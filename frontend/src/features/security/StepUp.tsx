// Sensitive actions (the security policy, another person's reset, one's own factors) need a second factor proven in
// the last 15 minutes. useStepUp runs an action; when the server answers "step-up required" it asks for the factor,
// then runs the action again.
import { useId, useState } from "preact/hooks";
import { ApiError, toApiError } from "../../api/errors";
import { STEP_UP_REQUIRED } from "../../api/secondFactor";
import type { SessionView } from "../../api/session";
import { useShell } from "../../shell/context";
import { Modal } from "../../ui/Modal";
import { ProveFactor } from "./ProveFactor";

/** `report` shows an error of the action when it runs again after the confirmation. */
/** Whether the session proved a second factor recently enough for a change of factors (the server decides). */
export function recentlyProven(factors: SessionView["second_factor"]): boolean {
  if (!factors.authenticator && !factors.passkeys) return true;
  return !!factors.verified_at && Date.now() - Date.parse(factors.verified_at) < 14 * 60_000;
}

export function useStepUp(report: (error: ApiError) => void) {
  const [pending, setPending] = useState<(() => Promise<void>) | null>(null);

  /** Runs `action`; answers true when it ran, false while it waits for the person to confirm it's them. */
  async function guarded(action: () => Promise<void>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (caught) {
      if (caught instanceof ApiError && caught.type === STEP_UP_REQUIRED) {
        setPending(() => action);
        return false;
      }
      throw caught;
    }
  }

  /** Asks for the factor first (the page knows the last proof is too old), then runs `action`. */
  function confirmFirst(action: () => Promise<void>): void {
    setPending(() => action);
  }

  const dialog = pending ? (
    <StepUpDialog
      onCancel={() => setPending(null)}
      onProven={async () => {
        const action = pending;
        setPending(null);
        await action().catch((caught) => report(toApiError(caught)));
      }}
    />
  ) : null;
  return { guarded, confirmFirst, dialog };
}

function StepUpDialog({ onProven, onCancel }: { onProven: () => void; onCancel: () => void }) {
  const id = useId();
  const { session, replaceSession } = useShell();
  const factors = session.second_factor;
  const hasFactor = factors.authenticator || factors.passkeys;
  return (
    <Modal labelledBy={`${id}-heading`} onCancel={onCancel}>
      <h2 id={`${id}-heading`}>Confirm it's you</h2>
      {hasFactor ? (
        <>
          <p>This change needs your second factor again.</p>
          <ProveFactor
            factors={factors}
            onProven={(view) => {
              replaceSession(view);
              onProven();
            }}
          />
        </>
      ) : (
        <p>This change needs a second factor. Set up a passkey or an authenticator app in Account first.</p>
      )}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
