// A client's conversation (staff): the messages, read receipts, and writing back with attachments.
import { appPath, useShell } from "../../shell/context";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading } from "../../ui/layout";
import { decodeParam } from "../../ui/params";
import { Conversation } from "./Conversation";
import { useConversation } from "./useConversation";

export default function StaffConversation({ param }: { param: string }) {
  const { slug } = useShell();
  const clientId = decodeParam(param);
  const conversation = useConversation("staff", clientId);
  const { page, error } = conversation;
  const back = (
    <p>
      <a href={appPath(slug, "messages")}>Back to messages</a>
    </p>
  );
  if (!page) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Conversation not found" : "Messages";
    return (
      <>
        {back}
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no client of yours at this address.</p> : <Alert error={error} />}
      </>
    );
  }
  const name = page.client_name;
  return (
    <>
      {back}
      <PageHeading title="Conversation">Messages with {name}</PageHeading>
      <p>
        <a href={appPath(slug, `clients/${encodeURIComponent(clientId)}`)}>Open {name}'s client page</a>
      </p>
      <Conversation side="staff" clientId={clientId} conversation={conversation} />
    </>
  );
}
