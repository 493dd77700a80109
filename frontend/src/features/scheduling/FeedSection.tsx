// The therapist's private calendar feed: an address to subscribe to (shown once), renewable and revocable.
import { useState } from "preact/hooks";
import { getFeed, issueFeed, revokeFeed } from "../../api/scheduling";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, CheckboxField, Status, useAction } from "../../ui/forms";
import { useLoad } from "../../ui/useLoad";
import { When } from "../../ui/When";

export function FeedSection() {
  const feed = useLoad(() => getFeed(), []);
  const [names, setNames] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  async function issue() {
    setDone(null);
    await action.run(async () => {
      const issued = await issueFeed(names);
      setUrl(issued.url);
      feed.setData(issued.feed);
    });
  }

  async function revoke() {
    setRevoking(false);
    await action.run(async () => {
      await revokeFeed();
      setUrl(null);
      setDone("Calendar feed revoked: the address no longer works.");
      await feed.reload();
    });
  }

  return (
    <section class="card" aria-labelledby="feed-heading">
      <h2 id="feed-heading">Calendar feed</h2>
      <p class="hint">
        Subscribe to your appointments from your own calendar app. Anyone with the address can read it: keep it private.
      </p>
      <Status message={done} />
      <Alert error={action.error ?? feed.error} />
      {feed.data?.active && (
        <p>
          A feed is active since <When at={feed.data.created_at as string} />
          {feed.data.include_client_names ? ", with client names." : ", without client names."}
        </p>
      )}
      {url && (
        <p>
          Your feed address (shown once): <span class="feed-url">{url}</span>
        </p>
      )}
      <CheckboxField label="Show client names in the feed" checked={names} onChecked={setNames} />
      <div class="actions">
        <button type="button" class="button-small" onClick={issue}>
          {feed.data?.active ? "Replace the feed address" : "Create a feed address"}
        </button>
        {feed.data?.active && (
          <button type="button" class="button-small button-secondary" onClick={() => setRevoking(true)}>
            Revoke the feed
          </button>
        )}
      </div>
      {revoking && (
        <ConfirmDialog
          title="Revoke your calendar feed?"
          confirmLabel="Yes, revoke it"
          onConfirm={revoke}
          onCancel={() => setRevoking(false)}
        >
          Calendars subscribed to it stop updating.
        </ConfirmDialog>
      )}
    </section>
  );
}
