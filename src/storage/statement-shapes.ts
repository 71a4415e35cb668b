// IN lists of a few sizes. SQLite keeps each prepared statement by its text (sqlite-statements.ts), and
// an IN list is a new text — and a new compiled program — for every count of values: claiming, finishing
// and locking rows a transaction at a time made one for each batch size the traffic brought. Padded to a
// power of two, the lists of a statement take at most eleven shapes up to 1,000 values, and each stays
// prepared. PostgreSQL keeps nothing by text; its lists are left as they are.
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { DatabaseSchema } from './database-schema.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export const onPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The values of an IN list, at most `max` per statement; on SQLite each list is padded to a power of two
 * (or to `max`) by repeating its last value, which leaves the set it names unchanged.
 */
export function inLists<T>(db: Db, values: T[], max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += max) {
    const list = values.slice(i, i + max);
    if (!onPostgres(db)) {
      const size = Math.min(2 ** Math.ceil(Math.log2(list.length)), max);
      while (list.length < size) list.push(list[list.length - 1]!);
    }
    out.push(list);
  }
  return out;
}
