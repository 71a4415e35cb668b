// The intake file (issue 15): with an SQLite database, a running server's receiver commits webhook bodies
// to a small database file of its own beside the main one (`parley.db` → `parley.db-intake`), not to the
// inbox's file. Each acknowledgement waits for one fully synced commit; in the shared file that commit
// also waited for the write lock whenever a processing transaction held it (as long as the transaction
// took — far longer on a busy machine), and its sync flushed the inbox's pages too. Apart, the two never
// wait for each other. The processor moves bodies from here into webhook_deliveries (IntakeTransfer),
// where leases, retries and pruning work as before; the bodies it moves arrive already leased to it.
import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Database } from '../storage/database.ts';
import { type DeliveryRow, sortedByReceipt } from './delivery-repository.ts';

export const intakeFileOf = (databaseFile: string) => `${databaseFile}-intake`;

/** The one table of the intake file (the worker and the transfer both create it if missing). */
export const INTAKE_TABLE_SQL = `create table if not exists webhook_intake (
  id text primary key,
  received_at integer not null,
  body text not null,
  body_encoding text not null
)`;

/** Whether an intake file holds bodies not yet moved (at start-up: left by a crash or a stop). */
export function intakeHasBodies(file: string): boolean {
  if (!existsSync(file)) return false;
  const conn = new SQLite(file);
  try {
    conn.pragma('busy_timeout = 5000');
    conn.exec(INTAKE_TABLE_SQL);
    return conn.prepare('select 1 from webhook_intake limit 1').get() !== undefined;
  } finally {
    conn.close();
  }
}

/**
 * Moves committed bodies from the intake file into webhook_deliveries. A body leaves the intake file only
 * after the commit that copied it is synced (a fully synchronous transaction), so a crash or power cut
 * in between leaves it in both files, and the next move's INSERT skips the copy already there (same id).
 *
 * The copy is one INSERT … SELECT from the intake file, ATTACHed to the connection that processes (the
 * processor thread's, or the app's own when processing inline): the bodies go from file to file inside
 * SQLite. They used to be read into JavaScript and inserted again
 * through a 500-row Kysely INSERT — 7.6 % of the processor thread's CPU in a profile of a burst, besides
 * the garbage those strings made.
 */
export class IntakeTransfer {
  private readonly intake: SQLite.Database;
  private readonly oldest: SQLite.Statement<[number], { n: number; last: number | null }>;
  private readonly remove: SQLite.Statement<[number]>;

  constructor(
    private readonly file: string,
    private readonly database: Database,
  ) {
    this.intake = new SQLite(file);
    this.intake.pragma('journal_mode = WAL');
    // Deleting moved rows need not be synced: a lost delete only means a copy skipped again.
    this.intake.pragma('synchronous = NORMAL');
    this.intake.pragma('busy_timeout = 5000');
    // Counts the oldest rows and deletes them: a small page cache (the default is 2 MB) is enough.
    this.intake.pragma('cache_size = -256');
    this.intake.exec(INTAKE_TABLE_SQL);
    this.oldest = this.intake.prepare(
      'select count(*) as n, max(rowid) as last from (select rowid from webhook_intake order by rowid limit ?)',
    );
    this.remove = this.intake.prepare('delete from webhook_intake where rowid <= ?');
  }

  /**
   * Moves up to `limit` bodies (one synced commit), leased to the caller until `leasedUntil` as a claim
   * would lease them (attempts 1), and returns the rows moved: the processor applies them without
   * claiming them again. On SQLite Parley is one process, so nothing else could have claimed them; a
   * crash before they are applied leaves them leased to a process that is gone, and the next start
   * releases such leases (delivery-repository.ts releaseLeasesOfEndedProcess). A claim, with its UPDATE
   * of every row and body, was 7 % of the processor's SQLite time in a burst and its drain
   * (bench/results/profile.md). Rows already there (copied before a crash, the delete lost) are not
   * returned: they are claimed as before.
   */
  async move(limit: number, leasedUntil: number): Promise<DeliveryRow[]> {
    const { n, last } = this.oldest.get(limit)!;
    if (n === 0 || last === null) return [];
    // Attached only for this statement, on the connection held throughout: a BEGIN IMMEDIATE takes the
    // write lock of every attached file, so with the intake file attached for good, each processing
    // transaction locked the receiver out of it. The statement runs on its own (autocommit), which
    // locks only the file it writes and, as every commit on this connection, syncs it.
    // Only this transfer deletes from the intake file, and rows are appended after `last`: the rows up
    // to `last` counted above are still there, and no other row has a rowid up to `last`.
    const moved = await this.database.db.connection().execute(async (conn) => {
      await sql`attach database ${this.file} as intake`.execute(conn);
      try {
        const { rows } = await sql<DeliveryRow>`insert into webhook_deliveries
              (id, received_at, body, body_encoding, attempts, claimed_until, processed_at, outcome, error)
            select id, received_at, body, body_encoding, 1, ${leasedUntil}, null, null, null
              from intake.webhook_intake where rowid <= ${last} order by rowid
            on conflict (id) do nothing
            returning *`.execute(conn);
        return rows;
      } finally {
        await sql`detach database intake`.execute(conn);
      }
    });
    this.remove.run(last);
    return sortedByReceipt(moved);
  }

  close(): void {
    this.intake.close();
  }
}
