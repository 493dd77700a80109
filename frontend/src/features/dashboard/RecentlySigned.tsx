// Forms signed over the last two weeks by the viewer's clients (the practice's, for administrators), newest first.
import { getRecentlySigned } from "../../api/dashboard";
import { appPath, useShell } from "../../shell/context";
import { useLoad } from "../../ui/useLoad";
import { Section } from "./Section";
import { dayFormat } from "./time";

export function RecentlySigned({ zone }: { zone: string }) {
  const { slug } = useShell();
  const list = useLoad(() => getRecentlySigned(), []);
  const items = list.data?.items ?? [];
  const day = dayFormat(zone);

  return (
    <Section
      id="signed-heading"
      title="Newly signed documents"
      count={list.data ? items.length : null}
      loading={!list.data}
      error={list.error}
    >
      {items.length === 0 ? (
        <p>No forms signed in the last two weeks.</p>
      ) : (
        <ul class="record-list">
          {items.map((item) => (
            <li key={item.request_id}>
              <div>
                <a class="record-title" href={appPath(slug, `clients/${encodeURIComponent(item.client_id)}`)}>
                  {item.client_name}
                </a>
                <p class="hint">
                  Signed {item.title} on <time dateTime={item.signed_at}>{day.format(new Date(item.signed_at))}</time>
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
