// A transaction whose every effect can be recomputed from data already committed durably — the webhook
// processor's, which applies stored deliveries and marks them processed in the same commit. Such a
// commit need not wait for the disk: if a power cut loses it, the deliveries are simply unprocessed
// again and are applied again (processing is idempotent), so nothing acknowledged is lost (R38 still
// holds for the receiver's own commits, which stay fully synchronous). On SQLite the sync (fsync of the
// WAL) was the costliest single step of processing (bench/results/profile.md).
// - SQLite: PRAGMA synchronous=NORMAL around the transaction, on the one connection held throughout,
//   so no other statement runs meanwhile and every other commit stays FULL.
// - PostgreSQL: SET LOCAL synchronous_commit = off, for this transaction only.
import { sql, type Transaction } from 'kysely';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './database-schema.ts';

export async function derivedTransaction<T>(
  database: Database,
  work: (tx: Transaction<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (database.dialect === 'postgres') {
    return database.db.transaction().execute(async (tx) => {
      await sql`set local synchronous_commit = off`.execute(tx);
      return work(tx);
    });
  }
  return database.db.connection().execute(async (connection) => {
    await sql`pragma synchronous = normal`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`pragma synchronous = full`.execute(connection);
    }
  });
}
