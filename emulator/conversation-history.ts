// The Conversations API (reference §9 neighbourhood; Meta's `/{page-id}/conversations?platform=…`):
// a Page's conversations, newest first, each with its participants and its most recent messages (Meta
// gives message details only for the 20 most recent), paged with cursors. Built from what customers
// sent (`world.inbound`) and what the app sent (`world.sent`), so live messages and seeded history read
// back the same way. `seedHistory` gives a Page past conversations without sending webhooks.
import type { EmulatorContext } from './context.ts';
import { customerName, findOrCreateCustomer } from './customers.ts';
import { messageId } from './ids.ts';
import { businessId } from './messaging-events.ts';
import type { Channel, Customer, InboundAttachment, Page } from './model.ts';

export const MESSAGES_PER_CONVERSATION = 20;

interface HistoryMessage {
  mid: string;
  timestamp: number;
  fromCustomer: boolean;
  text: string | null;
  attachments: InboundAttachment[];
}

export interface ConversationRecord {
  id: string;
  customer: Customer;
  updatedAt: number;
  messages: HistoryMessage[];
}

export function conversationsOf(ctx: EmulatorContext, page: Page, channel: Channel): ConversationRecord[] {
  const byCustomer = new Map<string, HistoryMessage[]>();
  const push = (customerId: string, m: HistoryMessage) => {
    const list = byCustomer.get(customerId) ?? [];
    list.push(m);
    byCustomer.set(customerId, list);
  };
  for (const m of ctx.world.inbound) {
    if (m.pageId !== page.id || m.channel !== channel) continue;
    push(m.customerId, {
      mid: m.mid,
      timestamp: m.timestamp,
      fromCustomer: true,
      text: m.text,
      attachments: m.attachments,
    });
  }
  for (const m of ctx.world.sent) {
    if (m.pageId !== page.id || m.channel !== channel) continue;
    const url = typeof m.attachment?.payload.url === 'string' ? m.attachment.payload.url : undefined;
    push(m.recipientId, {
      mid: m.mid,
      timestamp: m.timestamp,
      fromCustomer: false,
      text: m.text,
      attachments: m.attachment ? [{ type: m.attachment.type, url }] : [],
    });
  }
  const records: ConversationRecord[] = [];
  for (const [customerId, messages] of byCustomer) {
    const customer = ctx.world.customers.get(customerId);
    if (!customer) continue;
    messages.sort((a, b) => b.timestamp - a.timestamp);
    records.push({ id: `t_${customer.id}`, customer, updatedAt: messages[0]!.timestamp, messages });
  }
  return records.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

/** One conversation as the Graph API renders it. */
export function renderConversation(
  page: Page,
  channel: Channel,
  c: ConversationRecord,
): Record<string, unknown> {
  const business = businessId(page, channel);
  const businessName = channel === 'instagram' ? (page.instagram?.username ?? page.name) : page.name;
  const person =
    channel === 'instagram'
      ? { username: c.customer.username, id: c.customer.id }
      : { name: customerName(c.customer), email: `${c.customer.id}@facebook.com`, id: c.customer.id };
  const us =
    channel === 'instagram' ? { username: businessName, id: business } : { name: businessName, id: business };
  return {
    id: c.id,
    updated_time: iso(c.updatedAt),
    participants: { data: [person, us] },
    messages: {
      data: c.messages.slice(0, MESSAGES_PER_CONVERSATION).map((m) => ({
        id: m.mid,
        created_time: iso(m.timestamp),
        from: m.fromCustomer ? person : us,
        to: { data: [m.fromCustomer ? us : person] },
        message: m.text ?? '',
        ...(m.attachments.length > 0
          ? {
              attachments: {
                data: m.attachments.map((a, i) => graphAttachment(m.mid, i, a)),
              },
            }
          : {}),
      })),
    },
  };
}

/** The Conversations API's attachment shape: image_data / video_data / file_url, with mime_type. */
function graphAttachment(mid: string, index: number, a: InboundAttachment): Record<string, unknown> {
  const id = `${mid.slice(0, 12)}_${index}`;
  if (a.type === 'image')
    return { id, mime_type: 'image/png', image_data: { url: a.url, preview_url: a.url } };
  if (a.type === 'video')
    return { id, mime_type: 'video/mp4', video_data: { url: a.url, preview_url: a.url } };
  if (a.type === 'audio') return { id, mime_type: 'audio/mpeg', name: 'audio.mp3', file_url: a.url };
  return { id, mime_type: 'application/octet-stream', name: a.title ?? 'file', file_url: a.url };
}

/**
 * Gives a Page (or its Instagram account) `conversations` past conversations, each with `messages`
 * messages alternating customer / business, spread evenly over the last `days` days (newest first in
 * the API). No webhooks: this is what happened before the app was connected.
 */
export function seedHistory(
  ctx: EmulatorContext,
  page: Page,
  channel: Channel,
  opts: { conversations: number; messages: number; days: number },
): Array<{ customer_id: string; mids: string[]; updated_at: number }> {
  const now = ctx.clock.now();
  const span = opts.days * 24 * 3600_000;
  const out: Array<{ customer_id: string; mids: string[]; updated_at: number }> = [];
  for (let c = 0; c < opts.conversations; c++) {
    const customer = findOrCreateCustomer(ctx.world, { channel, page });
    // Conversation c's newest message is c/N of the way back: the first is the most recent.
    const newest = now - Math.round(((c + 0.5) / opts.conversations) * span);
    const mids: string[] = [];
    for (let i = 0; i < opts.messages; i++) {
      const timestamp = newest - (opts.messages - 1 - i) * 60_000;
      const mid = messageId(channel);
      mids.push(mid);
      if (i % 2 === 0) {
        ctx.world.inbound.push({
          mid,
          channel,
          pageId: page.id,
          igId: customer.igId,
          customerId: customer.id,
          text: `History ${c + 1}.${i + 1} from ${customerName(customer)}`,
          attachments: [],
          extras: {},
          standby: false,
          timestamp,
          deliveryId: null,
        });
        customer.lastInboundAt = Math.max(customer.lastInboundAt ?? 0, timestamp);
      } else {
        ctx.world.sent.push({
          mid,
          channel,
          pageId: page.id,
          igId: customer.igId,
          recipientId: customer.id,
          text: `History ${c + 1}.${i + 1} answered`,
          attachment: null,
          file: null,
          messagingType: 'RESPONSE',
          tag: null,
          metadata: null,
          timestamp,
          deliveredAt: timestamp,
          readAt: timestamp,
        });
      }
    }
    out.push({ customer_id: customer.id, mids, updated_at: newest });
  }
  return out;
}
