// The SQLite intake appender (issue 15): bodies committed on the main thread with synchronous=OFF and
// acknowledged only after the WAL file is fdatasync'd off the event loop (R38). What is checked here:
// a write resolves with its rows visible to other connections and after a sync of its own; writes
// committed while a sync runs share the next one (group commit); another connection holding the write
// lock is waited out without the event loop sleeping; a closed appender refuses writes and leaves the
// file whole (checkpointed with syncs on close).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { IntakeAppender, IntakeStorageError } from '../src/webhooks/intake-appender.ts';
import { INTAKE_TABLE_SQL } from '../src/webhooks/intake-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'parley-intake-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fresh = () => join(dir, `intake-${++n}.db`);
const row = (body = '{"object":"page","entry":[]}') => ({
  id: randomUUID(),
  received_at: Date.now(),
  body,
  body_encoding: 'utf8' as const,
});
function count(file: string): number {
  const c = new SQLite(file);
  try {
    c.exec(INTAKE_TABLE_SQL);
    return (c.prepare('select count(*) as n from webhook_intake').get() as { n: number }).n;
  } finally {
    c.close();
  }
}

describe('intake appender (R38)', () => {
  it('a write resolves after a WAL sync of its own, its rows readable by another connection', async () => {
    const file = fresh();
    const appender = new IntakeAppender(file, true);
    try {
      for (let i = 1; i <= 3; i++) {
        await appender.write([row(), row()]);
        // One sync per write when each waits for the previous: none was answered before its sync.
        assert.equal(appender.syncs, i);
        assert.equal(count(file), 2 * i);
      }
    } finally {
      await appender.close();
    }
  });

  it('writes committed while a sync runs share the next one (group commit), and every row lands', async () => {
    const file = fresh();
    const appender = new IntakeAppender(file, true);
    try {
      await Promise.all(Array.from({ length: 200 }, () => appender.write([row()])));
      assert.equal(count(file), 200);
      assert.ok(
        appender.syncs >= 1 && appender.syncs <= 2,
        `syncs: ${appender.syncs} for 200 writes in one turn`,
      );
    } finally {
      await appender.close();
    }
  });

  it('waits out another connection holding the write lock, with the event loop still turning', async () => {
    const file = fresh();
    const appender = new IntakeAppender(file, true);
    const other = new SQLite(file);
    try {
      other.exec('begin immediate');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const writing = appender.write([row()]);
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(ticks >= 5, `the event loop stood still while the lock was held (${ticks} ticks)`);
      assert.equal(count(file), 0);
      other.exec('commit');
      await writing;
      clearInterval(ticker);
      assert.equal(count(file), 1);
    } finally {
      other.close();
      await appender.close();
    }
  });

  it('refuses writes once closed, and closing leaves the rows in the database file', async () => {
    const file = fresh();
    const appender = new IntakeAppender(file, true);
    await appender.write([row(), row(), row()]);
    await appender.close();
    await assert.rejects(appender.write([row()]), IntakeStorageError);
    // The last connection's close checkpointed the WAL into the file and removed it.
    assert.equal(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0, 0);
    assert.equal(count(file), 3);
  });

  it('writes into webhook_deliveries of the main file when processing runs inline', async () => {
    const file = fresh();
    const setup = new SQLite(file);
    setup.exec(`create table webhook_deliveries (id text primary key, received_at integer not null,
      body text not null, body_encoding text not null, attempts integer not null, claimed_until integer,
      processed_at integer, outcome text, error text)`);
    setup.close();
    const appender = new IntakeAppender(file, false);
    try {
      await appender.write([row(), row()]);
      const c = new SQLite(file);
      const got = c.prepare('select attempts, processed_at from webhook_deliveries').all();
      c.close();
      assert.deepEqual(got, [
        { attempts: 0, processed_at: null },
        { attempts: 0, processed_at: null },
      ]);
    } finally {
      await appender.close();
    }
  });
});
