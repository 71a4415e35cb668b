// Kysely's SQLite dialect, with one change: transactions begin IMMEDIATE (taking the write lock at
// BEGIN) instead of DEFERRED. Since webhook intake commits on a connection of its own
// (webhooks/intake-appender.ts), a deferred transaction that read first and then wrote could find that
// the intake had committed in between, and fail at once with SQLITE_BUSY (its snapshot is stale; the
// busy timeout does not apply). Taken at BEGIN, the lock simply waits its turn.
//
// It waits without stopping the event loop: better-sqlite3's busy handler sleeps inside the call, so a
// main-thread transaction (a participant's name stored after a lookup, a job) that found the processor
// thread's transaction holding the lock stopped every acknowledgement for as long as that took — at
// 1,000 deliveries/s the main thread spent 1.0–1.5 s of every 2 s asleep in BEGIN IMMEDIATE
// (bench/results/profile.md). BEGIN now fails at once when the lock is taken and is tried again after
// a timer, up to the same 5 s the busy timeout allows.
import {
  CompiledQuery,
  type DatabaseConnection,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

const LOCK_WAIT_MS = 5000;
const BUSY_TIMEOUT_MS = 5000;
const MAX_PAUSE_MS = 4;

const BEGIN = CompiledQuery.raw('begin immediate');
const FAIL_AT_ONCE = CompiledQuery.raw('pragma busy_timeout = 0');
const WAIT_AGAIN = CompiledQuery.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);

const isBusy = (err: unknown) => (err as { code?: unknown }).code === 'SQLITE_BUSY';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const deadline = performance.now() + LOCK_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      await connection.executeQuery(FAIL_AT_ONCE);
      try {
        await connection.executeQuery(BEGIN);
        return;
      } catch (err) {
        if (!isBusy(err) || performance.now() >= deadline) throw err;
      } finally {
        // Statements inside the transaction, and every other one, keep the busy timeout.
        await connection.executeQuery(WAIT_AGAIN);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
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
