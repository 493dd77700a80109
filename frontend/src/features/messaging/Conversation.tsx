// A conversation with its composer, from either side: reloads within seconds of any change (the shell's poll).
import { useState } from "preact/hooks";
import { type Attachment, type Side, attachmentLink } from "../../api/messages";
import { checkMessagesNow } from "../../shell/messagePoll";
import { Alert, Status, useAction } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { Composer } from "./Composer";
import { zoneLabel } from "./format";
import { MessageList } from "./MessageList";
import type { ConversationState } from "./useConversation";

interface ConversationProps {
  side: Side;
  clientId: string;
  conversation: ConversationState;
}

export function Conversation({ side, clientId, conversation }: ConversationProps) {
  const [opened, setOpened] = useState<string | null>(null);
  const action = useAction();
  const { page } = conversation;
  if (!page) return conversation.error ? <Alert error={conversation.error} /> : <Loading />;

  async function open(attachment: Attachment) {
    setOpened(null);
    await action.run(async () => {
      // A fresh link each time: it is valid for five minutes only.
      const link = await attachmentLink(side, clientId, attachment.id);
      window.location.assign(link.url);
      setOpened(`Opening “${link.filename}”.`);
    });
  }

  return (
    <section class="conversation" aria-label="Conversation">
      <p class="hint">Times in {zoneLabel(page.time_zone)}.</p>
      {conversation.hasEarlier && (
        <button
          type="button"
          class="button button-secondary"
          aria-disabled={conversation.loadingOlder}
          onClick={() => void conversation.loadEarlier()}
        >
          Load earlier messages
        </button>
      )}
      <Status message={opened} />
      <Alert error={action.error ?? conversation.error} />
      <MessageList
        messages={conversation.messages}
        side={side}
        timeZone={page.time_zone}
        seenAt={page.seen_at ?? null}
        onOpen={open}
        busy={action.busy}
      />
      {page.can_write ? (
        <Composer
          side={side}
          clientId={clientId}
          onSent={() => {
            void conversation.reload();
            void checkMessagesNow();
          }}
        />
      ) : (
        <p class="notice notice-info">{page.why_not}</p>
      )}
    </section>
  );
}
