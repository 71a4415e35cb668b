// The `messaging[]` items Meta puts in webhooks (reference §8.4): inbound messages, echoes of what the
// app sent (sender and recipient swapped), Messenger deliveries (mids + watermark) and reads
// (Messenger: watermark; Instagram messaging_seen: the read mid).
import type { EmulatorContext } from './context.ts';
import type { Customer, InboundMessage, Page, SentMessage } from './model.ts';
import type { EventKind } from './webhook-fields.ts';

export interface MessagingEvent {
  kind: EventKind;
  item: Record<string, unknown>;
}

/** The business side of a conversation: the Page (Messenger) or its Instagram account. */
export function businessId(page: Page, channel: 'messenger' | 'instagram'): string {
  return channel === 'instagram' && page.instagram ? page.instagram.id : page.id;
}

export function inboundEvent(page: Page, customer: Customer, message: InboundMessage): MessagingEvent {
  return {
    kind: 'message',
    item: {
      sender: { id: customer.id },
      recipient: { id: businessId(page, customer.channel) },
      timestamp: message.timestamp,
      message: {
        mid: message.mid,
        ...(message.text !== null ? { text: message.text } : {}),
        ...(message.attachments.length > 0
          ? { attachments: message.attachments.map((a) => ({ type: a.type, payload: { url: a.url } })) }
          : {}),
      },
    },
  };
}

export function echoEvent(ctx: EmulatorContext, page: Page, sent: SentMessage): MessagingEvent {
  const appId = /^\d{1,15}$/.test(ctx.config.appId) ? Number(ctx.config.appId) : ctx.config.appId;
  return {
    kind: 'echo',
    item: {
      sender: { id: businessId(page, sent.channel) },
      recipient: { id: sent.recipientId },
      timestamp: sent.timestamp,
      message: {
        mid: sent.mid,
        is_echo: true,
        ...(sent.channel === 'messenger' ? { app_id: appId } : {}),
        ...(sent.metadata !== null ? { metadata: sent.metadata } : {}),
        ...(sent.text !== null ? { text: sent.text } : {}),
        ...(sent.attachment
          ? { attachments: [{ type: sent.attachment.type, payload: sent.attachment.payload }] }
          : {}),
      },
    },
  };
}

export function deliveryEvent(page: Page, sent: SentMessage): MessagingEvent {
  return {
    kind: 'delivery',
    item: {
      sender: { id: sent.recipientId },
      recipient: { id: page.id },
      delivery: { mids: [sent.mid], watermark: sent.timestamp },
    },
  };
}

/** `upTo` is the newest message the customer has now read. */
export function readEvent(page: Page, upTo: SentMessage, now: number): MessagingEvent {
  return {
    kind: 'read',
    item: {
      sender: { id: upTo.recipientId },
      recipient: { id: businessId(page, upTo.channel) },
      timestamp: now,
      read: upTo.channel === 'messenger' ? { watermark: upTo.timestamp } : { mid: upTo.mid },
    },
  };
}
