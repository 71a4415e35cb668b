// GET /api/integrations/meta/history: the progress of the history import, for the Meta card.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { historyStatusResponse } from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import type { HistoryService } from './history-service.ts';

export const historyRoutes: FastifyPluginAsyncZod<{ history: HistoryService }> = async (app, { history }) => {
  app.get(
    '/api/integrations/meta/history',
    { schema: { tags: ['integrations'], response: { 200: historyStatusResponse } } },
    async (request) => ({ imports: await history.status(requireSession(request).organization.id) }),
  );
};
