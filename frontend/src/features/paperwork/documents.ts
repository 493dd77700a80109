// What the staff and client paperwork screens share: status words and opening a signed PDF.
import type { DownloadLink, FormRequestStatus } from "../../api/paperwork";

export const REQUEST_STATUS_NAMES: Record<FormRequestStatus, string> = {
  pending: "Not started",
  in_progress: "In progress",
  completed: "Completed",
};

/**
 * Fetches a fresh download link (valid for minutes only, so never kept) and follows it: the file is served as an
 * attachment, so the browser downloads it and the portal stays open. Resolves to the file's name.
 */
export async function openDocument(link: () => Promise<DownloadLink>): Promise<string> {
  const { url, filename } = await link();
  window.location.assign(url);
  return filename;
}
