// Choosing files to attach: checked here for type and size (the server checks again, by the file's bytes), then
// uploaded straight to storage with a ticket the API issues.
import { FILE_TYPES, MAX_FILE_BYTES, type Side, startUpload, uploadFile } from "../../api/messages";

export interface Chosen {
  key: string;
  name: string;
  state: "uploading" | "ready" | "refused";
  uploadId?: string;
  problem?: string;
}

export function refusal(file: File): string | null {
  if (!FILE_TYPES.includes(file.type)) return `${file.name}: attach a PDF or an image (PNG, JPEG, GIF, WebP, HEIC).`;
  if (file.size > MAX_FILE_BYTES) return `${file.name}: files can be up to 10 MB.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

export async function upload(side: Side, file: File): Promise<string> {
  const ticket = await startUpload(side, file);
  await uploadFile(ticket, file);
  return ticket.upload_id;
}
