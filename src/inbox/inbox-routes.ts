// /api/conversations (CONTRACT §6). Any member — agents included — reads and answers; every request acts
// on the caller's organization only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  conversationCountsResponse,
  conversationsQuery,
  conversationsResponse,
  inboxSettingsResponse,
  markReadResponse,
  messagesQuery,
  messagesResponse,
  sendMessageRequest,
  sendMessageResponse,
  updateConversationRequest,
  updateConversationResponse,
} from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import type { AssignmentService } from './assignment-service.ts';
import type { ConversationStatusService } from './conversation-status-service.ts';
import type { InboxService } from './inbox-service.ts';
import type { ReplyService } from './reply-service.ts';

export interface InboxRoutesOptions {
  inbox: InboxService;
  replies: ReplyService;
  statuses: ConversationStatusService;
  assignment: AssignmentService;
  /** META_HUMAN_AGENT, shown to the composer (which window applies). */
  humanAgent: boolean;
}

// Anything that is not one of our ids cannot name a conversation: it is "not found", like any other.
const conversationParams = z.object({ id: z.string().max(100) });

export const inboxRoutes: FastifyPluginAsyncZod<InboxRoutesOptions> = async (app, opts) => {
  const { inbox, replies, statuses } = opts;
  const tags = ['inbox'];

  app.get(
    '/api/inbox/settings',
    { schema: { tags, response: { 200: inboxSettingsResponse } } },
    async (request) => {
      requireSession(request);
      return { human_agent: opts.humanAgent };
    },
  );

  app.get(
    '/api/conversations',
    { schema: { tags, querystring: conversationsQuery, response: { 200: conversationsResponse } } },
    async (request) => {
      const session = requireSession(request);
      return inbox.listConversations(session.organization.id, session.user.id, request.query);
    },
  );

  app.get(
    '/api/conversations/counts',
    { schema: { tags, response: { 200: conversationCountsResponse } } },
    async (request) => {
      const session = requireSession(request);
      return opts.assignment.counts(session.organization.id, session.user.id);
    },
  );

  app.patch(
    '/api/conversations/:id',
    {
      schema: {
        tags,
        params: conversationParams,
        body: updateConversationRequest,
        response: { 200: updateConversationResponse },
      },
    },
    async (request) => ({
      conversation: await statuses.update(
        requireSession(request).organization.id,
        request.params.id,
        request.body,
      ),
    }),
  );

  app.get(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags,
        params: conversationParams,
        querystring: messagesQuery,
        response: { 200: messagesResponse },
      },
    },
    async (request) =>
      inbox.listMessages(requireSession(request).organization.id, request.params.id, request.query.cursor),
  );

  app.post(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags,
        params: conversationParams,
        body: sendMessageRequest,
        response: { 201: sendMessageResponse },
      },
    },
    async (request, reply) => {
      const message = await replies.send(requireSession(request), request.params.id, request.body.text);
      return reply.code(201).send({ message });
    },
  );

  app.post(
    '/api/conversations/:id/read',
    { schema: { tags, params: conversationParams, response: { 200: markReadResponse } } },
    async (request) => ({
      conversation: await inbox.markRead(requireSession(request).organization.id, request.params.id),
    }),
  );
};
