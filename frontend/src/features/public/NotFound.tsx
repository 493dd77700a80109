import { useLocation } from "../../router";
import { PageHeading, PublicLayout } from "../../ui/layout";
import { OrgPage } from "./OrgPage";

/** No page at this address. Under a practice's address (`/o/{slug}/…`) it wears the practice's branding and leads to
 * its sign-in page, never to the product's own page. */
export default function NotFound() {
  const { path } = useLocation();
  const slug = /^\/o\/([^/]+)/.exec(path)?.[1];
  if (slug) {
    return (
      <OrgPage slug={decodeURIComponent(slug)}>
        {(organization) => (
          <>
            <PageHeading title="Page not found">Page not found</PageHeading>
            <p>There is nothing at this address.</p>
            <p>
              <a href={`/o/${encodeURIComponent(organization.slug)}`}>Go to {organization.name}'s sign-in page</a>
            </p>
          </>
        )}
      </OrgPage>
    );
  }
  return (
    <PublicLayout>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>There is nothing at this address.</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </PublicLayout>
  );
}
