// Request bodies of the control API (/_emulator/*), validated with zod, and the JSON it answers with.
// client.ts types itself from this file, so the server and its typed client cannot drift apart. Past
// 300 lines because it is one table: every control request and answer, side by side.
import { z } from 'zod';
import type { CallRecord } from './call-log.ts';
import { ENDPOINTS } from './endpoints.ts';
import type { PublishResult } from './webhook-publisher.ts';
import type { DeliveryRecord } from './webhook-sender.ts';

const ms = z.number().int().min(0);

export const resetBody = z
  .object({
    latency_ms: ms.optional(),
    webhook_retry_delays_ms: z.array(ms).optional(),
    auto_delivery_ms: ms.nullable().optional(),
    auto_read_ms: ms.nullable().optional(),
  })
  .strict();

export const personaBody = z
  .object({
    key: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .optional(),
    name: z.string().min(1).max(80).optional(),
    pages: z.number().int().min(0).max(5000),
    ig_ratio: z.number().min(0).max(1).optional(),
    tasks: z.array(z.string().regex(/^[A-Z_]+$/)).optional(),
    business_only: z.boolean().optional(),
  })
  .strict();

const target = { page_id: z.string().optional(), ig_id: z.string().optional() };
const oneTarget = (b: { page_id?: string; ig_id?: string }) =>
  (b.page_id === undefined) !== (b.ig_id === undefined);

const inboundAttachment = z
  .object({
    // image (with sticker_id: a sticker or the "like"), video, audio, file, location, fallback,
    // template, share, story_mention, ig_reel, reel …
    type: z.string().min(1),
    url: z.url().optional(),
    title: z.string().optional(),
    sticker_id: z.number().int().optional(),
    reel_video_id: z.string().optional(),
    coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
    elements: z.array(z.object({ title: z.string(), subtitle: z.string().optional() })).optional(),
  })
  .strict()
  .refine(
    (a) => a.url !== undefined || ['location', 'template'].includes(a.type),
    'every attachment but location and template needs a url',
  );

const referralBody = z
  .object({
    ref: z.string().optional(),
    source: z.string().default('SHORTLINK'),
    type: z.string().default('OPEN_THREAD'),
    ad_id: z.string().optional(),
    ads_context_data: z
      .object({ ad_title: z.string().optional(), post_id: z.string().optional() })
      .optional(),
    referer_uri: z.string().optional(),
  })
  .strict();

export const inboundBody = z
  .object({
    ...target,
    customer_id: z
      .string()
      .regex(/^\d{5,20}$/)
      .optional(),
    customer_name: z.string().min(1).max(80).optional(),
    text: z.string().min(1).optional(),
    attachments: z.array(inboundAttachment).optional(),
    quick_reply_payload: z.string().min(1).optional(),
    reply_to_mid: z.string().min(1).optional(),
    reply_to_story: z.object({ url: z.url(), id: z.string().min(1) }).optional(),
    referral: referralBody.optional(),
    is_unsupported: z.boolean().optional(),
    standby: z.boolean().optional(),
    count: z.number().int().min(1).max(1000).optional(),
    layout: z.enum(['entries', 'messaging']).optional(),
  })
  .strict()
  .refine(oneTarget, 'give exactly one of page_id (Messenger) or ig_id (Instagram)')
  .refine(
    (b) => b.text !== undefined || (b.attachments?.length ?? 0) > 0 || b.is_unsupported === true,
    'give text, attachments or is_unsupported',
  );

/** POST /_emulator/customer-event: what a customer does besides writing (reactions, edits, buttons…). */
export const customerEventBody = z
  .object({
    ...target,
    customer_id: z.string().regex(/^\d{5,20}$/),
    kind: z.enum(['react', 'unreact', 'edit', 'unsend', 'postback', 'referral']),
    mid: z.string().min(1).optional(),
    emoji: z.string().min(1).optional(),
    text: z.string().min(1).optional(),
    title: z.string().min(1).optional(),
    payload: z.string().min(1).optional(),
    referral: referralBody.optional(),
    standby: z.boolean().optional(),
  })
  .strict()
  .refine(oneTarget, 'give exactly one of page_id (Messenger) or ig_id (Instagram)')
  .refine(
    (b) => !['react', 'unreact', 'edit', 'unsend'].includes(b.kind) || b.mid !== undefined,
    'react, unreact, edit and unsend need the mid of a message',
  );
export type CustomerEventRequest = z.input<typeof customerEventBody>;

export const revokeBody = z
  .object({
    token: z.string().optional(),
    user_id: z.string().optional(),
    page_id: z.string().optional(),
    subcode: z.number().int().optional(),
  })
  .strict()
  .refine(
    (b) => b.token !== undefined || b.user_id !== undefined || b.page_id !== undefined,
    'give token, user_id or page_id',
  );

export const faultBody = z
  .object({
    endpoint: z.enum([...ENDPOINTS, '*']),
    count: z.number().int().min(1).default(1),
    status: z.number().int().min(100).max(599).optional(),
    code: z.number().int().optional(),
    subcode: z.number().int().optional(),
    message: z.string().optional(),
    type: z.string().optional(),
    is_transient: z.boolean().optional(),
    delay_ms: ms.optional(),
    garbage: z.boolean().optional(),
    network_drop: z.boolean().optional(),
  })
  .strict();

export const clockBody = z.object({ advance_ms: ms }).strict();
export const latencyBody = z.object({ ms }).strict();

/** Pins X-App-Usage (no page_id) or one Page's X-Business-Use-Case-Usage; percent null unpins. */
export const usageBody = z
  .object({
    page_id: z.string().optional(),
    percent: z.number().int().min(0).max(100).nullable(),
    estimated_time_to_regain_access: z.number().int().min(0).default(0),
  })
  .strict();
export type UsageRequest = z.input<typeof usageBody>;

export const readBody = z
  .object({ ...target, customer_id: z.string() })
  .strict()
  .refine(oneTarget, 'give exactly one of page_id or ig_id');

/** Relinks an Instagram account to another Page (Meta links one to at most one Page at a time). */
export const instagramLinkBody = z.object({ ig_id: z.string().min(1), page_id: z.string().min(1) }).strict();

export const accountCallbackBody = z.object({ user_id: z.string().min(1), url: z.url() }).strict();

export type ResetRequest = z.input<typeof resetBody>;
export type PersonaRequest = z.input<typeof personaBody>;
export type InboundRequest = z.input<typeof inboundBody>;
export type RevokeRequest = z.input<typeof revokeBody>;
export type FaultRequest = z.input<typeof faultBody>;
export type ReadRequest = z.input<typeof readBody>;
export type AccountCallbackRequest = z.input<typeof accountCallbackBody>;
export type InstagramLinkRequest = z.input<typeof instagramLinkBody>;

export interface InstagramView {
  id: string;
  username: string;
  name: string;
}

export interface PageView {
  id: string;
  name: string;
  category: string;
  tasks: string[];
  business_only: boolean;
  instagram: InstagramView | null;
  /** Page-level webhook fields; null when the app is not installed on the Page. */
  subscribed_fields: string[] | null;
}

export interface PersonaView {
  key: string;
  user_id: string;
  name: string;
  pages: PageView[];
}

export interface CustomerView {
  id: string;
  channel: 'messenger' | 'instagram';
  name: string;
  username: string;
  page_id: string;
  ig_id: string | null;
  last_inbound_at: number | null;
}

export interface SentView {
  mid: string;
  channel: 'messenger' | 'instagram';
  page_id: string;
  ig_id: string | null;
  recipient_id: string;
  text: string | null;
  attachment: { type: string; payload: Record<string, unknown> } | null;
  /** The file Meta fetched from the attachment URL (bytes at GET /_emulator/sent/{mid}/file). */
  file: { content_type: string; size: number } | null;
  messaging_type: string | null;
  tag: string | null;
  metadata: string | null;
  timestamp: number;
  delivered_at: number | null;
  read_at: number | null;
}

export interface InboundView {
  mid: string;
  channel: 'messenger' | 'instagram';
  page_id: string;
  ig_id: string | null;
  customer_id: string;
  text: string | null;
  attachments: Array<{ type: string; url?: string; title?: string }>;
  standby: boolean;
  timestamp: number;
  delivery_id: string | null;
}

export interface TokenView {
  type: 'USER' | 'PAGE';
  user_id: string;
  page_id: string | null;
  scopes: string[];
  long_lived: boolean;
  issued_at: number;
  expires_at: number | null;
  state: 'valid' | 'expired' | 'revoked';
  revoked_subcode: number | null;
}

export interface FaultView {
  id: number;
  endpoint: string;
  count: number;
  remaining: number;
  status?: number;
  code?: number;
  subcode?: number;
  message?: string;
  type?: string;
  is_transient?: boolean;
  delay_ms?: number;
  garbage?: boolean;
  network_drop?: boolean;
}

export interface StateResponse {
  now: number;
  app: { id: string; name: string; redirect_uris: string[] };
  settings: {
    latency_ms: number;
    webhook_retry_delays_ms: number[];
    auto_delivery_ms: number | null;
    auto_read_ms: number | null;
  };
  personas: PersonaView[];
  customers: CustomerView[];
  app_subscriptions: { object: string; callback_url: string; fields: string[]; version: string }[];
  tokens: TokenView[];
  faults: FaultView[];
}

export interface InboundResponse {
  channel: 'messenger' | 'instagram';
  object: 'page' | 'instagram';
  page_id: string;
  ig_id: string | null;
  customer: CustomerView;
  mids: string[];
  timestamp: number;
  delivery: PublishResult;
}

export interface AccountCallbackResponse {
  signed_request: string;
  payload: Record<string, unknown>;
  status: number | null;
  content_type: string | null;
  body: string | null;
  error: string | null;
}

export type { CallRecord, DeliveryRecord, PublishResult };

/** POST /_emulator/history: past conversations for a Page (Messenger) or its Instagram account. */
export const historyBody = z
  .object({
    ...target,
    conversations: z.number().int().min(1).max(1000),
    messages: z.number().int().min(1).max(50).default(4),
    days: z.number().min(0.01).max(365).default(20),
  })
  .strict()
  .refine(oneTarget, 'give exactly one of page_id (Messenger) or ig_id (Instagram)');
export type HistoryRequest = z.input<typeof historyBody>;
