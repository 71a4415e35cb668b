// The customer panel's "first contact": when each conversation's first message was sent. No column keeps
// it: messages_conversation_idx (conversation_id, sent_at, id) answers "the oldest message of this
// conversation" with one index seek, so a page of 50 conversations costs 50 seeks in one statement,
// and a history import that adds older messages later is right without anything to keep current.
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
