// Durable intake of webhook bodies into an SQLite file, written on the main thread and synced off it.
// The connection commits with synchronous=OFF — SQLite hands the WAL frames to the operating system and
// returns, tens of microseconds for a group — and the WAL file is then fdatasync'd on libuv's thread
// pool. A group is answered once a sync that began after its commit has ended: the same guarantee as
// synchronous=FULL (the WAL synced at every commit, R38), without the event loop waiting for the disk.
// Commits that land while a sync runs share the next one (group commit).
//
// This replaced an intake worker thread that ran the commits with synchronous=FULL (issue 15): the
// thread was a V8 isolate of its own (~15–20 MB resident under load), and every body was copied to it.
//
// What keeps it safe: this connection never checkpoints (wal_autocheckpoint=0) — the processor's
// connections do, with synchronous=NORMAL, which syncs the database file before the WAL is reused — and
// before closing it turns synchronous back to FULL, because the last connection to close checkpoints.
// A sync that fails rejects every group it covered (their senders get 503; Meta sends them again).
import { type FileHandle, open } from 'node:fs/promises';
import SQLite from 'better-sqlite3';
import type { DeliveryRow } from './delivery-repository.ts';
import { INTAKE_TABLE_SQL } from './intake-file.ts';

export class IntakeStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntakeStorageError';
  }
}

/**
 * Groups the receiver may have committed before the first one's sync ends (DeliveryInbox's
 * maxInFlight): a group is committed in the turn its requests were read, instead of waiting for the
 * event loop to hear that the previous sync ended; the syncs cover whatever was committed meanwhile.
 */
export const INTAKE_GROUPS_IN_FLIGHT = 8;

/** How long a commit may wait for another connection's write lock (the same 5 s as busy_timeout). */
const LOCK_WAIT_MS = 5000;
const MAX_PAUSE_MS = 4;

interface Waiter {
  /** The commit this caller waits for (its number in `commits`). */
  commit: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

type Row = Pick<DeliveryRow, 'id' | 'received_at' | 'body' | 'body_encoding'>;

export class IntakeAppender {
  private readonly connection: SQLite.Database;
  private readonly insertGroup: (rows: Row[]) => void;
  private wal: FileHandle | null = null;
  /** Commits made so far (a waiter is answered by a sync that began after its commit). */
  private commits = 0;
  /** WAL syncs finished (group commit: fewer than commits under load). */
  syncs = 0;
  private syncing = false;
  private waiters: Waiter[] = [];
  private closed = false;

  /**
   * `file`: the intake file of its own (intake-file.ts) — or, when the app processes inline, the main
   * database file, whose webhook_deliveries then receives the rows.
   */
  constructor(
    private readonly file: string,
    intakeFile: boolean,
  ) {
    const db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    // The table is created durably; from then on each commit is synced by syncWal().
    db.pragma('synchronous = FULL');
    if (intakeFile) db.exec(INTAKE_TABLE_SQL);
    db.pragma('synchronous = OFF');
    db.pragma('wal_autocheckpoint = 0');
    // Never sleeps in SQLite's busy handler on the event loop: a locked file is tried again on a timer.
    db.pragma('busy_timeout = 0');
    // It only appends: a small page cache (SQLite's default is 2 MB per connection) is enough.
    db.pragma('cache_size = -256');
    const insert = db.prepare(
      intakeFile
        ? `insert into webhook_intake (id, received_at, body, body_encoding)
           values (@id, @received_at, @body, @body_encoding)`
        : `insert into webhook_deliveries
             (id, received_at, body, body_encoding, attempts, claimed_until, processed_at, outcome, error)
           values (@id, @received_at, @body, @body_encoding, 0, null, null, null, null)`,
    );
    this.insertGroup = db.transaction((rows: Row[]) => {
      for (const r of rows)
        insert.run({ id: r.id, received_at: r.received_at, body: r.body, body_encoding: r.body_encoding });
    });
    this.connection = db;
  }

  /** Commits `rows` together; resolves once they are on disk. */
  async write(rows: Row[]): Promise<void> {
    if (this.closed) throw new IntakeStorageError('intake is closed');
    await this.commit(rows);
    const commit = ++this.commits;
    await new Promise<void>((resolve, reject) => {
      this.waiters.push({ commit, resolve, reject });
      void this.syncWal();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.syncing) await new Promise((r) => setTimeout(r, 1));
    for (const w of this.waiters.splice(0)) w.reject(new IntakeStorageError('intake is closed'));
    await this.wal?.close().catch(() => {});
    this.wal = null;
    // Closing may checkpoint (the last connection does): with syncs, so the database file is on disk
    // before the WAL is emptied.
    this.connection.pragma('synchronous = FULL');
    this.connection.close();
  }

  /** One transaction; another connection holding the write lock (a move's delete) is waited out. */
  private async commit(rows: Row[]): Promise<void> {
    const deadline = performance.now() + LOCK_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      try {
        this.insertGroup(rows);
        return;
      } catch (err) {
        const busy = (err as { code?: unknown }).code === 'SQLITE_BUSY';
        if (!busy || performance.now() >= deadline)
          throw new IntakeStorageError(`intake commit failed: ${(err as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (this.closed) throw new IntakeStorageError('intake is closed');
    }
  }

  /**
   * Syncs the WAL unless a sync is already running; that one, when it ends, starts the next for the
   * commits it did not cover.
   */
  private async syncWal(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    while (this.waiters.length > 0) {
      const covers = this.commits;
      let failure: Error | null = null;
      try {
        this.wal ??= await open(`${this.file}-wal`, 'r+');
        await this.wal.datasync();
        this.syncs++;
      } catch (err) {
        failure = new IntakeStorageError(`intake sync failed: ${(err as Error).message}`);
        // Opened again next time, in case the file was replaced.
        await this.wal?.close().catch(() => {});
        this.wal = null;
      }
      const still: Waiter[] = [];
      for (const w of this.waiters) {
        if (w.commit > covers) still.push(w);
        else if (failure) w.reject(failure);
        else w.resolve();
      }
      this.waiters = still;
    }
    this.syncing = false;
  }
}
