// A fresh, migrated database for one benchmark section — a SQLite file or a PostgreSQL schema, made
// the way the tests make theirs (test/support/databases.ts) — plus the DATABASE_URL that points an app
// process at the same place. The bench keeps its own handle for seeding and for counting rows.
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
