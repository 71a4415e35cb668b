// The server side of the inbox, for the inbox tests: the routes /inbox and /inbox/:id call on arrival.
import type {
  ConnectionStatusResponse,
  ConversationCounts,
  ConversationView,
  MemberView,
  MessageView,
} from '../api/contract.ts';
import { json, type Routes } from './fetch-stub.ts';
import { connection, conversationsPage, member, messagesPage, session } from './fixtures.ts';

export const connected: ConnectionStatusResponse = { connected: true, connection: connection() };

/**
 * Signed in, with `conversations` as the first (and only) list page and, for each id in `threads`, its
 * messages (newest first, as the API sends them), the mark-read answer and the Meta status.
 */
export function inboxRoutes({
  conversations,
  threads = {},
  meta = connected,
  humanAgent = false,
  counts = { mine: 0, unassigned: 0 },
  members = [
    member({ user_id: 'u1', name: 'Ada', role: 'agent' }),
    member({ user_id: 'u2', email: 'ana@example.com', name: 'Ana', role: 'admin' }),
  ],
}: {
  conversations: ConversationView[];
  threads?: Record<string, MessageView[]>;
  meta?: ConnectionStatusResponse;
  /** META_HUMAN_AGENT as GET /api/inbox/settings reports it. */
  humanAgent?: boolean;
  /** GET /api/conversations/counts. */
  counts?: ConversationCounts;
  /** GET /api/organization/members (the assignee menu). */
  members?: MemberView[];
}): Routes {
  const routes: Routes = {
    'GET /api/auth/me': () => json(200, session('agent')),
    'GET /api/conversations': () => json(200, conversationsPage(conversations)),
    'GET /api/integrations/meta': () => json(200, meta),
    'GET /api/inbox/settings': () => json(200, { human_agent: humanAgent }),
    'GET /api/conversations/counts': () => json(200, counts),
    'GET /api/organization/members': () => json(200, { members }),
  };
  // An open thread reports presence and asks who is there: nobody, unless a test says otherwise.
  for (const { id } of conversations) {
    routes[`GET /api/conversations/${id}/presence`] = () => json(200, { members: [] });
    routes[`POST /api/conversations/${id}/presence`] = () => json(204);
  }
  for (const [id, messages] of Object.entries(threads)) {
    const current = conversations.find((conversation) => conversation.id === id);
    routes[`GET /api/conversations/${id}/messages`] = () => json(200, messagesPage(messages));
    routes[`POST /api/conversations/${id}/read`] = () =>
      json(200, { conversation: current ? { ...current, unread_count: 0 } : undefined });
  }
  return routes;
}
