// A member's unread @mentions (GET /api/mentions), marking them read when the member opens the
// conversation, and the two numbers the web app's frame shows: conversations with unread customer
// messages (the tab title) and unread mentions. Marking some read tells the member's streams
// (`mentions.read`), so the "@ N" of their other tabs and devices follows at once.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { MentionsResponse, UnreadSummary } from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { displayNames } from './assignment-repository.ts';
import * as conversations from './conversation-repository.ts';
import { ConversationNotFoundError } from './inbox-errors.ts';
import * as mentions from './mentions-repository.ts';
import { noteSnippet } from './note-service.ts';

const LISTED = 50;

export class MentionService {
  constructor(
    private readonly d: { db: Kysely<DatabaseSchema>; bus: LiveBus; logger: Logger; now: () => number },
  ) {}

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
    const read = await mentions.markConversationRead(db, orgId, userId, conversationId, this.d.now());
    const unread = await mentions.countUnread(db, orgId, userId);
    if (read > 0) {
      const event = {
        type: 'mentions.read',
        recipient_id: userId,
        conversation_id: conversationId,
        unread_count: unread,
      } as const;
      // They are read either way; other tabs catch up when they next ask for the count.
      await this.d.bus.publish(orgId, event).catch((err: unknown) => {
        this.d.logger.warn({ orgId, err }, 'live event not published');
      });
    }
    return unread;
  }

  async summary(orgId: string, userId: string): Promise<UnreadSummary> {
    const [conversationsUnread, mentionsUnread] = await Promise.all([
      mentions.countUnreadConversations(this.d.db, orgId),
      mentions.countUnread(this.d.db, orgId, userId),
    ]);
    return { conversations: conversationsUnread, mentions: mentionsUnread };
  }
}
