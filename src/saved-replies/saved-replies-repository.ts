// Queries on saved_replies; every one is scoped by the organization (R23).
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { SavedRepliesTable } from './saved-replies-table.ts';

type Db = Kysely<DatabaseSchema>;
export type SavedReplyRow = Pick<SavedRepliesTable, 'id' | 'title' | 'text' | 'updated_at'>;

const columns = ['id', 'title', 'text', 'updated_at'] as const;

export async function listSavedReplies(db: Db, orgId: string): Promise<SavedReplyRow[]> {
  return db.selectFrom('saved_replies').select(columns).where('org_id', '=', orgId).execute();
}

export async function countSavedReplies(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('saved_replies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSavedReply(db: Db, row: SavedRepliesTable): Promise<void> {
  await db.insertInto('saved_replies').values(row).execute();
}

export async function updateSavedReply(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Pick<SavedRepliesTable, 'title' | 'title_key' | 'text'>> & { updated_at: number },
): Promise<SavedReplyRow | null> {
  const row = await db
    .updateTable('saved_replies')
    .set(changes)
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row ?? null;
}

export async function deleteSavedReply(db: Db, orgId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('saved_replies')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
