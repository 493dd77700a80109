// Mass message (administrators): one message to all portal clients, a therapist's clients, or clients with
// paperwork waiting — each receives it in their own private conversation. Sent in batches by a job.
import { useEffect, useState } from "preact/hooks";
import { type CampaignRequest, listCampaigns, startCampaign } from "../../api/messages";
import { appPath, useShell } from "../../shell/context";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, SelectField, Status, TextAreaField, errorFor, useAction } from "../../ui/forms";
import { PageHeading } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";
import { useStaffChoices } from "../clients/useStaffChoices";
import { CampaignList } from "./CampaignList";

type Audience = CampaignRequest["audience"];

const AUDIENCES: { value: Audience; label: string }[] = [
  { value: "all", label: "All clients with a portal account" },
  { value: "therapist", label: "One therapist's clients" },
  { value: "pending_paperwork", label: "Clients with paperwork waiting" },
];

export default function MassMessage() {
  const { slug } = useShell();
  const [text, setText] = useState("");
  const [audience, setAudience] = useState<Audience>("all");
  const [therapistId, setTherapistId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const staff = useStaffChoices(true);
  const campaigns = useLoad(() => listCampaigns(), []);
  const { busy, error, apiError, run } = useAction();
  const sending = campaigns.data?.items.some((campaign) => campaign.status === "sending");

  useEffect(() => {
    if (!sending) return;
    const timer = window.setTimeout(() => void campaigns.reload(), 3000);
    return () => window.clearTimeout(timer);
  }, [campaigns.data]);

  async function send() {
    setConfirming(false);
    setSent(null);
    const body: CampaignRequest = {
      text,
      audience,
      therapist_id: audience === "therapist" ? therapistId || null : null,
    };
    const failure = await run(async () => {
      await startCampaign(body);
    });
    if (failure) return;
    setText("");
    setSent("Your message is being sent. Each client receives it in their own conversation.");
    void campaigns.reload();
  }

  const chosen = AUDIENCES.find((item) => item.value === audience)?.label.toLowerCase() ?? "";
  return (
    <>
      <p>
        <a href={appPath(slug, "messages")}>Back to messages</a>
      </p>
      <PageHeading title="Send a mass message">Send a mass message</PageHeading>
      <form
        class="card"
        aria-labelledby="mass-heading"
        onSubmit={(event) => {
          event.preventDefault();
          setConfirming(true);
        }}
      >
        <h2 id="mass-heading">New message</h2>
        <Status message={sent} />
        <Alert error={error} fields={["text", "audience", "therapist_id"]} />
        <SelectField label="Send to" value={audience} onValue={(value) => setAudience(value as Audience)}>
          {AUDIENCES.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </SelectField>
        {audience === "therapist" && (
          <SelectField
            label="Therapist"
            value={therapistId}
            onValue={setTherapistId}
            error={errorFor(apiError, "therapist_id")}
          >
            <option value="">Choose a therapist</option>
            {(staff.data ?? [])
              .filter((member) => member.status !== "deactivated")
              .map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name}
                </option>
              ))}
          </SelectField>
        )}
        <TextAreaField
          label="Message"
          value={text}
          onValue={setText}
          hint="Recipients see only their own conversation, never who else received it."
          error={errorFor(apiError, "text")}
        />
        <button type="submit" class="button" aria-disabled={busy}>
          Send mass message
        </button>
      </form>
      {confirming && (
        <ConfirmDialog
          title="Send this message?"
          confirmLabel="Yes, send it"
          onConfirm={() => void send()}
          onCancel={() => setConfirming(false)}
        >
          It goes to {chosen}, each in their own private conversation. Messages cannot be changed once sent.
        </ConfirmDialog>
      )}
      <CampaignList campaigns={campaigns.data?.items ?? null} error={campaigns.error} />
    </>
  );
}
