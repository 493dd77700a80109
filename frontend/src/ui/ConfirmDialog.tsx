import type { ComponentChildren } from "preact";
import { useId, useRef } from "preact/hooks";
import { Modal } from "./Modal";

interface ConfirmDialogProps {
  /** The question, as the dialog's heading and accessible name: "Deactivate Riley Rivera?". */
  title: ComponentChildren;
  /** What confirming does; it describes the dialog. */
  children: ComponentChildren;
  /** Names the action: "Yes, deactivate". */
  confirmLabel: string;
  onConfirm: () => void;
  /** Cancel button and Escape. */
  onCancel: () => void;
}

/**
 * The one confirmation the app asks before a consequential action: an alertdialog whose Cancel button holds
 * the focus, so Enter or Escape never confirms by accident.
 */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const id = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      role="alertdialog"
      labelledBy={`${id}-heading`}
      describedBy={`${id}-text`}
      onCancel={onCancel}
      initialFocus={cancel}
    >
      <h2 id={`${id}-heading`}>{title}</h2>
      <p id={`${id}-text`}>{children}</p>
      <div class="actions">
        <button type="button" class="button button-danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button ref={cancel} type="button" class="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
