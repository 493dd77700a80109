import { useId } from "preact/hooks";

interface LargeCheckboxProps {
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  describedBy?: string;
  error?: string;
}

/** A large, easy-to-hit checkbox for consent and attestation, with its own error. */
export function LargeCheckbox(props: LargeCheckboxProps) {
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
