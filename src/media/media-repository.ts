// Queries for media rows. Bytes live behind MediaStore (media-store.ts), not here.
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { MediaTable } from './media-table.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type MediaRow = MediaTable;

export async function insertMedia(db: Db, rows: MediaRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50)
    await db
      .insertInto('media')
      .values(rows.slice(i, i + 50))
      .execute();
}

export async function findMedia(db: Db, orgId: string, id: string): Promise<MediaRow | null> {
  return (
    (await db
      .selectFrom('media')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

export async function findMediaById(db: Db, id: string): Promise<MediaRow | null> {
  return (await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function updateMedia(
  db: Db,
  id: string,
  change: Partial<Omit<MediaRow, 'id' | 'org_id' | 'owner'>>,
): Promise<MediaRow | null> {
  return (
    (await db.updateTable('media').set(change).where('id', '=', id).returningAll().executeTakeFirst()) ?? null
  );
}

/** Deletes the rows and returns them, so the caller can delete the bytes and tell the owners. */
export async function deleteMedia(db: Db, where: { orgId: string; accountId?: string }): Promise<MediaRow[]> {
  let q = db.deleteFrom('media').where('org_id', '=', where.orgId);
  if (where.accountId !== undefined) q = q.where('account_id', '=', where.accountId);
  return q.returningAll().execute();
}
