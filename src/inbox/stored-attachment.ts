// A message's attachments as stored in messages.attachments (JSON) and as shown (CONTRACT §6 media).
// Meta's CDN address is never stored here nor shown: it lives in the media row until the bytes are
// kept, and the view points at /api/media/<id>. The media folder settles a file later; the inbox then
// rewrites that one entry (applyMediaSettled) so views stay a pure function of the row.
import { z } from 'zod';
import type { AttachmentView } from '../contract.ts';
import type { AttachmentRef } from '../webhooks/webhook-payload.ts';

const stored = z.object({
  type: z.string(),
  media_id: z.string().nullable().catch(null),
  state: z.enum(['pending', 'stored', 'failed']).nullable().catch(null),
  mime_type: z.string().nullable().catch(null),
  size: z.number().nullable().catch(null),
  name: z.string().nullable().catch(null),
  title: z.string().nullable().catch(null),
  link: z.string().nullable().catch(null),
  sticker_id: z.string().nullable().catch(null),
  coordinates: z.object({ lat: z.number(), long: z.number() }).nullable().catch(null),
});
export type StoredAttachment = z.infer<typeof stored>;
const storedList = z.array(stored.partial({ state: true }).passthrough()).catch([]);

export function parseStoredAttachments(json: string): StoredAttachment[] {
  try {
    return storedList.parse(JSON.parse(json)).map((a) => stored.parse({ ...a }));
  } catch {
    return [];
  }
}

export function storedFromRef(ref: AttachmentRef, mediaId: string | null): StoredAttachment {
  return {
    type: ref.type,
    media_id: mediaId,
    state: mediaId ? 'pending' : null,
    mime_type: null,
    size: null,
    name: ref.name,
    title: ref.title,
    link: ref.link,
    sticker_id: ref.sticker_id,
    coordinates: ref.coordinates,
  };
}

export function attachmentToView(a: StoredAttachment): AttachmentView {
  const view: AttachmentView = {
    type: a.type,
    url: a.media_id && a.state === 'stored' ? `/api/media/${a.media_id}` : null,
    mime_type: a.mime_type,
    size: a.size,
    name: a.name,
  };
  if (a.state === 'pending') view.status = 'pending';
  if (a.state === 'failed') view.status = 'unavailable';
  if (a.title) view.title = a.title;
  if (a.link) view.link = a.link;
  if (a.sticker_id) view.sticker = true;
  if (a.coordinates) view.location = a.coordinates;
  return view;
}

/** The attachments JSON with one media file settled; null when this message does not hold it. */
export function applyMediaSettled(
  json: string,
  media: {
    id: string;
    status: 'stored' | 'failed';
    content_type: string | null;
    size: number | null;
    name: string | null;
  },
): string | null {
  const list = parseStoredAttachments(json);
  let changed = false;
  for (const a of list) {
    if (a.media_id !== media.id) continue;
    a.state = media.status;
    a.mime_type = media.content_type;
    a.size = media.size;
    a.name = a.name ?? media.name;
    changed = true;
  }
  return changed ? JSON.stringify(list) : null;
}
