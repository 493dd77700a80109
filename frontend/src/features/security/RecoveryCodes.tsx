import { useEffect, useRef } from "preact/hooks";

/** Ten recovery codes, shown once: the person saves them before going on. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="card" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading" ref={heading} tabIndex={-1}>
        Save your recovery codes
      </h2>
      <p>
        If you lose your phone or passkey, each of these codes signs you in once. Keep them somewhere safe, such as a
        password manager. They will not be shown again.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" class="button" onClick={onDone}>
        I have saved these codes
      </button>
    </section>
  );
}
