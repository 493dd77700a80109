// The messages of a conversation, oldest at the top; "Seen …" under the newest of the reader's side's messages
// that the other side has read.
import type { Attachment, Message, Side } from "../../api/messages";
import { KIND_NAMES, fileSize, timeFormat } from "./format";

interface MessageListProps {
  messages: Message[]; // newest first, as the API answers
  side: Side;
  timeZone: string;
  seenAt: string | null;
  onOpen: (attachment: Attachment) => void;
  busy: boolean;
}

export function MessageList({ messages, side, timeZone, seenAt, onOpen, busy }: MessageListProps) {
  const format = timeFormat(timeZone);
  const receipt = messages.find((m) => m.sender_kind === side && m.seen)?.id;
  if (messages.length === 0) return <p>No messages yet.</p>;
  return (
    <ol class="message-list" aria-label="Messages, oldest first">
      {[...messages].reverse().map((message) => {
        const own = message.sender_kind === side;
        return (
          <li key={message.id} class={own ? "message message-own" : "message"}>
            <p class="message-meta">
              <strong>{side === "client" && own ? "You" : message.sender_name}</strong>
              {" · "}
              <time dateTime={message.sent_at}>{format.format(new Date(message.sent_at))}</time>
              {message.automatic && <span class="badge">Automatic reply</span>}
              {message.mass && <span class="badge">Sent to several clients</span>}
            </p>
            <p class="message-text">{message.text}</p>
            {message.attachments.length > 0 && (
              <ul class="attachment-list" aria-label="Attachments">
                {message.attachments.map((attachment) => (
                  <li key={attachment.id}>
                    <button type="button" class="link-button" aria-disabled={busy} onClick={() => onOpen(attachment)}>
                      Open {attachment.filename}
                    </button>{" "}
                    <span class="hint">
                      {KIND_NAMES[attachment.content_type] ?? "File"}, {fileSize(attachment.size)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {message.id === receipt && seenAt && (
              <p class="seen">
                Seen <time dateTime={seenAt}>{format.format(new Date(seenAt))}</time>
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
