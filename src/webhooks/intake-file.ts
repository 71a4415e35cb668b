// The intake file (issue 15): with an SQLite database, a running server's receiver commits webhook bodies
// to a small database file of its own beside the main one (`parley.db` → `parley.db-intake`), not to the
// inbox's file. Each acknowledgement waits for one fully synced commit; in the shared file that commit
// also waited for the write lock whenever a processing transaction held it (as long as the transaction
// took — far longer on a busy machine), and its sync flushed the inbox's pages too. Apart, the two never
// wait for each other. The processor moves bodies from here into webhook_deliveries (IntakeTransfer),
// where claiming, leases, retries and pruning work as before.
import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import type { Database } from '../storage/database.ts';
import type { DeliveryRow } from './delivery-repository.ts';

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

/** Bodies moved per step: a few hundred kB of SQL parameters at most, one synced commit each. */
const MOVE_LIMIT = 500;
const INSERT_CHUNK = 200;

/**
 * Moves committed bodies from the intake file into webhook_deliveries. A body leaves the intake file only
 * after the commit that copied it is synced (a fully synchronous transaction), so a crash or power cut
 * in between leaves it in both files, and the next move's INSERT skips the copy already there (same id).
 */
export class IntakeTransfer {
  private readonly intake: SQLite.Database;
  private readonly select: SQLite.Statement<
    [number],
    Pick<DeliveryRow, 'id' | 'received_at' | 'body' | 'body_encoding'> & { rowid: number }
  >;
  private readonly remove: SQLite.Statement<[number]>;

  constructor(
    file: string,
    private readonly database: Database,
  ) {
    this.intake = new SQLite(file);
    this.intake.pragma('journal_mode = WAL');
    // Deleting moved rows need not be synced: a lost delete only means a copy skipped again.
    this.intake.pragma('synchronous = NORMAL');
    this.intake.pragma('busy_timeout = 5000');
    // Reads the oldest rows and deletes them: a small page cache (the default is 2 MB) is enough.
    this.intake.pragma('cache_size = -256');
    this.intake.exec(INTAKE_TABLE_SQL);
    this.select = this.intake.prepare(
      'select rowid, id, received_at, body, body_encoding from webhook_intake order by rowid limit ?',
    );
    this.remove = this.intake.prepare('delete from webhook_intake where rowid <= ?');
  }

  /** Moves up to MOVE_LIMIT bodies; returns how many. */
  async move(): Promise<number> {
    const rows = this.select.all(MOVE_LIMIT);
    if (rows.length === 0) return 0;
    await this.database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('webhook_deliveries')
          .values(
            rows.slice(i, i + INSERT_CHUNK).map((r) => ({
              id: r.id,
              received_at: r.received_at,
              body: r.body,
              body_encoding: r.body_encoding,
              attempts: 0,
              claimed_until: null,
              processed_at: null,
              outcome: null,
              error: null,
            })),
          )
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
    });
    this.remove.run(rows[rows.length - 1]!.rowid);
    return rows.length;
  }

  close(): void {
    this.intake.close();
  }
}
