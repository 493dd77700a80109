// Messages (staff): my conversations, newest activity first, with unread counts; links to the auto-reply and, for
// administrators, to mass messages.
import { useEffect, useState } from "preact/hooks";
import { getInbox } from "../../api/messages";
import { onMessagesChanged } from "../../shell/messagePoll";
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { LoadMore, usePaged } from "../../ui/usePaged";
import { timeFormat, zoneLabel } from "./format";

export default function StaffInbox() {
  const { session, slug } = useShell();
  const [changes, setChanges] = useState(0);
  const [zone, setZone] = useState<string | null>(null);
  const inbox = usePaged(
    async (cursor) => {
      const page = await getInbox(cursor);
      setZone(page.time_zone);
      return page;
    },
    [changes],
  );
  useEffect(() => onMessagesChanged(() => setChanges((n) => n + 1)), []);
  const format = timeFormat(zone ?? "UTC");

  return (
    <>
      <PageHeading title="Messages">Messages</PageHeading>
      <ul class="link-list">
        <li>
          <a href={appPath(slug, "auto-reply")}>After-hours auto-reply</a>
          <span> — answer automatically when clients write outside your working hours.</span>
        </li>
        {session.principal.role === "administrator" && (
          <li>
            <a href={appPath(slug, "mass-message")}>Send a mass message</a>
            <span> — one message to many clients, each in their own private conversation.</span>
          </li>
        )}
      </ul>
      <section aria-labelledby="inbox-heading">
        <h2 id="inbox-heading">Your conversations</h2>
        <Alert error={inbox.error} />
        {inbox.loading && inbox.items.length === 0 ? (
          <Loading />
        ) : inbox.items.length === 0 ? (
          <p>No conversations yet. To write to a client, open their page under Clients.</p>
        ) : (
          <>
            {zone && <p class="hint">Times in {zoneLabel(zone)}.</p>}
            <ul class="record-list">
              {inbox.items.map((item) => (
                <li key={item.client_id}>
                  <div>
                    <a class="record-title" href={appPath(slug, `messages/${encodeURIComponent(item.client_id)}`)}>
                      {item.client_name}
                    </a>
                    {item.unread > 0 && <span class="badge">{item.unread} unread</span>}
                    <p class="hint">
                      Last message{" "}
                      <time dateTime={item.last_message_at}>{format.format(new Date(item.last_message_at))}</time>
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        <LoadMore hasMore={inbox.hasMore} loading={inbox.loading} onLoad={inbox.loadMore} />
      </section>
    </>
  );
}
