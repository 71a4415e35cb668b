// POST /{v}/{page-id}/messages and /{v}/me/messages with the Page token: the Send API.
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { requirePage } from '../graph-auth.ts';
import { unsupportedRequest } from '../graph-errors.ts';
import { graphRoute } from '../graph-route.ts';
import { sendMessage } from '../send-message.ts';

export function registerSendRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const handler = graphRoute(ctx, 'send', (call) => {
    const id = (call.req.params as { id?: string }).id ?? 'me';
    const { token, page } = requirePage(call.auth());
    if (id !== 'me' && id !== page.id) throw unsupportedRequest('POST', id);
    return sendMessage(ctx, page, token, call.params);
  });
  app.post('/me/messages', handler);
  app.post('/:id/messages', handler);
}
