// Decides whether Meta would send an event at all, and to where: only fields subscribed at BOTH the app
// level (/{app}/subscriptions for `page` or `instagram`) and the Page level (subscribed_apps) are
// delivered (reference §6). For Instagram the Page level only needs the app installed with some field,
// since IG field names differ from the Page's. Several events may share one POST as several entries.
import type { EmulatorContext } from './context.ts';
import type { MessagingEvent } from './messaging-events.ts';
import { businessId } from './messaging-events.ts';
import type { Channel, Page } from './model.ts';
import { fieldFor, objectFor } from './webhook-fields.ts';
import type { DeliveryRecord } from './webhook-sender.ts';

export type PublishResult = { state: 'skipped'; reason: string } | DeliveryRecord;

/** 'entries': one entry per event (how Meta batches); 'messaging': one entry holding every event. */
export type BatchLayout = 'entries' | 'messaging';

export function skipReason(ctx: EmulatorContext, channel: Channel, page: Page, field: string): string | null {
  const object = objectFor(channel);
  const appLevel = ctx.world.appSubscriptions.get(object);
  if (!appLevel) return `no app subscription for object "${object}"`;
  if (!appLevel.fields.includes(field)) return `the app subscription for "${object}" lacks field "${field}"`;
  if (page.subscribedFields === null || page.subscribedFields.length === 0) {
    return `the app is not installed on Page ${page.id} (subscribed_apps)`;
  }
  if (channel === 'messenger' && !page.subscribedFields.includes(field)) {
    return `Page ${page.id} is not subscribed to "${field}"`;
  }
  return null;
}

export async function publish(
  ctx: EmulatorContext,
  channel: Channel,
  page: Page,
  events: MessagingEvent[],
  layout: BatchLayout = 'entries',
): Promise<PublishResult> {
  let firstSkip: string | null = null;
  const deliverable = events.filter((event) => {
    const reason = skipReason(ctx, channel, page, fieldFor(channel, event.kind, event.standby));
    firstSkip ??= reason;
    return reason === null;
  });
  const subscription = ctx.world.appSubscriptions.get(objectFor(channel));
  if (deliverable.length === 0 || !subscription)
    return { state: 'skipped', reason: firstSkip ?? 'no events' };
  const id = businessId(page, channel);
  const time = ctx.clock.now();
  // Events for a thread another app owns go under `standby` instead of `messaging` (reference §8.3).
  const key = (e: MessagingEvent) => (e.standby ? 'standby' : 'messaging');
  const entry =
    layout === 'messaging'
      ? [oneEntry(id, time, deliverable)]
      : deliverable.map((e) => ({ id, time, [key(e)]: [e.item] }));
  return ctx.webhooks.send(
    subscription.callbackUrl,
    { object: objectFor(channel), entry },
    deliverable.map((e) => fieldFor(channel, e.kind, e.standby)),
  );
}

/** For events nobody awaits (echoes, receipts): failures are already in the delivery log. */
export function publishInBackground(
  ctx: EmulatorContext,
  channel: Channel,
  page: Page,
  events: MessagingEvent[],
): void {
  publish(ctx, channel, page, events).catch((err: unknown) =>
    ctx.log.error({ err }, 'webhook publish failed'),
  );
}

/** One entry holding every event, split between `messaging` and `standby`. */
function oneEntry(id: string, time: number, events: MessagingEvent[]): Record<string, unknown> {
  const entry: Record<string, unknown> = { id, time };
  const own = events.filter((e) => !e.standby).map((e) => e.item);
  const standby = events.filter((e) => e.standby).map((e) => e.item);
  if (own.length > 0) entry.messaging = own;
  if (standby.length > 0) entry.standby = standby;
  return entry;
}
