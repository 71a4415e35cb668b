// Reads a webhook body (reference §8.4) into the events the inbox applies. Remote JSON is unknown until
// narrowed: the envelope decides whether the body is usable at all (else it is quarantined), then every
// entry and every messaging item is narrowed on its own, so one odd item never costs its neighbours.
import { z } from 'zod';
import type { Channel } from '../contract.ts';
import {
  type AttachmentRef,
  attachmentSchema,
  type MessageDetails,
  type Referral,
  referralSchema,
  replyToSchema,
  toAttachmentRef,
  toReferral,
} from './webhook-message-parts.ts';

export type { AttachmentRef, MessageDetails, Referral } from './webhook-message-parts.ts';

const envelope = z.object({ object: z.string(), entry: z.array(z.unknown()) });

const entrySchema = z.object({
  id: z.string().min(1),
  time: z.number().optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
});

const party = z.object({ id: z.string().min(1) });
const messageSchema = z.object({
  mid: z.string().min(1),
  text: z.string().optional(),
  attachments: z.array(attachmentSchema).optional(),
  is_echo: z.boolean().optional(),
  metadata: z.string().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  quick_reply: z.object({ payload: z.string().nullish() }).nullish(),
  reply_to: replyToSchema.nullish(),
  referral: referralSchema.nullish(),
  // Messenger puts a sticker's id (the thumbs-up "like" among them) on the message too.
  sticker_id: z.union([z.number(), z.string()]).nullish(),
});
const itemSchema = z.object({
  sender: party,
  recipient: party,
  timestamp: z.number().optional(),
  message: messageSchema.optional(),
  postback: z
    .object({
      mid: z.string().optional(),
      title: z.string().optional(),
      payload: z.string().optional(),
      referral: referralSchema.nullish(),
    })
    .optional(),
  referral: referralSchema.optional(),
  message_edit: z
    .object({ mid: z.string().min(1), text: z.string().nullish(), num_edit: z.coerce.number().nullish() })
    .optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number().optional(), mid: z.string().optional() }).optional(),
  reaction: z
    .object({
      mid: z.string().min(1),
      action: z.enum(['react', 'unreact']),
      reaction: z.string().optional(),
      emoji: z.string().optional(),
    })
    .optional(),
});

interface EventBase {
  channel: Channel;
  /** entry.id: the Page id (object page) or the Instagram account id (object instagram). */
  accountId: string;
  /** The person's PSID or IGSID, whichever side of the event they are on. */
  participantId: string;
  /** Meta's event time, the processing order (R40). */
  timestamp: number;
  /** Arrived under entry.standby[]: another app owns the thread (handover protocol). */
  standby?: boolean;
}

export type MessagingEvent =
  | (EventBase & {
      kind: 'message';
      direction: 'inbound' | 'outbound';
      mid: string;
      text: string | null;
      attachments: AttachmentRef[];
      /** Echoes of our own sends carry our message id here. */
      metadata: string | null;
      details: MessageDetails;
    })
  | (EventBase & { kind: 'edit'; mid: string; text: string | null; editCount: number | null })
  | (EventBase & { kind: 'referral'; referral: Referral })
  | (EventBase & { kind: 'delivery'; mids: string[]; watermark: number })
  | (EventBase & { kind: 'read'; watermark: number | null; mid: string | null })
  | (EventBase & { kind: 'reaction'; mid: string; emoji: string | null })
  | (EventBase & { kind: 'unsend'; mid: string });

/** Something acknowledged but not applied, counted per reason and account (R43, R44). */
export interface Skipped {
  reason: string;
  accountId: string;
}

export type ParsedBody =
  | { ok: false; problem: string }
  | { ok: true; channel: Channel | null; object: string; entries: ParsedEntry[]; skipped: Skipped[] };

export interface ParsedEntry {
  accountId: string;
  events: MessagingEvent[];
}

const CHANNEL_OF_OBJECT: Record<string, Channel> = { page: 'messenger', instagram: 'instagram' };

export function parseWebhookBody(text: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const body = envelope.safeParse(json);
  if (!body.success) return { ok: false, problem: 'not a webhook envelope (object, entry[])' };
  const channel = CHANNEL_OF_OBJECT[body.data.object] ?? null;
  const skipped: Skipped[] = [];
  const entries: ParsedEntry[] = [];
  if (!channel) {
    skipped.push({ reason: `unsupported_object:${body.data.object.slice(0, 40)}`, accountId: '' });
    return { ok: true, channel, object: body.data.object, entries, skipped };
  }
  for (const raw of body.data.entry) {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) {
      skipped.push({ reason: 'malformed_entry', accountId: '' });
      continue;
    }
    const accountId = entry.data.id;
    const events: MessagingEvent[] = [];
    for (const item of entry.data.messaging ?? []) {
      const event = toEvent(channel, accountId, entry.data.time ?? 0, item);
      if ('reason' in event) skipped.push({ reason: event.reason, accountId });
      else events.push(event);
    }
    // Another app owns the thread (handover protocol): its events are still the conversation, so they
    // are kept, marked, and the thread says another app is handling it.
    for (const item of entry.data.standby ?? []) {
      const event = toEvent(channel, accountId, entry.data.time ?? 0, item);
      if ('reason' in event) skipped.push({ reason: event.reason, accountId });
      else {
        event.standby = true;
        events.push(event);
      }
    }
    // Field changes (feed, comments) are not messaging.
    if (entry.data.changes?.length) skipped.push({ reason: 'changes', accountId });
    entries.push({ accountId, events });
  }
  return { ok: true, channel, object: body.data.object, entries, skipped };
}

/**
 * `{ ...base, ...fields }`, written so that Node 20 takes its fast path: there an object literal that
 * spreads an object and then names more properties costs about a microsecond a property (10 µs for a
 * message event, measured; the whole parse of a one-event body is 2 µs without it). Node 24 has no
 * such cost.
 */
function withBase<T extends object>(base: EventBase, fields: T): EventBase & T {
  return Object.assign(fields, base);
}

function toEvent(
  channel: Channel,
  accountId: string,
  entryTime: number,
  raw: unknown,
): MessagingEvent | { reason: string } {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) return { reason: 'malformed_event' };
  const item = parsed.data;
  const customer = item.sender.id === accountId ? item.recipient.id : item.sender.id;
  const base: EventBase = {
    channel,
    accountId,
    participantId: customer,
    timestamp: item.timestamp ?? item.delivery?.watermark ?? entryTime,
  };
  if (item.message) {
    const m = item.message;
    if (m.is_deleted) return withBase(base, { kind: 'unsend', mid: m.mid });
    const echo = m.is_echo === true;
    if (echo !== (item.sender.id === accountId)) return { reason: 'inconsistent_sender' };
    const attachments: AttachmentRef[] = (m.attachments ?? []).map(toAttachmentRef);
    const details: MessageDetails = {};
    if (m.reply_to?.mid) details.reply_to_mid = m.reply_to.mid;
    const story = m.reply_to?.story;
    if (story) {
      // An Instagram story reply: the story is shown above the reply, kept like any attachment
      // (story URLs expire within 24 hours, so it is downloaded at once).
      if (story.id) details.story_id = story.id;
      attachments.unshift({
        type: 'story_reply',
        url: story.url ?? null,
        name: null,
        title: null,
        link: null,
        sticker_id: null,
        coordinates: null,
      });
    }
    if (m.quick_reply?.payload) details.quick_reply_payload = m.quick_reply.payload;
    if (m.referral) details.referral = toReferral(m.referral);
    if (m.is_unsupported) details.unsupported = true;
    if (m.sticker_id != null) {
      const first = attachments[0];
      if (first && first.sticker_id === null) first.sticker_id = String(m.sticker_id);
    }
    return withBase(base, {
      kind: 'message',
      direction: echo ? 'outbound' : 'inbound',
      mid: m.mid,
      text: m.text ?? null,
      attachments,
      metadata: m.metadata ?? null,
      details,
    });
  }
  if (item.postback) {
    // A button press ("Get Started", a menu item) reads as the person writing the button's title.
    const p = item.postback;
    const details: MessageDetails = {};
    if (p.payload) details.postback_payload = p.payload;
    if (p.referral) details.referral = toReferral(p.referral);
    return withBase(base, {
      kind: 'message',
      direction: 'inbound',
      mid: p.mid ?? `postback:${customer}:${base.timestamp}`,
      text: p.title ?? p.payload ?? null,
      attachments: [],
      metadata: null,
      details,
    });
  }
  if (item.message_edit) {
    const e = item.message_edit;
    return withBase(base, { kind: 'edit', mid: e.mid, text: e.text ?? null, editCount: e.num_edit ?? null });
  }
  if (item.referral) return withBase(base, { kind: 'referral', referral: toReferral(item.referral) });
  if (item.delivery)
    return withBase(base, {
      kind: 'delivery',
      mids: item.delivery.mids ?? [],
      watermark: item.delivery.watermark,
    });
  if (item.read) {
    if (item.read.watermark === undefined && item.read.mid === undefined)
      return { reason: 'malformed_event' };
    return withBase(base, {
      kind: 'read',
      watermark: item.read.watermark ?? null,
      mid: item.read.mid ?? null,
    });
  }
  if (item.reaction) {
    const r = item.reaction;
    return withBase(base, {
      kind: 'reaction',
      mid: r.mid,
      emoji: r.action === 'react' ? (r.emoji ?? r.reaction ?? null) : null,
    });
  }
  return { reason: 'unsupported_event' };
}
