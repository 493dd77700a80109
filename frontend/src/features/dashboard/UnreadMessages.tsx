// Conversations with messages the viewer has not read: their own inbox (administrators read only where they write).
import { useEffect, useState } from "preact/hooks";
import { getInbox } from "../../api/messages";
import { appPath, useShell } from "../../shell/context";
import { onMessagesChanged } from "../../shell/messagePoll";
import { useLoad } from "../../ui/useLoad";
import { Section } from "./Section";
import { ago } from "./time";

const SHOWN = 5;

export function UnreadMessages() {
  const { slug } = useShell();
  const [changes, setChanges] = useState(0);
  useEffect(() => onMessagesChanged(() => setChanges((n) => n + 1)), []);
  const inbox = useLoad(() => getInbox(null), [changes]);
  const unread = (inbox.data?.items ?? []).filter((item) => item.unread > 0);

  return (
    <Section
      id="unread-heading"
      title="Unread messages"
      count={inbox.data ? unread.length : null}
      loading={!inbox.data}
      error={inbox.error}
      more={{ href: appPath(slug, "messages"), label: "All conversations" }}
    >
      {unread.length === 0 ? (
        <p>You have read every message.</p>
      ) : (
        <ul class="record-list">
          {unread.slice(0, SHOWN).map((item) => (
            <li key={item.client_id}>
              <div>
                <a class="record-title" href={appPath(slug, `messages/${encodeURIComponent(item.client_id)}`)}>
                  {item.client_name}
                </a>
                <p class="hint">
                  {item.unread} unread · last message {ago(item.last_message_at)}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
