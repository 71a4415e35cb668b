// The only places the soak reads the app's tables, by name: messages and their mid. Nothing about
// webhook intake or processing internals (which may move between tables, files or threads): the soak
// judges what a user would see, the messages.
import { storedMessages } from '../test/support/durability-fixtures.ts';
import type { BenchDatabase } from './bench-database.ts';

/**
 * Distinct mids stored (the soak's database holds nothing else, so all are the soak's); distinct, so a
 * duplicate cannot make processing look finished before it is.
 */
export async function countStoredMids(db: BenchDatabase): Promise<number> {
  const r = await db.test.database.db
    .selectFrom('messages')
    .select((eb) => eb.fn.count<number>('mid').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every stored mid with how many message rows carry it (GROUP BY mid). */
export const storedMidCounts = (db: BenchDatabase): Promise<Map<string, number>> =>
  storedMessages(db.test.database);
