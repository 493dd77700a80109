// The signed-in app: loads the session, then frames the section the address names (header, navigation, idle
// warning). A 401 anywhere leads back to the practice's sign-in page.
import { useEffect, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/errors";
import {
  type SessionView,
  forgetSession,
  getSession,
  setSecondFactorHandler,
  setUnauthorizedHandler,
  signOut as endSession,
} from "../api/session";
import { lazy } from "../lazy";
import { navigate } from "../router";
import { applyBranding } from "../ui/branding";
import { Alert, Status } from "../ui/forms";
import { Brand, Loading, setSiteName } from "../ui/layout";
import { setReaderZone } from "../ui/readerZone";
import { ROLE_NAMES, ShellContext, appPath } from "./context";
import { IdleWarning } from "./IdleWarning";
import { useMessagePoll } from "./messagePoll";
import { Navigation } from "./Navigation";
import { SECTIONS, mayOpen, route } from "./sections";
import { FeatureUnavailable, NoAccess, NoSuchPage, StaffOnly } from "./Unavailable";
import { useFeatures } from "./useFeatures";

const SecondFactorGate = lazy<{ session: SessionView; onComplete: (session: SessionView, note?: string) => void }>(
  () => import("../features/security/SecondFactorGate"),
);

type Leaving = "idle" | "signed-out" | null;

function leave(slug: string, reason: Leaving = null): void {
  forgetSession();
  navigate(`/o/${slug}${reason ? `?reason=${reason}` : ""}`, { replace: true });
}

export default function Shell({ slug, section }: { slug: string; section: string }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const { features, refresh: refreshFeatures } = useFeatures(session);
  const isClient = session?.principal.role === "client" || session?.principal.kind === "client";
  const unread = useMessagePoll(features?.messaging ? (isClient ? "client" : "staff") : null);

  const [note, setNote] = useState<string | null>(null);

  // Every time on every screen reads in this person's zone (the practice's for staff, their own for a client), and
  // the practice's colour, logo and name frame its pages.
  if (session) setReaderZone(session.time_zone);
  useEffect(() => {
    if (!session) return;
    applyBranding(session.organization);
    setSiteName(session.organization.name);
  }, [session?.organization.accent_color, session?.organization.logo_url, session?.organization.name]);

  function load() {
    getSession().then(
      (view) => {
        // One browser holds one session: follow it to its own practice.
        if (view.organization.slug !== slug) navigate(appPath(view.organization.slug, section), { replace: true });
        else setSession(view);
      },
      (caught) => {
        if (toApiError(caught).status !== 401) setError(toApiError(caught));
      },
    );
  }

  useEffect(() => {
    setUnauthorizedHandler(() => leave(slug));
    // The practice started requiring a second factor, or the session was never past it: show the step again.
    setSecondFactorHandler(load);
    load();
    return () => {
      setUnauthorizedHandler(null);
      setSecondFactorHandler(null);
    };
  }, []);

  async function signOut() {
    try {
      await endSession();
    } catch (caught) {
      const problem = toApiError(caught);
      if (problem.status !== 401) return setError(problem);
    }
    leave(slug, "signed-out");
  }

  if (!session) {
    return <main class="page">{error ? <Alert error={error} /> : <Loading />}</main>;
  }

  if (session.second_factor.stage !== "complete") {
    return (
      <>
        <header class="app-header">
          <div class="identity">
            <Brand practice={session.organization} href={`/o/${slug}`} />
            <p class="who">{session.principal.name}</p>
          </div>
          <button type="button" class="button button-secondary" onClick={signOut}>
            Sign out
          </button>
        </header>
        <main id="main" class="page page-narrow" tabIndex={-1}>
          <SecondFactorGate
            session={session}
            onComplete={(view, message) => {
              setNote(message ?? null);
              setSession(view);
            }}
          />
        </main>
      </>
    );
  }

  const { role } = session.principal;
  const byRole = SECTIONS.filter((item) => mayOpen(item.access, isClient ? "client" : role));
  const allowed = byRole.filter((item) => !item.feature || features?.[item.feature]);
  const { pattern, param } = route(section);
  const current = allowed.find((item) => item.path === pattern);
  const exists = SECTIONS.some((item) => item.path === pattern);
  const gated = byRole.find((item) => item.path === pattern && item.feature);
  const Screen = current
    ? current.screen
    : gated
      ? features
        ? FeatureUnavailable
        : Loading
      : !exists
        ? NoSuchPage
        : isClient
          ? StaffOnly
          : NoAccess;
  const listed = allowed
    .filter((item) => !item.unlisted)
    .map((item) => (item.feature === "messaging" ? { ...item, badge: unread } : item));
  const updateOrganization = (change: Partial<SessionView["organization"]>) => {
    const organization = { ...session.organization, ...change };
    // Staff read times in the practice's zone: a new practice zone is theirs too.
    setSession({ ...session, organization, time_zone: isClient ? session.time_zone : organization.time_zone });
  };

  return (
    <ShellContext.Provider
      value={{ session, slug, features, refreshFeatures, updateOrganization, replaceSession: setSession }}
    >
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="app-header">
        <div class="identity">
          <Brand practice={session.organization} href={appPath(slug)} />
          <p class="who">
            {session.principal.name} <span class="role-badge">{ROLE_NAMES[session.principal.role]}</span>
          </p>
        </div>
        <Navigation slug={slug} items={listed} current={section} onSignOut={signOut} />
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <Alert error={error} />
        {note && <Status message={note} />}
        <Screen key={section} param={param} />
      </main>
      <IdleWarning
        timeoutSeconds={session.idle_timeout_seconds}
        onSignOut={signOut}
        onIdle={() => leave(slug, "idle")}
      />
    </ShellContext.Provider>
  );
}
