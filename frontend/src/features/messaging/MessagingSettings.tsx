// Portal settings, secure messaging: when an unread message is mailed about, what that mail's subject and sender
// name say (discreet by default), and the crisis text of after-hours auto-replies.
import type { ApiError } from "../../api/errors";
import type { Settings } from "../../api/organizations";
import { TextAreaField, TextField, errorFor } from "../../ui/forms";

type Messaging = Settings["messaging"];

interface MessagingFieldsProps {
  value: Messaging;
  onChange: (value: Messaging) => void;
  error: ApiError | null;
}

export function MessagingFields({ value, onChange, error }: MessagingFieldsProps) {
  const set = (change: Partial<Messaging>) => onChange({ ...value, ...change });
  return (
    <fieldset>
      <legend>Secure messaging</legend>
      <p class="hint">
        The mail never includes a message, who wrote it or an attachment's name. Keep its subject and sender name
        neutral so a shared inbox reveals nothing.
      </p>
      <TextField
        label="Mail about an unread message after (minutes)"
        type="number"
        value={String(value.notice_minutes)}
        onValue={(minutes) => set({ notice_minutes: Number.parseInt(minutes, 10) || 0 })}
        error={errorFor(error, "notice_minutes")}
      />
      <TextField
        label="Mail subject"
        value={value.mail_subject}
        onValue={(mail_subject) => set({ mail_subject })}
        error={errorFor(error, "mail_subject")}
      />
      <TextField
        label="Mail sender name"
        value={value.mail_sender}
        onValue={(mail_sender) => set({ mail_sender })}
        error={errorFor(error, "mail_sender")}
      />
      <TextAreaField
        label="Crisis text"
        value={value.crisis_text}
        onValue={(crisis_text) => set({ crisis_text })}
        hint="Added to every after-hours auto-reply."
        error={errorFor(error, "crisis_text")}
        rows={2}
      />
    </fieldset>
  );
}
