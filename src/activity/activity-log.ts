// The per-organization connection activity log: who did what to the Meta connection and when,
// including what Meta and Parley itself did (token rejected, health restored, deletion request).
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ActivityKind } from './activity-table.ts';
import { timeOrderedId } from './time-ordered-id.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export type Actor = { userId: string; email: string } | 'meta' | 'parley';

export async function recordActivity(
  db: Db,
  entry: {
    orgId: string;
    kind: ActivityKind;
    actor: Actor;
    pageId?: string | null;
    detail?: string | null;
    at: number;
  },
): Promise<void> {
  const actor = entry.actor;
  await db
    .insertInto('connection_events')
    .values({
      id: timeOrderedId(entry.at),
      org_id: entry.orgId,
      kind: entry.kind,
      actor_user_id: typeof actor === 'object' ? actor.userId : null,
      actor_label: typeof actor === 'object' ? actor.email : actor === 'meta' ? 'Meta' : 'Parley',
      page_id: entry.pageId ?? null,
      detail: entry.detail?.slice(0, 300) ?? null,
      created_at: entry.at,
    })
    .execute();
}

export async function listActivity(db: Db, orgId: string, limit = 50) {
  return db
    .selectFrom('connection_events')
    .select(['id', 'kind', 'actor_label', 'page_id', 'detail', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
