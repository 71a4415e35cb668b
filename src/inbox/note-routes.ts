// Internal notes and @mentions (CONTRACT §6, issue 12 item 4): any member, on their own organization's
// conversations only (another organization's is a 404, like everywhere in the inbox).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createNoteRequest,
  createNoteResponse,
  mentionsReadResponse,
  mentionsResponse,
  unreadSummaryResponse,
} from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import type { MentionService } from './mention-service.ts';
import type { NoteService } from './note-service.ts';

export interface NoteRoutesOptions {
  notes: NoteService;
  mentions: MentionService;
}

const conversationParams = z.object({ id: z.string().max(100) });

export const noteRoutes: FastifyPluginAsyncZod<NoteRoutesOptions> = async (app, { notes, mentions }) => {
  const tags = ['inbox'];

  app.post(
    '/api/conversations/:id/notes',
    {
      schema: {
        tags,
        params: conversationParams,
        body: createNoteRequest,
        response: { 201: createNoteResponse },
      },
    },
    async (request, reply) => {
      const message = await notes.add(requireSession(request), request.params.id, request.body.text);
      return reply.code(201).send({ message });
    },
  );

  app.get('/api/mentions', { schema: { tags, response: { 200: mentionsResponse } } }, async (request) => {
    const session = requireSession(request);
    return mentions.unread(session.organization.id, session.user.id);
  });

  app.post(
    '/api/conversations/:id/mentions/read',
    { schema: { tags, params: conversationParams, response: { 200: mentionsReadResponse } } },
    async (request) => {
      const session = requireSession(request);
      return {
        unread_count: await mentions.markRead(session.organization.id, session.user.id, request.params.id),
      };
    },
  );

  app.get(
    '/api/inbox/unread',
    { schema: { tags, response: { 200: unreadSummaryResponse } } },
    async (request) => {
      const session = requireSession(request);
      return mentions.summary(session.organization.id, session.user.id);
    },
  );
};
