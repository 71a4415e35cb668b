// The customer panel's "first contact": when each conversation's first message was sent, read from the
// messages themselves: messages_conversation_idx (conversation_id, sent_at, id) answers "the oldest
// message of this conversation" with one index seek per conversation, in one statement. The list reads
// the copy the database keeps on the conversation instead (first_message_at, migration 0013); this is
// the messages-based reading the other views use, and test/conversation-page.test.ts compares the two.
import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

export async function firstContacts(
  db: Kysely<DatabaseSchema>,
  conversationIds: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    const rows = await db
      .selectFrom('conversations as c')
      .select([
        'c.id',
        // ORDER BY … LIMIT 1 rather than min(): both planners read it as one step down the index.
        sql<
          number | string | null
        >`(select m.sent_at from messages m where m.conversation_id = c.id order by m.sent_at limit 1)`.as(
          'first_at',
        ),
      ])
      .where('c.id', 'in', conversationIds.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.first_at !== null) out.set(r.id, Number(r.first_at));
  }
  return out;
}
