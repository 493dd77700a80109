// The practice's latest mass messages and how far each has been sent.
import type { ApiError } from "../../api/errors";
import type { Campaign } from "../../api/messages";
import { Alert } from "../../ui/forms";
import { Loading } from "../../ui/layout";
import { When } from "../../ui/When";

const AUDIENCE_NAMES: Record<Campaign["audience"], string> = {
  all: "All clients with a portal account",
  therapist: "One therapist's clients",
  pending_paperwork: "Clients with paperwork waiting",
};

export function CampaignList({ campaigns, error }: { campaigns: Campaign[] | null; error: ApiError | null }) {
  return (
    <section aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading">Sent mass messages</h2>
      <Alert error={error} />
      {!campaigns ? (
        !error && <Loading />
      ) : campaigns.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul class="record-list">
          {campaigns.map((campaign) => (
            <li key={campaign.id}>
              <div>
                <p class="record-title">
                  {campaign.text.length > 80 ? `${campaign.text.slice(0, 80)}…` : campaign.text}
                </p>
                <p class="hint">
                  {AUDIENCE_NAMES[campaign.audience]} · started <When at={campaign.created_at} /> ·{" "}
                  {campaign.status === "sent" ? `sent to ${campaign.sent}` : `sending… ${campaign.sent} so far`}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
