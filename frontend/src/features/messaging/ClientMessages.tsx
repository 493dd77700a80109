// Messages (client): the client's private conversation with their care team.
import { useShell } from "../../shell/context";
import { PageHeading } from "../../ui/layout";
import { Conversation } from "./Conversation";
import { useConversation } from "./useConversation";

export default function ClientMessages() {
  const { session } = useShell();
  const clientId = session.principal.id;
  const conversation = useConversation("client", clientId);
  return (
    <>
      <PageHeading title="Messages">Messages</PageHeading>
      <p>Your private conversation with your care team at {session.organization.name}.</p>
      {conversation.page && (
        <p class="notice notice-info">Messages are not watched around the clock. {conversation.page.crisis_text}</p>
      )}
      <Conversation side="client" clientId={clientId} conversation={conversation} />
    </>
  );
}
