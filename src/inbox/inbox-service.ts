// Reading the inbox: conversations newest first and a conversation's messages newest first, both with
// keyset cursors (by status, sorted by activity or by waiting time), search, and mark-as-read. Every lookup is scoped to the caller's organization (R23).
import type { Kysely } from 'kysely';
import type {
  Channel,
  ConversationSort,
  ConversationStatusFilter,
  ConversationView,
  MessageView,
} from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ConversationSearchService } from '../search/conversation-search-service.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { waitingKeyOf } from './conversation-list-query.ts';
import { listConversationPage } from './conversation-page.ts';
import type { ConversationRow } from './conversation-repository.ts';
import * as conversations from './conversation-repository.ts';
import { decodeCursor, encodeCursor } from './inbox-cursor.ts';
import { ConversationNotFoundError } from './inbox-errors.ts';
import { publishConversations } from './inbox-publisher.ts';
import * as messages from './message-repository.ts';
import { conversationViews, messageViewsIn } from './view-loader.ts';

export const CONVERSATIONS_PAGE = 25;
export const MESSAGES_PAGE = 50;

export interface InboxServiceDeps {
  db: Kysely<DatabaseSchema>;
  bus: LiveBus;
  now: () => number;
  search: ConversationSearchService;
}

export class InboxService {
  constructor(private readonly d: InboxServiceDeps) {}

  /** `userId` is the caller's, for `assignee=me`. */
  async listConversations(
    orgId: string,
    userId: string,
    query: {
      channel?: Channel;
      status?: ConversationStatusFilter;
      sort?: ConversationSort;
      q?: string;
      assignee?: string;
      cursor?: string;
    },
  ): Promise<{ conversations: ConversationView[]; next_cursor: string | null }> {
    const assignee =
      query.assignee === undefined
        ? undefined
        : query.assignee === 'me'
          ? userId
          : query.assignee === 'unassigned'
            ? null
            : query.assignee;
    const filter = { channel: query.channel, status: query.status ?? 'open', assignee };
    if (query.q !== undefined && query.q.trim() !== '') {
      const found = await this.d.search.search(orgId, query.q, filter);
      return {
        conversations: found.views.map((v) => ({ ...v, match: found.matches.get(v.id) ?? null })),
        next_cursor: null,
      };
    }
    const sort = query.sort ?? 'recent';
    const after = decodeCursor(query.cursor);
    // The page, its last messages and the names they show in one statement (conversation-page.ts).
    const { rows, views } = await listConversationPage(this.d.db, orgId, {
      ...filter,
      sort,
      after,
      limit: CONVERSATIONS_PAGE + 1,
    });
    const page = rows.slice(0, CONVERSATIONS_PAGE);
    const last = page.at(-1);
    const keyOf = (r: ConversationRow) => (sort === 'waiting' ? waitingKeyOf(r) : r.last_message_at);
    return {
      conversations: views.slice(0, CONVERSATIONS_PAGE),
      next_cursor:
        rows.length > CONVERSATIONS_PAGE && last ? encodeCursor({ at: keyOf(last), id: last.id }) : null,
    };
  }

  async listMessages(
    orgId: string,
    conversationId: string,
    cursor: string | undefined,
  ): Promise<{ messages: MessageView[]; next_cursor: string | null }> {
    const conv = await this.conversation(orgId, conversationId);
    const rows = await messages.listMessages(this.d.db, conv.id, {
      after: decodeCursor(cursor),
      limit: MESSAGES_PAGE + 1,
    });
    const page = rows.slice(0, MESSAGES_PAGE);
    const last = page.at(-1);
    return {
      messages: await messageViewsIn(this.d.db, conv.channel, page),
      next_cursor:
        rows.length > MESSAGES_PAGE && last ? encodeCursor({ at: last.sent_at, id: last.id }) : null,
    };
  }

  async markRead(orgId: string, conversationId: string): Promise<ConversationView> {
    const conv = await this.conversation(orgId, conversationId);
    const now = this.d.now();
    await this.d.db.transaction().execute(async (tx) => {
      await conversations.markConversationRead(tx, orgId, conv.id, now);
      await messages.markInboundRead(tx, conv.id, now);
    });
    await publishConversations(this.d.db, this.d.bus, orgId, [conv.id]);
    return this.view(await this.conversation(orgId, conv.id));
  }

  /** The organization's conversation, or 404 — another organization's id is simply not found (R23). */
  async conversation(orgId: string, id: string): Promise<ConversationRow> {
    const row = await conversations.findConversation(this.d.db, orgId, id);
    if (!row) throw new ConversationNotFoundError();
    return row;
  }

  async view(row: ConversationRow): Promise<ConversationView> {
    return (await this.views([row]))[0]!;
  }

  private views(rows: ConversationRow[]): Promise<ConversationView[]> {
    return conversationViews(this.d.db, rows);
  }
}
