// A client fills in a form sent to them: answers save as they go, then they consent to sign electronically
// (once per request), attest and type their name. A signed form opens read-only, with its PDF to download.
import { useState } from "preact/hooks";
import { openMyFormRequest } from "../../../api/portal";
import { appPath, useShell } from "../../../shell/context";
import { Alert } from "../../../ui/forms";
import { Loading, PageHeading } from "../../../ui/layout";
import { decodeParam } from "../../../ui/params";
import { useLoad } from "../../../ui/useLoad";
import { Completed } from "./Completed";
import { Filling } from "./Filling";

export default function FillForm({ param }: { param: string }) {
  const id = decodeParam(param);
  const { data, error, setData } = useLoad(() => openMyFormRequest(id), [id]);
  const [justSigned, setJustSigned] = useState(false);
  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Form not found" : error.status === 403 ? "Not available" : "Form";
    return (
      <>
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no form for you at this address.</p> : <Alert error={error} />}
        <HomeLink />
      </>
    );
  }
  if (data.request.status === "completed") return <Completed opened={data} justSigned={justSigned} />;
  return (
    <Filling
      opened={data}
      onSigned={(request, answers) => {
        setJustSigned(true);
        setData({ ...data, request, answers });
      }}
      onAlreadySigned={async () => setData(await openMyFormRequest(id))}
    />
  );
}

function HomeLink() {
  const { slug } = useShell();
  return (
    <p>
      <a href={appPath(slug)}>Back to home</a>
    </p>
  );
}
