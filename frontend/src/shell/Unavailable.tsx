// What the shell shows for an address no section of the signed-in person's answers.
import { PageHeading } from "../ui/layout";

export function NoAccess() {
  return (
    <>
      <PageHeading title="Not available">This page is for administrators</PageHeading>
      <p>Ask your practice administrator if you need something changed here.</p>
    </>
  );
}

export function StaffOnly() {
  return (
    <>
      <PageHeading title="Not available">This page is for practice staff</PageHeading>
      <p>Everything in your portal is under Home and Account.</p>
    </>
  );
}

export function NoSuchPage() {
  return (
    <>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>There is nothing at this address in the portal.</p>
    </>
  );
}

export function FeatureUnavailable() {
  return (
    <>
      <PageHeading title="Not available">Not available to you</PageHeading>
      <p>This part of the portal is turned off for your practice, or needs a seat on its subscription.</p>
    </>
  );
}
