// The control API's conversation side: send as a customer, make them read, and read back what the app
// sent, what customers sent and every webhook delivery. Also the avatars profile_pic URLs point at.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cdnFile } from '../cdn-files.ts';
import type { EmulatorContext } from '../context.ts';
import { customerEventBody, historyBody, inboundBody, readBody } from '../control-contract.ts';
import { ControlError } from '../control-errors.ts';
import { inboundView, sentView } from '../control-views.ts';
import { seedHistory } from '../conversation-history.ts';
import { customerEvent } from '../customer-events.ts';
import { customerName } from '../customers.ts';
import { escapeHtml } from '../html.ts';
import { conversationTarget, receiveInbound } from '../inbound.ts';
import { readNow } from '../receipts.ts';

const inboundFilter = z.object({ page_id: z.string().optional(), customer_id: z.string().optional() });
const sentFilter = z.object({ page_id: z.string().optional(), recipient_id: z.string().optional() });

export function registerControlMessagingRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/_emulator/inbound', async (req) => {
    const body = inboundBody.parse(req.body);
    return receiveInbound(ctx, {
      pageId: body.page_id,
      igId: body.ig_id,
      customerId: body.customer_id,
      customerName: body.customer_name,
      text: body.text,
      attachments: body.attachments,
      extras: {
        quickReplyPayload: body.quick_reply_payload,
        replyToMid: body.reply_to_mid,
        replyToStory: body.reply_to_story,
        referral: body.referral,
        isUnsupported: body.is_unsupported,
      },
      standby: body.standby,
      count: body.count,
      layout: body.layout,
    });
  });

  app.get('/_emulator/inbound', async (req) => {
    const { page_id: pageId, customer_id: customerId } = inboundFilter.parse(req.query);
    const messages = ctx.world.inbound.filter(
      (m) =>
        (pageId === undefined || m.pageId === pageId) &&
        (customerId === undefined || m.customerId === customerId),
    );
    return { messages: messages.map(inboundView) };
  });

  app.get('/_emulator/sent', async (req) => {
    const { page_id: pageId, recipient_id: recipientId } = sentFilter.parse(req.query);
    const messages = ctx.world.sent.filter(
      (m) =>
        (pageId === undefined || m.pageId === pageId) &&
        (recipientId === undefined || m.recipientId === recipientId),
    );
    return { messages: messages.map(sentView) };
  });

  // The file Meta fetched for an attachment the app sent (the customer's phone would show it).
  app.get('/_emulator/sent/:mid/file', async (req, reply) => {
    const { mid } = req.params as { mid: string };
    const sent = ctx.world.sent.find((m) => m.mid === mid);
    if (!sent?.file) throw new ControlError(404, `no file was sent with ${mid}`);
    return reply
      .type(sent.file.contentType)
      .header('x-content-type-options', 'nosniff')
      .send(sent.file.bytes);
  });

  app.get('/_emulator/deliveries', async () => ({ deliveries: ctx.webhooks.list() }));

  app.post('/_emulator/read', async (req) => {
    const body = readBody.parse(req.body);
    const { channel, page } = conversationTarget(ctx, body.page_id, body.ig_id);
    const newest = ctx.world.sent
      .filter((m) => m.recipientId === body.customer_id && m.channel === channel)
      .at(-1);
    if (!newest || newest.pageId !== page.id) {
      throw new ControlError(
        409,
        `nothing was sent to customer ${body.customer_id} in this conversation yet`,
      );
    }
    return { delivery: await readNow(ctx, page, newest) };
  });

  // Meta's CDN: attachment URLs point here; a forgotten file answers 404 as an expired CDN link does.
  app.get('/_emulator/cdn/:file', async (req, reply) => {
    const name = (req.params as { file: string }).file;
    const file = ctx.world.cdnForgotten.has(name) || ctx.world.cdnForgotten.has('*') ? null : cdnFile(name);
    if (!file) return reply.code(404).type('text/plain').send('URL signature expired');
    // `flaky-*` files fail once with 503, as a CDN edge sometimes does.
    if (name.startsWith('flaky-') && !ctx.world.cdnFailedOnce.has(name)) {
      ctx.world.cdnFailedOnce.add(name);
      return reply.code(503).type('text/plain').send('Service Unavailable');
    }
    return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.bytes);
  });

  // A CDN link that redirects (Meta's lookaside URLs do): ?to=<url>.
  app.get('/_emulator/cdn-redirect', async (req, reply) => {
    const { to } = z.object({ to: z.string().min(1) }).parse(req.query);
    return reply.redirect(to, 302);
  });

  app.post('/_emulator/cdn/forget', async (req) => {
    const { file } = z.object({ file: z.string().min(1).optional() }).parse(req.body ?? {});
    ctx.world.cdnForgotten.add(file ?? '*');
    return { forgotten: [...ctx.world.cdnForgotten] };
  });

  app.post('/_emulator/history', async (req, reply) => {
    const body = historyBody.parse(req.body);
    const { channel, page } = conversationTarget(ctx, body.page_id, body.ig_id);
    const conversations = seedHistory(ctx, page, channel, body);
    return reply.code(201).send({ channel, page_id: page.id, conversations });
  });

  app.post('/_emulator/customer-event', async (req) => {
    const body = customerEventBody.parse(req.body);
    return customerEvent(ctx, body);
  });

  // profile_pic / profile_picture_url point here, so an app's UI shows avatars offline.
  app.get('/_emulator/avatars/:file', async (req, reply) => {
    const id = (req.params as { file: string }).file.replace(/\.svg$/, '');
    const customer = ctx.world.customers.get(id);
    const label = customer ? customerName(customer) : (ctx.world.igAccounts.get(id)?.username ?? '?');
    const initials = label
      .split(/[\s.]+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase();
    const hue = [...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 360, 7);
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=3600')
      .send(
        `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100"><rect width="100" height="100" fill="hsl(${hue} 55% 45%)"/><text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="40" fill="#fff">${escapeHtml(initials)}</text></svg>`,
      );
  });
}
