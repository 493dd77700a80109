import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

interface ModalProps {
  role?: "dialog" | "alertdialog";
  labelledBy: string;
  describedBy?: string;
  /** Escape key. */
  onCancel: () => void;
  /** Element that receives focus when the dialog opens; the first focusable element otherwise. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Room for a whole form (previews). */
  wide?: boolean;
  children: ComponentChildren;
}

/**
 * A native modal <dialog>: open while mounted. The browser makes the rest of the page inert;
 * focus returns to where it was when the dialog closes.
 */
export function Modal({
  role = "dialog",
  labelledBy,
  describedBy,
  onCancel,
  initialFocus,
  wide,
  children,
}: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current as HTMLDialogElement;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    initialFocus?.current?.focus();
    return () => {
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class={wide ? "modal modal-wide" : "modal"}
      role={role}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
