// A customer writes to a Page (Messenger) or its Instagram account: the control API's way to start or
// continue a conversation. The message opens the 24-hour window and is delivered as a `messages`
// webhook — N messages in one POST when asked, to exercise batching.
import type { EmulatorContext } from './context.ts';
import type { InboundResponse } from './control-contract.ts';
import { ControlError } from './control-errors.ts';
import { customerView } from './control-views.ts';
import { CustomerConflictError, findOrCreateCustomer } from './customers.ts';
import { messageId } from './ids.ts';
import { inboundEvent } from './messaging-events.ts';
import type { Channel, Customer, InboundAttachment, InboundExtras, InboundMessage, Page } from './model.ts';
import { type BatchLayout, publish } from './webhook-publisher.ts';

export interface InboundInput {
  pageId?: string;
  igId?: string;
  customerId?: string;
  customerName?: string;
  text?: string;
  attachments?: InboundAttachment[];
  extras?: InboundExtras;
  standby?: boolean;
  count?: number;
  layout?: BatchLayout;
}

export function conversationTarget(
  ctx: EmulatorContext,
  pageId?: string,
  igId?: string,
): { channel: Channel; page: Page } {
  if (pageId !== undefined) {
    const page = ctx.world.pages.get(pageId);
    if (!page) throw new ControlError(404, `no Page with id ${pageId}`);
    return { channel: 'messenger', page };
  }
  const ig = igId === undefined ? undefined : ctx.world.igAccounts.get(igId);
  const page = ig && ctx.world.pages.get(ig.pageId);
  if (!page) throw new ControlError(404, `no Instagram account with id ${igId ?? ''}`);
  return { channel: 'instagram', page };
}

export async function receiveInbound(ctx: EmulatorContext, input: InboundInput): Promise<InboundResponse> {
  const { channel, page } = conversationTarget(ctx, input.pageId, input.igId);
  const customer = customerFor(ctx, channel, page, input);
  const count = input.count ?? 1;
  const timestamp = ctx.clock.now();
  const messages: InboundMessage[] = [];
  for (let i = 0; i < count; i++) {
    messages.push({
      mid: messageId(channel),
      channel,
      pageId: page.id,
      igId: customer.igId,
      customerId: customer.id,
      text: input.text === undefined ? null : count > 1 ? `${input.text} #${i + 1}` : input.text,
      attachments: input.attachments ?? [],
      extras: input.extras ?? {},
      standby: input.standby ?? false,
      timestamp,
      deliveryId: null,
    });
  }
  customer.lastInboundAt = timestamp;
  ctx.world.inbound.push(...messages);
  const delivery = await publish(
    ctx,
    channel,
    page,
    messages.map((m) => inboundEvent(page, customer, m)),
    input.layout,
  );
  if (delivery.state !== 'skipped') for (const m of messages) m.deliveryId = delivery.id;
  return {
    channel,
    object: channel === 'messenger' ? 'page' : 'instagram',
    page_id: page.id,
    ig_id: customer.igId,
    customer: customerView(customer),
    mids: messages.map((m) => m.mid),
    timestamp,
    delivery,
  };
}

function customerFor(ctx: EmulatorContext, channel: Channel, page: Page, input: InboundInput): Customer {
  try {
    return findOrCreateCustomer(ctx.world, { channel, page, id: input.customerId, name: input.customerName });
  } catch (err) {
    if (err instanceof CustomerConflictError) throw new ControlError(409, err.message);
    throw err;
  }
}
