// /api/conversations/:id/presence (issue 12 item 6). POST is a state-changing request like any other,
// so the CSRF rule (JSON content type, same-site origin) applies to it; the page's unload report uses
// `fetch(…, {keepalive: true})` with the same headers rather than sendBeacon, which cannot send JSON.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { presenceRequest, presenceResponse } from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import type { PresenceService } from './presence-service.ts';

const conversationParams = z.object({ id: z.string().max(100) });

export const presenceRoutes: FastifyPluginAsyncZod<{ presence: PresenceService }> = async (app, opts) => {
  const tags = ['inbox'];

  app.post(
    '/api/conversations/:id/presence',
    { schema: { tags, params: conversationParams, body: presenceRequest } },
    async (request, reply) => {
      await opts.presence.report(requireSession(request), request.params.id, request.body.state);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/conversations/:id/presence',
    { schema: { tags, params: conversationParams, response: { 200: presenceResponse } } },
    async (request) => {
      const session = requireSession(request);
      return opts.presence.list(session.organization.id, session.user.id, request.params.id);
    },
  );
};
