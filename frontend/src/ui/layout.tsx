import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { hasNavigatedInApp } from "../router";

export const PRODUCT_NAME = "Client Portal";

/**
 * The page's h1. It names the document and, after an in-app navigation, takes focus so
 * screen-reader and keyboard users start at the new page's top.
 */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — ${PRODUCT_NAME}`;
    if (hasNavigatedInApp()) ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Frame of the pages seen before signing in. */
export function PublicLayout({ children }: { children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="site-header">
        <a class="brand" href="/">
          {PRODUCT_NAME}
        </a>
      </header>
      <main id="main" class="page page-narrow" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export function Loading() {
  return <p class="loading">Loading…</p>;
}
