// /api/saved-replies (issue 12 item 8): any member lists the organization's saved replies; owners and
// admins create, change and delete them (403 forbidden for agents; 409 limit_reached past 500 per
// organization). Another organization's id is 404 (R23). Writes pass the same CSRF rule as every
// state-changing /api request (http/csrf.ts, R25).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createSavedReplyRequest,
  idParams,
  savedRepliesQuery,
  savedRepliesResponse,
  savedReplyResponse,
  updateSavedReplyRequest,
} from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import type { SavedRepliesService } from './saved-replies-service.ts';

export const savedRepliesRoutes: FastifyPluginAsyncZod<{ savedReplies: SavedRepliesService }> = async (
  app,
  { savedReplies },
) => {
  const tags = ['saved replies'];

  app.get(
    '/api/saved-replies',
    { schema: { tags, querystring: savedRepliesQuery, response: { 200: savedRepliesResponse } } },
    async (request) => ({
      saved_replies: await savedReplies.list(requireSession(request), request.query.q),
    }),
  );
  app.post(
    '/api/saved-replies',
    { schema: { tags, body: createSavedReplyRequest, response: { 201: savedReplyResponse } } },
    async (request, reply) =>
      reply.code(201).send({ saved_reply: await savedReplies.create(requireSession(request), request.body) }),
  );
  app.patch(
    '/api/saved-replies/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateSavedReplyRequest,
        response: { 200: savedReplyResponse },
      },
    },
    async (request) => ({
      saved_reply: await savedReplies.update(requireSession(request), request.params.id, request.body),
    }),
  );
  app.delete('/api/saved-replies/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await savedReplies.remove(requireSession(request), request.params.id);
    return reply.code(204).send();
  });
};
