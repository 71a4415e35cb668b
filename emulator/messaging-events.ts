// The `messaging[]` items Meta puts in webhooks (reference §8.4): inbound messages, echoes of what the
// app sent (sender and recipient swapped), Messenger deliveries (mids + watermark) and reads
// (Messenger: watermark; Instagram messaging_seen: the read mid).
import type { EmulatorContext } from './context.ts';
import type { Customer, InboundAttachment, InboundMessage, Page, SentMessage } from './model.ts';
import type { EventKind } from './webhook-fields.ts';

export interface MessagingEvent {
  kind: EventKind;
  item: Record<string, unknown>;
  /** Delivered under entry.standby[] (another app owns the thread), field `standby`. */
  standby?: boolean;
}

/** The business side of a conversation: the Page (Messenger) or its Instagram account. */
export function businessId(page: Page, channel: 'messenger' | 'instagram'): string {
  return channel === 'instagram' && page.instagram ? page.instagram.id : page.id;
}

export function inboundEvent(page: Page, customer: Customer, message: InboundMessage): MessagingEvent {
  const x = message.extras;
  const sticker = message.attachments.find((a) => a.sticker_id !== undefined)?.sticker_id;
  return {
    kind: 'message',
    standby: message.standby,
    item: {
      sender: { id: customer.id },
      recipient: { id: businessId(page, customer.channel) },
      timestamp: message.timestamp,
      message: {
        mid: message.mid,
        ...(message.text !== null ? { text: message.text } : {}),
        ...(message.attachments.length > 0 ? { attachments: message.attachments.map(metaAttachment) } : {}),
        // Messenger repeats a sticker's id on the message (369239263222822 is the thumbs-up "like").
        ...(sticker !== undefined && customer.channel === 'messenger' ? { sticker_id: sticker } : {}),
        ...(x.quickReplyPayload ? { quick_reply: { payload: x.quickReplyPayload } } : {}),
        ...(x.replyToMid ? { reply_to: { mid: x.replyToMid } } : {}),
        ...(x.replyToStory ? { reply_to: { story: x.replyToStory } } : {}),
        ...(x.referral ? { referral: x.referral } : {}),
        ...(x.isUnsupported ? { is_unsupported: true } : {}),
      },
    },
  };
}

/** An attachment as Meta writes it (reference §8.4 (c), (j); shapes public integrations parse). */
export function metaAttachment(a: InboundAttachment): Record<string, unknown> {
  switch (a.type) {
    case 'location':
      return {
        type: 'location',
        title: a.title ?? 'Pinned location',
        url: `https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.bing.com%2Fmaps%2Fdefault.aspx%3Fwhere1%3D${a.coordinates?.lat}%252C%2B${a.coordinates?.long}`,
        payload: { coordinates: a.coordinates ?? { lat: 0, long: 0 } },
      };
    case 'fallback':
      return { type: 'fallback', title: a.title ?? null, url: a.url, payload: null };
    case 'template':
      return {
        type: 'template',
        payload: { template_type: 'generic', elements: a.elements ?? [{ title: a.title ?? 'Template' }] },
      };
    case 'ig_reel':
    case 'reel':
      return {
        type: a.type,
        payload: { url: a.url, title: a.title ?? '', reel_video_id: a.reel_video_id ?? '18000000000000001' },
      };
    default:
      return {
        type: a.type,
        payload: { url: a.url, ...(a.sticker_id !== undefined ? { sticker_id: a.sticker_id } : {}) },
      };
  }
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
