// Runs a suite against every database Parley supports: a fresh SQLite file and a fresh PostgreSQL
// schema per suite, both migrated. PostgreSQL is reached at TEST_POSTGRES_URL (CI starts it).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  database: Database;
  /** What DATABASE_URL-style config this database was made from (for starting real app processes). */
  config: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  searchPath?: string;
  /** The SQLite file, so tests can grep it for plaintext secrets. */
  file?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
    const file = join(dir, 'parley.db');
    const config = { kind: 'sqlite' as const, path: file };
    const database = createDatabase(config);
    await migrateToLatest(database.db);
    return {
      database,
      config,
      file,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const config = { kind: 'postgres' as const, url: POSTGRES_URL };
  const database = createDatabase(config, { searchPath: schema, poolSize: 5 });
  await migrateToLatest(database.db);
  return {
    database,
    config,
    searchPath: schema,
    drop: async () => {
      await sql.raw(`drop schema ${schema} cascade`).execute(database.db);
      await database.close();
    },
  };
}
