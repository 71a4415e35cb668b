// A fresh, migrated database for one benchmark section — a SQLite file or a PostgreSQL schema, made
// the way the tests make theirs (test/support/databases.ts) — plus the DATABASE_URL that points an app
// process at the same place. The bench keeps its own handle for seeding and for counting rows.
import { sql } from 'kysely';
import pg from 'pg';
import {
  createTestDatabase,
  type DatabaseKind,
  POSTGRES_URL,
  type TestDatabase,
} from '../test/support/databases.ts';

export interface BenchDatabase {
  kind: DatabaseKind;
  test: TestDatabase;
  /** For the app process: `sqlite:PATH`, or the PostgreSQL URL with the schema as its search_path. */
  databaseUrl: string;
}

export async function createBenchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  const test = await createTestDatabase(kind);
  if (test.config.kind === 'sqlite') return { kind, test, databaseUrl: `sqlite:${test.config.path}` };
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${test.searchPath}`);
  return { kind, test, databaseUrl: url.toString() };
}

/**
 * PostgreSQL only, and only when the server runs without autovacuum (this machine's CI configuration
 * turns it off): vacuums the tables ingestion writes, as autovacuum would within its one-minute nap on a
 * server with it on. Without it every run inherits the dead rows of the runs before it: about 200,000
 * events were applied to the ingestion runs' 2,000 conversations before the single-event burst, and in
 * `bench/burst-drain.ts` their table grew from 22 to 44 MB (54,000 dead rows) in two bursts. Returns
 * whether it vacuumed.
 */
export async function vacuumWithoutAutovacuum(db: BenchDatabase): Promise<boolean> {
  if (db.kind !== 'postgres') return false;
  const d = db.test.database.db;
  const { rows } = await sql<{ autovacuum: string }>`show autovacuum`.execute(d);
  if (rows[0]?.autovacuum !== 'off') return false;
  await sql`vacuum (analyze) conversations, messages, webhook_deliveries`.execute(d);
  return true;
}

/**
 * Drops the section's database. On PostgreSQL it then runs a CHECKPOINT, as the inbox loader does after
 * its load: a checkpoint that the section's WAL started near its end spreads its writes over minutes
 * (checkpoint_completion_target), into the next section's measurements. At 20:36Z on 2026-12-05 one
 * ran from the end of PostgreSQL's ingestion part through the whole SQLite inbox part that follows it
 * (20:43:44–20:48:14), and the SQLite Unassigned list missed there in four full runs and in no partial
 * run (bench/results/profile.md). After the drop, the dropped tables' pages are not written.
 */
export async function dropBenchDatabase(db: BenchDatabase): Promise<void> {
  await db.test.drop();
  if (db.kind !== 'postgres') return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}
