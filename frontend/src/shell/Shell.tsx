import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, forgetSession, setUnauthorizedHandler, toApiError } from "../api";
import { lazy } from "../lazy";
import { navigate } from "../router";
import type { SessionView } from "../types";
import { Alert } from "../ui/forms";
import { Loading, PageHeading } from "../ui/layout";
import { IdleWarning } from "./IdleWarning";
import { Navigation, type NavItem } from "./Navigation";
import { ROLE_NAMES, ShellContext, appPath } from "./context";

interface Section extends NavItem {
  screen: ComponentType;
  adminOnly?: boolean;
}

const SECTIONS: Section[] = [
  { path: "", label: "Home", screen: lazy(() => import("./Home")) },
  { path: "settings", label: "Portal settings", screen: lazy(() => import("./Settings")), adminOnly: true },
  { path: "staff", label: "Staff", screen: lazy(() => import("./StaffScreen")), adminOnly: true },
  { path: "subscription", label: "Subscription", screen: lazy(() => import("./SubscriptionScreen")), adminOnly: true },
  { path: "audit", label: "Audit log", screen: lazy(() => import("./AuditLog")), adminOnly: true },
  { path: "account", label: "Account", screen: lazy(() => import("./Account")) },
];

type Leaving = "idle" | "signed-out" | null;

function leave(slug: string, reason: Leaving = null): void {
  forgetSession();
  navigate(`/o/${slug}${reason ? `?reason=${reason}` : ""}`, { replace: true });
}

export default function Shell({ slug, section }: { slug: string; section: string }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => leave(slug));
    api.getSession().then(
      (view) => {
        // One browser holds one session: follow it to its own practice.
        if (view.organization.slug !== slug) navigate(appPath(view.organization.slug, section), { replace: true });
        else setSession(view);
      },
      (caught) => {
        if (toApiError(caught).status !== 401) setError(toApiError(caught));
      },
    );
    return () => setUnauthorizedHandler(null);
  }, []);

  async function signOut() {
    try {
      await api.signOut();
    } catch (caught) {
      const problem = toApiError(caught);
      if (problem.status !== 401) return setError(problem);
    }
    leave(slug, "signed-out");
  }

  if (!session) {
    return <main class="page">{error ? <Alert error={error} /> : <Loading />}</main>;
  }

  const isAdmin = session.principal.role === "administrator";
  const visible = SECTIONS.filter((item) => isAdmin || !item.adminOnly);
  const current = SECTIONS.find((item) => item.path === section);
  const Screen = current && visible.includes(current) ? current.screen : current ? NoAccess : NoSuchPage;
  const renameOrganization = (name: string) =>
    setSession({ ...session, organization: { ...session.organization, name } });

  return (
    <ShellContext.Provider value={{ session, slug, renameOrganization }}>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="app-header">
        <div class="identity">
          <p class="practice-name">{session.organization.name}</p>
          <p class="who">
            {session.principal.name} <span class="role-badge">{ROLE_NAMES[session.principal.role]}</span>
          </p>
        </div>
        <Navigation slug={slug} items={visible} current={section} onSignOut={signOut} />
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <Alert error={error} />
        <Screen />
      </main>
      <IdleWarning
        timeoutSeconds={session.idle_timeout_seconds}
        onSignOut={signOut}
        onIdle={() => leave(slug, "idle")}
      />
    </ShellContext.Provider>
  );
}

function NoAccess() {
  return (
    <>
      <PageHeading title="Not available">This page is for administrators</PageHeading>
      <p>Ask your practice administrator if you need something changed here.</p>
    </>
  );
}

function NoSuchPage() {
  return (
    <>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>There is nothing at this address in the portal.</p>
    </>
  );
}
