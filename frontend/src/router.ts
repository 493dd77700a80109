// A tiny history-API router: navigate(), useLocation(), and same-origin link interception.
import { useEffect, useState } from "preact/hooks";

const listeners = new Set<() => void>();
let navigatedInApp = false;

function notify(): void {
  navigatedInApp = true;
  listeners.forEach((listener) => listener());
}

/** The payment page is its own document (its CSP allows Stripe.js): moving in or out of it loads a new page. */
const PAYMENT_PAGE = /^\/o\/[^/]+\/app\/pay\//;
const crossesPaymentPage = (to: string) =>
  PAYMENT_PAGE.test(location.pathname) !== PAYMENT_PAGE.test(new URL(to, location.href).pathname);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (crossesPaymentPage(to)) {
    if (options.replace) location.replace(to);
    else location.assign(to);
    return;
  }
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.scrollTo(0, 0);
  notify();
}

/** True once the user has moved between pages without a full load (headings take focus then). */
export function hasNavigatedInApp(): boolean {
  return navigatedInApp;
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

function interceptLinkClick(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  const link = (event.target as Element | null)?.closest("a");
  if (!link || link.target || link.hasAttribute("download") || link.origin !== location.origin) return;
  if (link.pathname.startsWith("/api/")) return;
  if (crossesPaymentPage(link.href)) return;
  // In-page anchors (the skip link) keep their native behaviour.
  if (link.hash && link.pathname === location.pathname && link.search === location.search) return;
  event.preventDefault();
  navigate(link.pathname + link.search + link.hash);
}

export function startRouter(): void {
  window.addEventListener("popstate", notify);
  document.addEventListener("click", interceptLinkClick);
}
