// Queries for history_imports: one row per (organization, account, platform), moved along by the job.
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { HistoryImportsTable } from './history-table.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type HistoryImportRow = HistoryImportsTable;
type Key = Pick<HistoryImportRow, 'org_id' | 'account_id' | 'platform'>;

/** Starts (or restarts, on a reconnect) an import from the first page. */
export async function startImport(db: Db, row: HistoryImportRow): Promise<void> {
  await db
    .insertInto('history_imports')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['org_id', 'account_id', 'platform']).doUpdateSet({
        state: row.state,
        after_cursor: null,
        conversations_done: 0,
        messages_imported: 0,
        since: row.since,
        error: null,
        started_at: row.started_at,
        finished_at: null,
      }),
    )
    .execute();
}

export async function findImport(db: Db, key: Key): Promise<HistoryImportRow | null> {
  return (
    (await db
      .selectFrom('history_imports')
      .selectAll()
      .where('org_id', '=', key.org_id)
      .where('account_id', '=', key.account_id)
      .where('platform', '=', key.platform)
      .executeTakeFirst()) ?? null
  );
}

export async function listImports(db: Db, orgId: string): Promise<HistoryImportRow[]> {
  return db
    .selectFrom('history_imports')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('platform')
    .execute();
}

export async function updateImport(
  db: Db,
  key: Key,
  change: Partial<Omit<HistoryImportRow, 'org_id' | 'account_id' | 'platform'>>,
): Promise<void> {
  await db
    .updateTable('history_imports')
    .set(change)
    .where('org_id', '=', key.org_id)
    .where('account_id', '=', key.account_id)
    .where('platform', '=', key.platform)
    .execute();
}
