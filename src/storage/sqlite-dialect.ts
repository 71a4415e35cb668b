// Kysely's SQLite dialect, with one change: transactions begin IMMEDIATE (taking the write lock at
// BEGIN) instead of DEFERRED. Since webhook intake commits from a worker thread on its own connection
// (webhooks/intake-worker.mjs), a deferred transaction that read first and then wrote could find that
// the worker had committed in between, and fail at once with SQLITE_BUSY (its snapshot is stale; the
// busy timeout does not apply). Taken at BEGIN, the lock simply waits its turn.
import {
  CompiledQuery,
  type DatabaseConnection,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.settings);
  }
}
