// Multi-row statements in a few shapes. SQLite keeps each prepared statement by its text
// (sqlite-statements.ts), and a multi-row INSERT, a VALUES list or an IN list is a new text — and a new
// compiled program, 2 kB a row for an INSERT into messages — for every row count: processing a
// transaction at a time made one for each count the traffic brought, and under 1,000 deliveries/s the
// processor's cache held 499 of them (issue 15, resident memory). On SQLite the counts are therefore
// taken from a few sizes: rows in power-of-two batches (100 rows: 64 + 32 + 4; statements are cheap in
// process), IN lists padded to a power of two. A drain of 80,000 single-event deliveries then prepared
// 182 statements, 160,000 characters of SQL, where it had prepared 263 of 500,000. On PostgreSQL every
// statement is a round trip and nothing is kept by text: the fewest statements win, as they were.
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { DatabaseSchema } from './database-schema.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export const onPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

const floorPow2 = (n: number) => 2 ** Math.floor(Math.log2(n));

/**
 * `rows` cut into statements of at most `max` rows (the bound-parameter limit): on SQLite each of a
 * power-of-two size (100 rows: 64 + 32 + 4), on PostgreSQL as few as possible.
 */
export function rowBatches<T>(db: Db, rows: T[], max: number): T[][] {
  const out: T[][] = [];
  const postgres = onPostgres(db);
  for (let i = 0; i < rows.length; ) {
    const left = rows.length - i;
    const size = postgres ? Math.min(left, max) : Math.min(floorPow2(left), floorPow2(max));
    out.push(rows.slice(i, i + size));
    i += size;
  }
  return out;
}

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
