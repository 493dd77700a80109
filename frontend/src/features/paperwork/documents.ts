// What the staff and client paperwork screens share: status words and opening a signed PDF.
import type { DownloadLink, FormRequestStatus } from "../../api/paperwork";

export const REQUEST_STATUS_NAMES: Record<FormRequestStatus, string> = {
  pending: "Not started",
  in_progress: "In progress",
  completed: "Completed",
};

/**
 * Fetches a fresh link (valid for minutes only, so never kept) and follows it. "Download" (the default) serves the
 * file as an attachment: the browser saves it and the portal stays open. "Open" (`inline`) shows it in a new tab,
 * opened in the click itself (a tab opened after waiting for the link would be blocked as a pop-up) and pointed at
 * the file once the link is known; if the browser refuses the tab, the file opens here. Resolves to the file's name.
 */
export async function openDocument(
  link: (inline: boolean) => Promise<DownloadLink>,
  { inline = false }: { inline?: boolean } = {},
): Promise<string> {
  const tab = inline ? window.open("", "_blank") : null;
  try {
    const { url, filename } = await link(inline);
    if (tab) {
      tab.opener = null;
      tab.location.href = url;
    } else {
      window.location.assign(url);
    }
    return filename;
  } catch (error) {
    tab?.close();
    throw error;
  }
}
