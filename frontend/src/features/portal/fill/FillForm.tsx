// A client fills in a form sent to them: answers save as they go (contact details the practice already has come
// pre-filled, to confirm), then they consent to sign electronically (once per request), attest and type their name
// (and may draw it). After signing they go straight to the next form of the sitting ("Form 2 of 4"); a signed form
// opens read-only, with its PDF to open or download.
import { useState } from "preact/hooks";
import { listMyFormRequests, openMyFormRequest } from "../../../api/portal";
import { navigate } from "../../../router";
import { appPath, useShell } from "../../../shell/context";
import { Alert } from "../../../ui/forms";
import { Loading, PageHeading } from "../../../ui/layout";
import { decodeParam } from "../../../ui/params";
import { useLoad } from "../../../ui/useLoad";
import { setFlash, takeFlash } from "../../forms/builder/flash";
import { Completed } from "./Completed";
import { Filling } from "./Filling";
import { noteSigned, placeOf, progressText } from "./sitting";

export default function FillForm({ param }: { param: string }) {
  const { slug } = useShell();
  const id = decodeParam(param);
  const { data, error, setData } = useLoad(() => openMyFormRequest(id), [id]);
  const list = useLoad(() => listMyFormRequests(), [id]);
  // Said once the form is signed and no other waits: "Signed. Thank you!", or that it was the last of several.
  const [signedNote, setSignedNote] = useState<string | null>(null);
  const [arrived] = useState(takeFlash);
  const progress = progressText(list.data ? placeOf(list.data.items, id) : null);

  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Form not found" : error.status === 403 ? "Not available" : "Form";
    return (
      <>
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no form for you at this address.</p> : <Alert error={error} />}
        <p>
          <a href={appPath(slug)}>Back to home</a>
        </p>
      </>
    );
  }
  if (data.request.status === "completed") {
    return <Completed opened={data} signedNote={signedNote} progress={signedNote ? null : progress} />;
  }
  return (
    <Filling
      opened={data}
      progress={progress}
      arrived={arrived}
      onSigned={async (request, answers) => {
        noteSigned(request.id);
        const place = await listMyFormRequests().then(
          (fresh) => placeOf(fresh.items, request.id),
          () => null,
        );
        if (place?.next) {
          setFlash(`“${request.title}” is signed. Next: ${place.next.title}.`);
          navigate(appPath(slug, `forms/${encodeURIComponent(place.next.id)}`));
          return;
        }
        setSignedNote(place && place.total > 1 ? "Signed. That was your last form — thank you!" : "Signed. Thank you!");
        setData({ ...data, request, answers });
      }}
      onAlreadySigned={async () => setData(await openMyFormRequest(id))}
    />
  );
}
