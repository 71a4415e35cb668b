// What a customer does besides writing a message, as Meta's webhooks say it (reference §8.4): a
// reaction and its removal (`message_reactions`), an edit (`message_edits`, `num_edit` counting up), an
// unsend (`is_deleted`), a button press (`messaging_postbacks`: title, payload, a new mid) and opening
// the thread from an ad or an m.me / ig.me link (`messaging_referrals`). With `standby`, the event goes
// under entry.standby[] as when another app owns the thread.
import type { EmulatorContext } from './context.ts';
import type { CustomerEventRequest } from './control-contract.ts';
import { ControlError } from './control-errors.ts';
import { messageId } from './ids.ts';
import { conversationTarget } from './inbound.ts';
import { businessId, type MessagingEvent } from './messaging-events.ts';
import { publish } from './webhook-publisher.ts';

export async function customerEvent(ctx: EmulatorContext, body: CustomerEventRequest) {
  const { channel, page } = conversationTarget(ctx, body.page_id, body.ig_id);
  const customer = ctx.world.customers.get(body.customer_id);
  if (!customer) throw new ControlError(404, `no customer ${body.customer_id}; send a message first`);
  const timestamp = ctx.clock.now();
  const base = {
    sender: { id: customer.id },
    recipient: { id: businessId(page, channel) },
    timestamp,
  };
  let event: MessagingEvent;
  let mid = body.mid ?? null;
  switch (body.kind) {
    case 'react':
      event = {
        kind: 'reaction',
        item: {
          ...base,
          reaction: {
            mid,
            action: 'react',
            reaction: body.emoji === '❤️' ? 'love' : 'other',
            emoji: body.emoji ?? '❤️',
          },
        },
      };
      break;
    case 'unreact':
      event = { kind: 'reaction', item: { ...base, reaction: { mid, action: 'unreact' } } };
      break;
    case 'edit': {
      const n = (ctx.world.edits.get(mid!) ?? 0) + 1;
      ctx.world.edits.set(mid!, n);
      event = { kind: 'edit', item: { ...base, message_edit: { mid, text: body.text ?? '', num_edit: n } } };
      break;
    }
    case 'unsend':
      event = { kind: 'message', item: { ...base, message: { mid, is_deleted: true } } };
      break;
    case 'postback':
      mid = messageId(channel);
      event = {
        kind: 'postback',
        item: {
          ...base,
          postback: {
            mid,
            title: body.title ?? 'Get Started',
            payload: body.payload ?? 'GET_STARTED',
            ...(body.referral ? { referral: body.referral } : {}),
          },
        },
      };
      break;
    case 'referral':
      event = {
        kind: 'referral',
        item: {
          ...base,
          referral: body.referral ?? { ref: 'welcome', source: 'SHORTLINK', type: 'OPEN_THREAD' },
        },
      };
      break;
  }
  if (body.standby) event.standby = true;
  const delivery = await publish(ctx, channel, page, [event]);
  return { channel, mid, timestamp, delivery };
}
