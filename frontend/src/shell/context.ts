import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Features } from "../api/organizations";
import type { Role, SessionView } from "../api/session";

export interface ShellContextValue {
  session: SessionView;
  slug: string;
  /** The portal features the signed-in person may use (null until known). */
  features: Features | null;
  /** A seat or the practice's switches changed: ask again which features this person may use. */
  refreshFeatures: () => void;
  /** Portal settings changed the practice (name, zone, colour, logo): the header, the times and the colours follow. */
  updateOrganization: (change: Partial<SessionView["organization"]>) => void;
  /** A second factor was proven again (step-up) or changed: the session view follows. */
  replaceSession: (session: SessionView) => void;
}

export const ShellContext = createContext<ShellContextValue | null>(null);

export function useShell(): ShellContextValue {
  const value = useContext(ShellContext);
  if (!value) throw new Error("useShell() outside the signed-in shell");
  return value;
}

export const ROLE_NAMES: Record<Role, string> = {
  administrator: "Administrator",
  therapist: "Therapist",
  client: "Client",
};

export function appPath(slug: string, section = ""): string {
  return `/o/${slug}/app${section ? `/${section}` : ""}`;
}
