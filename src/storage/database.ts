// createDatabase(config) → Kysely over SQLite (embedded default) or PostgreSQL, chosen by DATABASE_URL.
// Both run the same queries and the same migrations; the repository tests run on both.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type { Config } from '../config.ts';
import type { DatabaseSchema } from './database-schema.ts';
import { preparingClient } from './postgres-prepared-statements.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { ReusedStatements } from './sqlite-statements.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: Dialect;
  /** SQLite: the database file (':memory:' for a private in-memory one). */
  file?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL only: run in this schema (tests isolate themselves with a fresh schema each). */
  searchPath?: string;
  poolSize?: number;
  /**
   * SQLite only: the most page cache this connection keeps, in KiB. better-sqlite3 builds SQLite with
   * 16,000 KiB per connection (SQLite's own default is 2,000); the webhook processor's connection takes
   * less (processor-worker.ts).
   */
  sqliteCacheKiB?: number;
}

export function createDatabase(config: Config['database'], options: DatabaseOptions = {}): Database {
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const sqlite = new SQLite(config.path);
    // WAL lets readers run beside the writer. synchronous=FULL syncs the WAL at every commit, so a
    // webhook acknowledged after its commit survives even a power cut (R38); group commit in the
    // webhook receiver keeps that affordable.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    if (options.sqliteCacheKiB !== undefined)
      sqlite.pragma(`cache_size = -${Math.trunc(options.sqliteCacheKiB)}`);
    const db = new Kysely<DatabaseSchema>({
      dialect: new ImmediateSqliteDialect({ database: new ReusedStatements(sqlite) }),
    });
    return { db, dialect: 'sqlite', file: config.path, close: () => db.destroy() };
  }
  // Required only for PostgreSQL: the embedded default never loads pg, in the main thread nor the
  // processor's (issue 15, resident memory).
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    // Statements used again are prepared once per connection (postgres-prepared-statements.ts).
    ...(config.preparedStatements === false ? {} : { Client: preparingClient(pg) }),
    connectionTimeoutMillis: 5000,
    // Connections are kept, not closed after pg's default 10 s idle. A closed one is reopened at the next
    // burst, exactly when the requests have piled up: a new backend (fork, authentication) whose first
    // statements also fill its empty catalog caches. The bench's inbox reads opened 8–9 new backends at
    // the start of each endpoint's load this way (issue 15, target 5). At most `max` per pool are kept.
    idleTimeoutMillis: 0,
    // bigint columns hold epoch milliseconds, far below 2^53: read them as numbers, without touching
    // pg's process-wide parser table.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process.
  pool.on('error', () => {});
  // Nor one losing it while checked out (mid-transaction): its 'error' event has no listener then, and
  // an unheard 'error' ends a Node process. The query in flight fails instead (a webhook gets its 503),
  // and the pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
