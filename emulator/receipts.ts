// What happens on the customer's side after the app sends: the echo at once, then (on their real-time
// timers) the delivery receipt — Messenger only, Instagram has none — and the read receipt. Both delays
// count from the send; null switches one off.
import type { EmulatorContext } from './context.ts';
import { deliveryEvent, echoEvent, readEvent } from './messaging-events.ts';
import type { Page, SentMessage } from './model.ts';
import { type PublishResult, publish, publishInBackground } from './webhook-publisher.ts';

export function afterSend(ctx: EmulatorContext, page: Page, sent: SentMessage): void {
  publishInBackground(ctx, sent.channel, page, [echoEvent(ctx, page, sent)]);
  const { autoDeliveryMs, autoReadMs } = ctx.tunables;
  if (sent.channel === 'messenger' && autoDeliveryMs !== null) {
    ctx.scheduler.after(autoDeliveryMs, () => {
      sent.deliveredAt = ctx.clock.now();
      publishInBackground(ctx, sent.channel, page, [deliveryEvent(page, sent)]);
    });
  }
  if (autoReadMs !== null) {
    ctx.scheduler.after(autoReadMs, () => {
      markRead(ctx, sent);
      publishInBackground(ctx, sent.channel, page, [readEvent(page, sent, ctx.clock.now())]);
    });
  }
}

/** The customer reads everything sent to them so far (control API `POST /_emulator/read`). */
export async function readNow(ctx: EmulatorContext, page: Page, newest: SentMessage): Promise<PublishResult> {
  markRead(ctx, newest);
  return publish(ctx, newest.channel, page, [readEvent(page, newest, ctx.clock.now())]);
}

function markRead(ctx: EmulatorContext, upTo: SentMessage): void {
  const now = ctx.clock.now();
  for (const m of ctx.world.sent) {
    if (m.recipientId === upTo.recipientId && m.timestamp <= upTo.timestamp) {
      m.deliveredAt ??= now;
      m.readAt ??= now;
    }
  }
}
