// Queries for note_mentions (migration 0011) and the organization's mentionable members.
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Mentionable } from './mention-parser.ts';
import type { NoteMentionsTable } from './mention-tables.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export async function membersOf(db: Db, orgId: string): Promise<Mentionable[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name', 'users.email'])
    .where('memberships.org_id', '=', orgId)
    .execute();
}

export async function insertMentions(db: Db, rows: NoteMentionsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('note_mentions').values(rows).execute();
}

/** Who each note mentions (user ids, in no particular order), for the notes' views. */
export async function mentionedIn(db: Db, messageIds: string[]): Promise<Map<string, string[]>> {
  const byMessage = new Map<string, string[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom('note_mentions')
    .select(['message_id', 'user_id'])
    .where('message_id', 'in', messageIds)
    .execute();
  for (const row of rows)
    byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), row.user_id]);
  return byMessage;
}

/** A member's unread mentions with their notes, newest first. */
export async function listUnread(db: Db, orgId: string, userId: string, limit: number) {
  return db
    .selectFrom('note_mentions')
    .innerJoin('messages', 'messages.id', 'note_mentions.message_id')
    .select([
      'note_mentions.message_id',
      'note_mentions.conversation_id',
      'note_mentions.created_at',
      'messages.text',
      'messages.sent_by_user_id',
    ])
    .where('note_mentions.org_id', '=', orgId)
    .where('note_mentions.user_id', '=', userId)
    .where('note_mentions.read_at', 'is', null)
    .orderBy('note_mentions.created_at', 'desc')
    .orderBy('note_mentions.message_id', 'desc')
    .limit(limit)
    .execute();
}

export async function countUnread(db: Db, orgId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('note_mentions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The member opened the conversation: its mentions of them are read. */
export async function markConversationRead(
  db: Db,
  orgId: string,
  userId: string,
  conversationId: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('note_mentions')
    .set({ read_at: now })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('conversation_id', '=', conversationId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Conversations with customer messages nobody has read yet (the tab title's count). */
export async function countUnreadConversations(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('unread_count', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
