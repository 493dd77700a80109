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

/** Who may open a section. */
type Access = "everyone" | "staff" | "administrator" | "client";

/** A section screen gets the rest of a "base/*" address (a record's id) as `param`. */
type ScreenProps = { param: string };

interface Section extends NavItem {
  screen: ComponentType<ScreenProps>;
  access: Access;
  /** Reached through links only, never listed in the navigation. */
  unlisted?: boolean;
}

const screen = (load: () => Promise<{ default: ComponentType<ScreenProps> }>) => lazy<ScreenProps>(load);

const SECTIONS: Section[] = [
  { path: "", label: "Home", screen: screen(() => import("./Home")), access: "staff" },
  { path: "", label: "Home", screen: screen(() => import("./ClientHome")), access: "client" },
  { path: "clients", label: "Clients", screen: screen(() => import("./Clients")), access: "staff" },
  {
    path: "clients/*",
    label: "Client",
    screen: screen(() => import("./ClientDetails")),
    access: "staff",
    unlisted: true,
  },
  { path: "forms", label: "Intake forms", screen: screen(() => import("./FormsScreen")), access: "administrator" },
  // "forms/{id}": the builder for administrators, the filling screen (by request id) for clients.
  {
    path: "forms/*",
    label: "Intake form",
    screen: screen(() => import("./FormBuilder")),
    access: "administrator",
    unlisted: true,
  },
  { path: "forms/*", label: "Form", screen: screen(() => import("./FillForm")), access: "client", unlisted: true },
  { path: "settings", label: "Portal settings", screen: screen(() => import("./Settings")), access: "administrator" },
  { path: "staff", label: "Staff", screen: screen(() => import("./StaffScreen")), access: "administrator" },
  {
    path: "subscription",
    label: "Subscription",
    screen: screen(() => import("./SubscriptionScreen")),
    access: "administrator",
  },
  { path: "audit", label: "Audit log", screen: screen(() => import("./AuditLog")), access: "administrator" },
  { path: "account", label: "Account", screen: screen(() => import("./Account")), access: "everyone" },
];

function mayOpen(access: Access, role: SessionView["principal"]["role"]): boolean {
  if (access === "everyone") return true;
  if (role === "client") return access === "client";
  return access === "staff" || (access === "administrator" && role === "administrator");
}

/** "clients/cli_1" → the "clients/*" section with param "cli_1"; deeper addresses match nothing. */
function route(section: string): { pattern: string; param: string } {
  const parts = section.split("/");
  if (parts.length === 1) return { pattern: section, param: "" };
  if (parts.length === 2 && parts[1]) return { pattern: `${parts[0]}/*`, param: parts[1] };
  return { pattern: section, param: "" };
}

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

  const { role } = session.principal;
  const isClient = role === "client" || session.principal.kind === "client";
  const allowed = SECTIONS.filter((item) => mayOpen(item.access, isClient ? "client" : role));
  const { pattern, param } = route(section);
  const current = allowed.find((item) => item.path === pattern);
  const exists = SECTIONS.some((item) => item.path === pattern);
  const Screen = current ? current.screen : !exists ? NoSuchPage : isClient ? StaffOnly : NoAccess;
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
        <Navigation
          slug={slug}
          items={allowed.filter((item) => !item.unlisted)}
          current={section}
          onSignOut={signOut}
        />
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <Alert error={error} />
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

function NoAccess() {
  return (
    <>
      <PageHeading title="Not available">This page is for administrators</PageHeading>
      <p>Ask your practice administrator if you need something changed here.</p>
    </>
  );
}

function StaffOnly() {
  return (
    <>
      <PageHeading title="Not available">This page is for practice staff</PageHeading>
      <p>Everything in your portal is under Home and Account.</p>
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
