// The form builder (administrators): a form's title, description and ordered fields; saving writes a new version.
// Standard forms open read-only, with a button to copy them.
import { getForm } from "../../../api/forms";
import { Alert } from "../../../ui/forms";
import { Loading, PageHeading } from "../../../ui/layout";
import { decodeParam } from "../../../ui/params";
import { useLoad } from "../../../ui/useLoad";
import { BackLink } from "./BackLink";
import { Builder } from "./Builder";
import { StandardForm } from "./StandardForm";

export default function FormBuilder({ param }: { param: string }) {
  const id = decodeParam(param);
  if (id === "new") return <Builder key="new" loaded={null} />;
  return <ExistingForm id={id} />;
}

function ExistingForm({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => getForm(id), [id]);
  if (!data) {
    if (!error) return <Loading />;
    const heading = error.status === 404 ? "Form not found" : "Intake form";
    return (
      <>
        <BackLink />
        <PageHeading title={heading}>{heading}</PageHeading>
        {error.status === 404 ? <p>There is no form at this address.</p> : <Alert error={error} />}
      </>
    );
  }
  if (data.form.standard) return <StandardForm version={data} />;
  return <Builder key={`${data.form.id}`} loaded={data} onReload={reload} />;
}
