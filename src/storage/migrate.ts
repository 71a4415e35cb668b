// Runs the in-code migrations to the latest version. Kysely's migrateToLatest reports failure in its
// result instead of throwing, so this turns it into an exception.
import { type Kysely, type Migration, Migrator, PostgresAdapter, sql } from 'kysely';
import * as m0001 from './migrations/0001-accounts.ts';
import * as m0002 from './migrations/0002-meta-connection.ts';
import * as m0003 from './migrations/0003-inbox.ts';
import * as m0004 from './migrations/0004-connection-health.ts';
import * as m0005 from './migrations/0005-instagram-account-unique.ts';
import * as m0006 from './migrations/0006-teams-and-accounts.ts';
import * as m0007 from './migrations/0007-media-and-history.ts';
import * as m0008 from './migrations/0008-inbox-status-search.ts';
import * as m0009 from './migrations/0009-connection-alerts.ts';
import * as m0010 from './migrations/0010-conversation-assignment.ts';
import * as m0011 from './migrations/0011-notes-and-mentions.ts';
import * as m0012 from './migrations/0012-saved-replies.ts';
import * as m0013 from './migrations/0013-conversation-last-message-copy.ts';
import * as m0014 from './migrations/0014-message-copy-per-statement.ts';
import * as m0015 from './migrations/0015-instagram-handle-from-import.ts';
import * as m0016 from './migrations/0016-instagram-name-from-lookup.ts';
import * as m0017 from './migrations/0017-failed-reply-wording.ts';

const migrations: Record<string, Migration> = {
  '0001-accounts': m0001,
  '0002-meta-connection': m0002,
  '0003-inbox': m0003,
  '0004-connection-health': m0004,
  '0005-instagram-account-unique': m0005,
  '0006-teams-and-accounts': m0006,
  '0007-media-and-history': m0007,
  '0008-inbox-status-search': m0008,
  '0009-connection-alerts': m0009,
  '0010-conversation-assignment': m0010,
  '0011-notes-and-mentions': m0011,
  '0012-saved-replies': m0012,
  '0013-conversation-last-message-copy': m0013,
  '0014-message-copy-per-statement': m0014,
  '0015-instagram-handle-from-import': m0015,
  '0016-instagram-name-from-lookup': m0016,
  '0017-failed-reply-wording': m0017,
};

export class MigrationError extends Error {
  constructor(name: string, cause: unknown) {
    super(`migration ${name} failed${cause instanceof Error ? `: ${cause.message}` : ''}`, { cause });
    this.name = 'MigrationError';
  }
}

/**
 * Before it migrates, Kysely's migrator looks for its bookkeeping tables with an introspection query over
 * every schema of the database, which calls catalog functions on each table and schema it lists. A table
 * or schema dropped meanwhile by another session makes that query fail ("schema … does not exist"): the
 * tests drop their schemas while other suites migrate theirs (3 processes creating and dropping schemas:
 * 9 failures in 90 creations), and instances of one deployment may change the catalog while another
 * starts. Nothing has been migrated when that happens, so it is tried again, for up to 15 s. (At first
 * it was tried 8 times in under a second; a fresh-clone CI then saw all 8 fail once, beside the
 * concurrency test's loop that drops schemas without pause.) Only that race is retried: an error whose
 * message says an object "does not exist", before any migration ran.
 */
const BOOKKEEPING_RETRY_MS = 15_000;

export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const schema = await postgresSchema(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const deadline = performance.now() + BOOKKEEPING_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return (results ?? []).map((r) => r.migrationName);
    // No results: it failed before running any migration (the bookkeeping above).
    const catalogRace =
      results === undefined &&
      schema !== null &&
      error instanceof Error &&
      /does not exist/.test(error.message);
    if (!catalogRace || performance.now() >= deadline)
      throw new MigrationError(failed?.migrationName ?? 'bookkeeping', error);
    await new Promise((resolve) => setTimeout(resolve, Math.min(20 * attempt, 250)));
  }
}

/**
 * On PostgreSQL, the schema the connection works in. Without it Kysely looks for its bookkeeping
 * tables in every schema, so a database with another schema already migrated (tests run each suite in
 * its own schema, concurrently) would skip creating them in this one and fail.
 */
async function postgresSchema<T>(db: Kysely<T>): Promise<string | null> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return null;
  const r = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return r.rows[0]?.schema ?? null;
}
