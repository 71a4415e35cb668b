// A member's unread @mentions (GET /api/mentions), marking them read when the member opens the
// conversation, and the two numbers the web app's frame shows: conversations with unread customer
// messages (the tab title) and unread mentions.
import type { Kysely } from 'kysely';
import type { MentionsResponse, UnreadSummary } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { displayNames } from './assignment-repository.ts';
import * as conversations from './conversation-repository.ts';
import { ConversationNotFoundError } from './inbox-errors.ts';
import * as mentions from './mentions-repository.ts';
import { noteSnippet } from './note-service.ts';

const LISTED = 50;

export class MentionService {
  constructor(private readonly d: { db: Kysely<DatabaseSchema>; now: () => number }) {}

  async unread(orgId: string, userId: string): Promise<MentionsResponse> {
    const db = this.d.db;
    const [rows, count] = await Promise.all([
      mentions.listUnread(db, orgId, userId, LISTED),
      mentions.countUnread(db, orgId, userId),
    ]);
    const names = await displayNames(
      db,
      rows.map((r) => r.sent_by_user_id),
    );
    return {
      mentions: rows.map((r) => ({
        conversation_id: r.conversation_id,
        message_id: r.message_id,
        by: {
          id: r.sent_by_user_id,
          name: r.sent_by_user_id ? (names.get(r.sent_by_user_id) ?? 'Former member') : 'Former member',
        },
        snippet: noteSnippet(r.text ?? ''),
        created_at: new Date(Number(r.created_at)).toISOString(),
      })),
      unread_count: count,
    };
  }

  /** The member opened the conversation; 404 when it is not their organization's. */
  async markRead(orgId: string, userId: string, conversationId: string): Promise<number> {
    const db = this.d.db;
    if (!(await conversations.findConversation(db, orgId, conversationId)))
      throw new ConversationNotFoundError();
    await mentions.markConversationRead(db, orgId, userId, conversationId, this.d.now());
    return mentions.countUnread(db, orgId, userId);
  }

  async summary(orgId: string, userId: string): Promise<UnreadSummary> {
    const [conversationsUnread, mentionsUnread] = await Promise.all([
      mentions.countUnreadConversations(this.d.db, orgId),
      mentions.countUnread(this.d.db, orgId, userId),
    ]);
    return { conversations: conversationsUnread, mentions: mentionsUnread };
  }
}
