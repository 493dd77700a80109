import type { ComponentChildren } from "preact";
import type { ApiError } from "../../api/errors";
import { Alert } from "../../ui/forms";
import { Loading } from "../../ui/layout";

interface SectionProps {
  id: string;
  title: string;
  /** How many items wait (shown in the heading); null while loading. */
  count?: number | null;
  loading: boolean;
  error: ApiError | null;
  /** Where the whole list lives ("See all"). */
  more?: { href: string; label: string };
  children: ComponentChildren;
}

/** One card of a dashboard: a heading with its count, the list, and a link to where the work is done. */
export function Section({ id, title, count, loading, error, more, children }: SectionProps) {
  return (
    <section class="card dashboard-card" aria-labelledby={id} aria-busy={loading}>
      <h2 id={id}>
        {title}
        {count !== undefined && count !== null && count > 0 && <span class="badge">{count}</span>}
      </h2>
      <Alert error={error} />
      {loading && !error ? <Loading /> : children}
      {more && (
        <p class="dashboard-more">
          <a href={more.href}>{more.label}</a>
        </p>
      )}
    </section>
  );
}
