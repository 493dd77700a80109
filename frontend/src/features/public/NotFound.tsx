import { PageHeading, PublicLayout } from "../../ui/layout";

export default function NotFound() {
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
