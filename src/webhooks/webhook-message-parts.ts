// The parts of a Meta `message` besides its text, narrowed from webhook JSON (reference §8.4, and the
// shapes public Messenger/Instagram integrations handle): attachments of every type, `reply_to` (a
// message, or an Instagram story), `quick_reply`, `referral` (ads, m.me / ig.me links) and
// `is_unsupported`. Every field is optional and loose: Meta adds fields, and an attachment type we
// do not know yet is still kept (shown by its type), never dropped.
import { z } from 'zod';

const coordinates = z.object({ lat: z.number(), long: z.number() });

export const attachmentSchema = z.object({
  type: z.string().min(1),
  // Messenger `fallback` and `location` put title and url beside the payload.
  title: z.string().nullish(),
  url: z.string().nullish(),
  payload: z
    .object({
      url: z.string().nullish(),
      title: z.string().nullish(),
      name: z.string().nullish(),
      sticker_id: z.union([z.number(), z.string()]).nullish(),
      reel_video_id: z.union([z.number(), z.string()]).nullish(),
      coordinates: coordinates.nullish(),
      template_type: z.string().nullish(),
      text: z.string().nullish(),
      elements: z.array(z.object({ title: z.string().nullish(), subtitle: z.string().nullish() })).nullish(),
    })
    .nullish(),
});

export const referralSchema = z.object({
  ref: z.string().nullish(),
  source: z.string().nullish(),
  type: z.string().nullish(),
  ad_id: z.string().nullish(),
  referer_uri: z.string().nullish(),
  ads_context_data: z.object({ ad_title: z.string().nullish(), post_id: z.string().nullish() }).nullish(),
});

export const replyToSchema = z.object({
  mid: z.string().nullish(),
  story: z.object({ url: z.string().nullish(), id: z.string().nullish() }).nullish(),
});

/** What Parley keeps of an attachment; `url` is Meta's (CDN) address, handed to the media store. */
export interface AttachmentRef {
  type: string;
  url: string | null;
  name: string | null;
  /** A share's or template's title, a location's place name. */
  title: string | null;
  /** Where a `fallback` / shared link points (not a file to download). */
  link: string | null;
  sticker_id: string | null;
  coordinates: { lat: number; long: number } | null;
}

export interface Referral {
  source: string | null;
  type: string | null;
  ref: string | null;
  ad_id: string | null;
  ad_title: string | null;
  referer_uri: string | null;
}

/** Extras of a message, stored as JSON in messages.details. */
export interface MessageDetails {
  reply_to_mid?: string;
  /** An Instagram story reply (the story itself is kept as a `story` attachment). */
  story_id?: string;
  quick_reply_payload?: string;
  postback_payload?: string;
  referral?: Referral;
  unsupported?: true;
  /** Arrived under `standby`: another app owned the thread. */
  standby?: true;
  edit_count?: number;
  edited_at?: number;
}

const FILE_TYPES = new Set(['image', 'video', 'audio', 'file']);

export function toAttachmentRef(a: z.infer<typeof attachmentSchema>): AttachmentRef {
  const p = a.payload ?? {};
  // fallback (a shared link on Messenger) points at a web page, not at a file.
  const isLink = a.type === 'fallback';
  const url = isLink ? null : (p.url ?? null);
  const firstElement = p.elements?.[0];
  return {
    type: a.type,
    url: a.type === 'location' ? null : url,
    name: p.name ?? null,
    title: a.title ?? p.title ?? firstElement?.title ?? p.text ?? null,
    link: isLink ? (a.url ?? p.url ?? null) : a.type === 'location' ? (a.url ?? null) : null,
    sticker_id: p.sticker_id == null ? null : String(p.sticker_id),
    coordinates: p.coordinates ?? null,
  };
}

export function toReferral(r: z.infer<typeof referralSchema>): Referral {
  return {
    source: r.source ?? null,
    type: r.type ?? null,
    ref: r.ref ?? null,
    ad_id: r.ad_id ?? null,
    ad_title: r.ads_context_data?.ad_title ?? null,
    referer_uri: r.referer_uri ?? null,
  };
}

/** Whether Parley should download this attachment's url and keep the bytes. */
export const isDownloadable = (a: AttachmentRef) =>
  a.url !== null && (FILE_TYPES.has(a.type) || !['fallback', 'template', 'location'].includes(a.type));
