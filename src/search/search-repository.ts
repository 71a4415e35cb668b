// Full-text search over an organization's inbox: one interface, one implementation per database
// (sqlite-search-repository.ts on FTS5, postgres-search-repository.ts on tsvector + GIN), both proved by
// test/search-repository.test.ts. The indexes are maintained by the database in the transaction that
// writes the message or the name (migration 0008), so a search never sees a message that is not there,
// nor misses one that is. Terms come from searchTerms(); every term must match, case- and
// accent-insensitively, as a whole word; with `prefix`, the last term as the start of a word (the word
// being typed). A prefix costs the databases every word it starts — FTS5 merges their posting lists
// before the first row — so the service asks for whole words first and for the prefix only when they
// found nothing.
import type { Kysely, Transaction } from 'kysely';
import type { Channel } from '../contract.ts';
import type { ConversationStatus } from '../inbox/inbox-tables.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';

export type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export interface SearchFilter {
  channel?: Channel;
  status: ConversationStatus | 'all';
  /** A member's id, null for the unassigned, undefined for any. */
  assignee?: string | null;
  /** Match the last term as the start of a word (typing "ped" finds "Pedro"), not only as a whole word. */
  prefix?: boolean;
}

export interface MessageHit {
  conversationId: string;
  messageId: string;
  text: string;
  sentAt: number;
}

export interface SearchRepository {
  /** Conversations whose person's name or handle matches every term; newest activity first. */
  conversationsByName(
    db: Db,
    orgId: string,
    terms: string[],
    filter: SearchFilter,
    limit: number,
  ): Promise<string[]>;
  /**
   * For up to `limit` conversations, the newest message matching every term, one per conversation,
   * newest first.
   */
  newestMessageHits(
    db: Db,
    orgId: string,
    terms: string[],
    filter: SearchFilter,
    limit: number,
  ): Promise<MessageHit[]>;
}

/** Keeps the newest hit per conversation, in order of first appearance, up to `limit` conversations. */
export function distinctConversations(rows: MessageHit[], limit: number): MessageHit[] {
  const best = new Map<string, MessageHit>();
  for (const r of rows) {
    const seen = best.get(r.conversationId);
    if (!seen) {
      if (best.size < limit) best.set(r.conversationId, r);
    } else if (r.sentAt > seen.sentAt) {
      best.set(r.conversationId, r);
    }
  }
  return [...best.values()].sort((a, b) => b.sentAt - a.sentAt);
}
