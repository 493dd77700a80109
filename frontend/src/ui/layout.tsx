import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { hasNavigatedInApp } from "../router";
import { type Branding, applyBranding } from "./branding";

export const PRODUCT_NAME = "Client Portal";

/** What names the site in page titles: the practice on its own pages, the product elsewhere. */
let siteName = PRODUCT_NAME;

export function setSiteName(name: string | null): void {
  const before = siteName;
  siteName = name || PRODUCT_NAME;
  // A renamed practice: the open page's title follows at once, not at the next page.
  if (before !== siteName && document.title.endsWith(` — ${before}`)) {
    document.title = `${document.title.slice(0, -` — ${before}`.length)} — ${siteName}`;
  }
}

/**
 * The page's h1. It names the document and, after an in-app navigation, takes focus so
 * screen-reader and keyboard users start at the new page's top.
 */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title === siteName ? title : `${title} — ${siteName}`;
    if (hasNavigatedInApp()) ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A practice as its public pages show it. */
export interface PracticeMark extends Branding {
  name: string;
  slug: string;
}

/** The practice's mark: its logo (if any) and name, linking to its own sign-in page — never to the product's. */
export function Brand({ practice, href }: { practice: PracticeMark; href: string }) {
  return (
    <a class="brand" href={href}>
      {practice.logo_url && <img class="brand-logo" src={practice.logo_url} alt="" />}
      <span class="brand-name">{practice.name}</span>
    </a>
  );
}

/**
 * Frame of the pages seen before signing in: a practice's (branded; `null` while it loads, when the header stays
 * empty rather than link to the product) or, without `practice`, the product's own.
 */
export function PublicLayout({ children, practice }: { children: ComponentChildren; practice?: PracticeMark | null }) {
  useEffect(() => {
    applyBranding(practice ?? null);
    setSiteName(practice?.name ?? null);
  }, [practice?.slug, practice?.accent_color, practice?.logo_url, practice?.name]);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="site-header">
        {practice ? (
          <Brand practice={practice} href={`/o/${encodeURIComponent(practice.slug)}`} />
        ) : practice === undefined ? (
          <a class="brand" href="/">
            {PRODUCT_NAME}
          </a>
        ) : (
          <span class="brand" aria-hidden="true">
            &nbsp;
          </span>
        )}
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
