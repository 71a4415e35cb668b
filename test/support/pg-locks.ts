// Row-lock choreography for PostgreSQL tests that hold a transaction open while another waits on it
// (conversation-lock.test.ts, reply-send-lock.test.ts). Waits are observed, not slept: a backend blocked
// by this transaction's own backend (other test files share the server, so any lock wait would not do).
import { type Kysely, sql } from 'kysely';

/** The server process running `db`'s statements (a transaction's own backend). */
export async function backendPid<DB>(db: Kysely<DB>): Promise<number> {
  return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
}

/**
 * Polls (on another connection of `db`'s pool) until some backend waits on a lock `pid` holds; returns
 * whether one did within about `timeoutMs`.
 */
export async function untilBlockedBy<DB>(db: Kysely<DB>, pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where ${pid} = any(pg_blocking_pids(pid))`.execute(db);
    if (rows[0]!.n > 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}
