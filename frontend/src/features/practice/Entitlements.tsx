import type { Features } from "../../api/organizations";
import { getEntitlements } from "../../api/subscription";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { FEATURES } from "./features";

const ADMIN_LINKS = [
  { path: "settings", label: "Portal settings", text: "Turn portal features on or off and share your login link." },
  { path: "staff", label: "Staff", text: "Invite administrators and therapists, change roles, deactivate accounts." },
  { path: "subscription", label: "Subscription", text: "Choose who gets self-scheduling and secure messaging." },
  { path: "audit", label: "Audit log", text: "See who accessed what, and download the log as CSV." },
];

export function ManagePractice() {
  const { slug } = useShell();
  return (
    <section aria-labelledby="admin-links-heading">
      <h2 id="admin-links-heading">Manage your practice</h2>
      <ul class="link-list">
        {ADMIN_LINKS.map((link) => (
          <li key={link.path}>
            <a href={appPath(slug, link.path)}>{link.label}</a>
            <span> — {link.text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the signed-in staff member may use, given their seat and the practice's settings. */
export function Entitlements({ isAdmin, practice }: { isAdmin: boolean; practice: Features | null }) {
  const { data, error } = useLoad(() => getEntitlements(), []);
  const missing = isAdmin
    ? "Not included — add a seat for yourself on the Subscription page"
    : "Not included — ask your administrator to add you to the portal subscription";

  return (
    <section aria-labelledby="features-heading">
      <h2 id="features-heading">Your portal features</h2>
      <Alert error={error} />
      {!data && !error && <Loading />}
      {data && (
        <ul class="feature-list">
          {FEATURES.map((feature) => {
            const included = data.features[feature.key];
            const turnedOff = practice !== null && !practice[feature.key];
            return (
              <li key={feature.key} class={included ? "included" : "not-included"}>
                <strong>{feature.label}</strong>:{" "}
                {included ? "Included" : turnedOff ? "Turned off for your practice in Portal settings" : missing}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
