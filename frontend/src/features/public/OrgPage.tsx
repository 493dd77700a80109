import type { ComponentChildren } from "preact";
import { getOrganization, type PublicOrganization } from "../../api/organizations";
import { Alert } from "../../ui/forms";
import { Loading, PageHeading, PublicLayout } from "../../ui/layout";
import { useLoad } from "../../ui/useLoad";

interface OrgPageProps {
  slug: string;
  children: (organization: PublicOrganization) => ComponentChildren;
}

/** A public page of one practice: loads it by slug, or explains that there is no such practice. */
export function OrgPage({ slug, children }: OrgPageProps) {
  const { data, error } = useLoad(() => getOrganization(slug), [slug]);

  if (error?.status === 404) return <PracticeNotFound />;
  return (
    <PublicLayout practice={data ?? null}>{data ? children(data) : error ? <Alert error={error} /> : <Loading />}</PublicLayout>
  );
}

function PracticeNotFound() {
  return (
    <PublicLayout>
      <PageHeading title="Practice not found">We couldn't find that practice</PageHeading>
      <p>
        Check the address you were given: it looks like <code>/o/your-practice</code>. If you followed a link from your
        practice, ask them for their current sign-in link.
      </p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </PublicLayout>
  );
}
