import { useState } from "preact/hooks";
import { Status } from "./forms";

export function loginLink(slug: string): string {
  return `${location.origin}/o/${slug}`;
}

/** The practice's login link as text, a "Copy login link" button and its confirmation. */
export function CopyLoginLink({ slug }: { slug: string }) {
  const link = loginLink(slug);
  const [copied, setCopied] = useState<string | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Login link copied");
    } catch {
      setCopied("Couldn't copy automatically — select the link and copy it.");
    }
  }

  return (
    <>
      <p class="login-link">
        <a href={link}>{link}</a>
      </p>
      <button type="button" class="button button-secondary" onClick={copy}>
        Copy login link
      </button>
      <Status message={copied} />
    </>
  );
}
