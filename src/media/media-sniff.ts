// The content type Parley stores and serves is decided from the bytes (file-type), never only from
// what the remote server or uploader claimed: a file that says image/png but holds HTML is served as
// a download of application/octet-stream, never rendered (with nosniff on every answer).

/** Types the magic numbers cannot show, accepted from the declared type when the bytes are text-like. */
const TEXTUAL = new Set(['text/plain', 'text/csv']);

export async function sniffContentType(bytes: Buffer, declared: string | null): Promise<string> {
  // Loaded with the first file, not at start: resident memory (issue 15).
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(bytes);
  if (found) return found.mime;
  const claimed = declared?.split(';')[0]?.trim().toLowerCase() ?? '';
  // SVG is XML text: file-type does not detect it; it is kept but served as a download only.
  if (
    claimed === 'image/svg+xml' &&
    /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(bytes.subarray(0, 512).toString())
  )
    return 'image/svg+xml';
  if (TEXTUAL.has(claimed) && !bytes.subarray(0, 4096).includes(0)) return claimed;
  return 'application/octet-stream';
}

/** Rendered inline in the thread; everything else is served as an attachment download. */
export function isInlineType(contentType: string): boolean {
  return /^(image\/(png|jpeg|gif|webp|avif|bmp)|video\/(mp4|webm|quicktime|ogg)|audio\/(mpeg|mp4|aac|ogg|wav|x-wav|webm|x-m4a))$/.test(
    contentType,
  );
}
