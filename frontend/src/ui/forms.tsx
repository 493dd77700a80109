// Labelled form controls whose hints and errors are wired with aria-describedby / aria-invalid,
// plus the live regions forms report into.
import type { ComponentChildren, Ref } from "preact";
import { useId, useRef, useState } from "preact/hooks";
import { ApiError, toApiError, type FieldError } from "../api/errors";

/** The rule is the server's (8–128 characters); this only tells people about it. */
export const PASSWORD_HINT = "8 to 128 characters. A passphrase of a few words works well.";

/** The server's message for one field; pydantic may prefix the field with its location ("body.email"). */
export function errorFor(error: ApiError | null, field: string): string | undefined {
  return error?.errors.find((e) => isField(e, field))?.message;
}

function isField(error: FieldError, field: string): boolean {
  return error.field === field || error.field.endsWith(`.${field}`);
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const joined = ids.filter(Boolean).join(" ");
  return joined || undefined;
}

interface TextFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: "text" | "email" | "password" | "tel" | "date" | "search" | "time" | "number";
  hint?: ComponentChildren;
  error?: string;
  autoComplete?: string;
  required?: boolean;
  spellcheck?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function TextField({ label, value, onValue, type = "text", hint, error, inputRef, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        ref={inputRef}
        // Preact's input typings discriminate on one literal `type`; all of these take the same attributes.
        type={type as "text"}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(hint !== undefined && `${id}-hint`, error && `${id}-error`)}
        {...input}
      />
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

interface TextAreaFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string;
  maxLength?: number;
  rows?: number;
  required?: boolean;
}

export function TextAreaField({ label, value, onValue, hint, error, rows = 5, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        rows={rows}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(hint !== undefined && `${id}-hint`, error && `${id}-error`)}
        {...textarea}
      />
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string;
  children: ComponentChildren;
}

export function SelectField({ label, value, onValue, error, children }: SelectFieldProps) {
  const id = useId();
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onValue(event.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {children}
      </select>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  description?: string;
}

export function CheckboxField({ label, checked, onChecked, description }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div class="checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChecked(event.currentTarget.checked)}
        aria-describedby={description ? `${id}-description` : undefined}
      />
      <label for={id}>{label}</label>
      {description && (
        <p id={`${id}-description`} class="hint">
          {description}
        </p>
      )}
    </div>
  );
}

/**
 * Always-present role="alert" region: the problem's detail (or title) and any field errors
 * that no input on the form shows.
 */
export function Alert({ error, fields = [] }: { error: ApiError | string | null; fields?: string[] }) {
  const stray = error instanceof ApiError ? error.errors.filter((e) => !fields.some((f) => isField(e, f))) : [];
  const text = error instanceof ApiError ? error.detail || error.title : error;
  return (
    <div role="alert" class={error ? "notice notice-error" : "live-empty"}>
      {text && <p>{text}</p>}
      {stray.length > 0 && (
        <ul>
          {stray.map((e) => (
            <li key={e.field}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Always-present role="status" region for confirmations. */
export function Status({ message }: { message: string | null }) {
  return (
    <div role="status" class={message ? "notice notice-success" : "live-empty"}>
      {message && <p>{message}</p>}
    </div>
  );
}

/**
 * Runs one request at a time for a form or button and keeps its error for the Alert.
 * `run` resolves to the error, or null when the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);
  const running = useRef(false);

  async function run(action: () => Promise<void>): Promise<ApiError | null> {
    if (running.current) return null;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
      return null;
    } catch (caught) {
      const problem = toApiError(caught);
      setError(problem);
      return problem;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  const apiError = error instanceof ApiError ? error : null;
  return { busy, error, apiError, setError, run };
}
