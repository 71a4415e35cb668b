// The webhook processor in a worker thread of its own (issue 15; WEBHOOK_PROCESSING=thread, the default
// on an SQLite file): a receiver process as `npm start` runs it takes a paced burst from a Meta-like
// sender that keeps a ledger of every event's first 2xx, is killed (-9) while its processor thread is
// mid-backlog, and is started again. Every acknowledged event must be stored, as a message exactly once
// (R38, R39, F4), and the thread's commits must still reach the main thread (participant lookups, live
// events) without the process dying. The same run with WEBHOOK_PROCESSING=inline is the control.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { INTAKE_TABLE_SQL, intakeFileOf } from '../src/webhooks/intake-file.ts';
import { PROCESSOR_NICE } from '../src/webhooks/thread-priority.ts';
import type { AppProcess } from './support/app-process.ts';
import { startAppProcess } from './support/app-process.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { pendingDelivery } from './support/delivery-rows.ts';
import {
  buildDeliveries,
  deployReceiver,
  report,
  sleep,
  storedMessages,
  storedRawMids,
  waitProcessed,
} from './support/durability-fixtures.ts';
import { MetaLikeSender } from './support/meta-sender.ts';

const EVENTS = 3_000;

/** Bodies still in the intake file (0 when there is none). */
function intakeRows(databaseFile: string): number {
  const file = intakeFileOf(databaseFile);
  if (!existsSync(file)) return 0;
  const conn = new SQLite(file);
  try {
    conn.pragma('busy_timeout = 5000');
    conn.exec(INTAKE_TABLE_SQL);
    return (conn.prepare('select count(*) as n from webhook_intake').get() as { n: number }).n;
  } finally {
    conn.close();
  }
}
const RATE = 1_000;

/** Each thread of a process and its nice value (/proc/<pid>/task/<tid>/stat, field 19). */
function threadNiceValues(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

for (const processing of ['thread', 'inline'] as const) {
  describe(`webhook processing ${processing} on an SQLite file`, () => {
    let testDb: TestDatabase;
    const cleanups: Array<() => Promise<unknown>> = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => {});
      await testDb?.drop();
    });

    it(`kill -9 mid-backlog and restart: every acknowledged event stored exactly once (R38, R39, F4)`, async (t) => {
      testDb = await createTestDatabase('sqlite');
      const databaseUrl = `sqlite:${testDb.file}`;
      const { d, app: first } = await deployReceiver(databaseUrl, testDb.database, `thread-${processing}`);
      // deployReceiver starts with the default; this suite names the mode explicitly.
      await first.stop('SIGKILL');
      const env = { ...d.env, WEBHOOK_PROCESSING: processing };
      let app: AppProcess = await startAppProcess({ env, port: d.port });
      cleanups.push(() => app.stop('SIGKILL'));
      const sender = new MetaLikeSender({ url: app.url, secret: d.secret, timeoutMs: 10_000 });
      cleanups.push(async () => sender.stop());
      const deliveries = buildDeliveries(d.pageId, EVENTS);

      const sending = sender.sendPaced(deliveries, RATE);
      await sleep(1_500);
      app.child.kill('SIGKILL');
      await app.exited;
      const ackedAtKill = sender.acked.size;
      // The sender keeps retrying what was not acknowledged; a new instance takes over on the same port.
      app = await startAppProcess({ env, port: d.port });
      await sending;
      const missing = await sender.settle(Date.now() + 30_000);
      assert.equal(missing.length, 0, `${missing.length} deliveries never acknowledged`);

      // The killed process's 60 s leases are not waited out: the restarted one, alone on the SQLite file,
      // released them when it started (releaseLeasesOfEndedProcess). 20 s ends well before they expire.
      const deadline = Date.now() + 20_000;
      while (intakeRows(testDb.file!) > 0 && Date.now() < deadline) await sleep(100);
      assert.equal(intakeRows(testDb.file!), 0, 'bodies left in the intake file');
      const unprocessed = await waitProcessed(testDb.database, deadline);
      assert.equal(unprocessed, 0, `${unprocessed} deliveries left unprocessed\n${app.output()}`);
      // The thread mode commits to the intake file of its own, and its processor thread (alive for 30 s
      // after its last work) runs below the receiver's priority (thread-priority.ts).
      if (processing === 'thread') {
        assert.ok(existsSync(intakeFileOf(testDb.file!)));
        const nices = threadNiceValues(app.pid);
        assert.equal(nices.get(app.pid), 0, 'the main thread keeps the default priority');
        assert.ok(
          [...nices.values()].includes(PROCESSOR_NICE),
          `no thread at nice ${PROCESSOR_NICE}: ${JSON.stringify([...nices])}`,
        );
      }

      const raw = await storedRawMids(testDb.database);
      const messages = await storedMessages(testDb.database);
      const acked = [...sender.acked.keys()];
      const lost = acked.filter((m) => !raw.copies.has(m)).length;
      const notMessages = acked.filter((m) => messages.get(m) !== 1).length;
      const duplicated = [...messages.values()].filter((n) => n > 1).length;
      report(t, `processor-${processing}`, {
        'events acknowledged': acked.length,
        'acknowledged before the kill': ackedAtKill,
        'stored deliveries': raw.rows,
        'acknowledged but not stored': lost,
        'acknowledged but not exactly one message': notMessages,
        'duplicated messages': duplicated,
      });
      assert.equal(acked.length, EVENTS);
      assert.ok(ackedAtKill > 0, 'the kill came after some acknowledgements');
      assert.equal(lost, 0);
      assert.equal(duplicated, 0);
      assert.equal(notMessages, 0);
      assert.equal(messages.size, EVENTS);

      // Graceful stop: the processor thread finishes and the process exits cleanly.
      const exit = await app.stop('SIGTERM');
      assert.equal(exit.code, 0, app.output());
    });
  });
}

describe('an intake file left by a thread-mode run', () => {
  let testDb: TestDatabase;
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await testDb?.drop();
  });

  it('is moved into webhook_deliveries and processed once when the app restarts inline', async () => {
    testDb = await createTestDatabase('sqlite');
    const { d, app: first } = await deployReceiver(`sqlite:${testDb.file}`, testDb.database, 'leftover');
    await first.stop('SIGKILL');
    // Bodies acknowledged by a thread-mode instance that died before its processor moved them.
    const deliveries = buildDeliveries(d.pageId, 200);
    const conn = new SQLite(intakeFileOf(testDb.file!));
    conn.pragma('journal_mode = WAL');
    conn.exec(INTAKE_TABLE_SQL);
    const insert = conn.prepare(
      "insert into webhook_intake (id, received_at, body, body_encoding) values (?, ?, ?, 'utf8')",
    );
    for (const dv of deliveries) insert.run(randomUUID(), Date.now(), dv.body);
    // One of them also already copied into the main file (a crash between the copy and the delete).
    const first0 = conn.prepare('select * from webhook_intake order by rowid limit 1').get() as {
      id: string;
      received_at: number;
      body: string;
    };
    conn.close();
    await testDb.database.db.insertInto('webhook_deliveries').values(pendingDelivery(first0)).execute();

    const app = await startAppProcess({ env: { ...d.env, WEBHOOK_PROCESSING: 'inline' }, port: d.port });
    cleanups.push(() => app.stop('SIGKILL'));
    const deadline = Date.now() + 60_000;
    while (intakeRows(testDb.file!) > 0 && Date.now() < deadline) await sleep(100);
    assert.equal(intakeRows(testDb.file!), 0, `bodies left in the intake file\n${app.output()}`);
    assert.equal(await waitProcessed(testDb.database, deadline), 0);
    const raw = await storedRawMids(testDb.database);
    assert.equal(raw.rows, deliveries.length, 'each body in webhook_deliveries once');
    const messages = await storedMessages(testDb.database);
    const mids = deliveries.flatMap((dv) => dv.mids);
    assert.equal(mids.filter((m) => messages.get(m) !== 1).length, 0, 'each event stored exactly once');
    assert.equal(messages.size, mids.length);
  });
});

describe('leases left by a killed process on an SQLite file', () => {
  let testDb: TestDatabase;
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await testDb?.drop();
  });

  it('are released when the app starts: the deliveries are processed at once, not after the 60 s lease; a backoff stays', async () => {
    testDb = await createTestDatabase('sqlite');
    const { d, app: first } = await deployReceiver(`sqlite:${testDb.file}`, testDb.database, 'leases');
    await first.stop('SIGKILL');
    // As a process killed mid-batch leaves them: claimed for another 60 s, never finished. One more had
    // failed and waits for its retry (a backoff, `error` set), which a restart must not cut short.
    const now = Date.now();
    const rows = buildDeliveries(d.pageId, 40).map((dv, i) => ({
      id: randomUUID(),
      received_at: now - 1_000 + i,
      body: dv.body,
      body_encoding: 'utf8' as const,
      attempts: 1,
      claimed_until: now + 60_000,
      processed_at: null,
      outcome: null,
      error: i === 0 ? 'Graph timed out' : null,
    }));
    await testDb.database.db.insertInto('webhook_deliveries').values(rows).execute();

    const app = await startAppProcess({ env: d.env, port: d.port });
    cleanups.push(() => app.stop('SIGKILL'));
    // 20 s: long before the leases would run out by themselves.
    const deadline = Date.now() + 20_000;
    let left = rows.length;
    while (left > 1 && Date.now() < deadline) {
      await sleep(200);
      const r = await testDb.database.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('processed_at', 'is', null)
        .execute();
      left = r.length;
    }
    const unprocessed = await testDb.database.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'error'])
      .where('processed_at', 'is', null)
      .execute();
    assert.deepEqual(
      unprocessed.map((r) => r.id),
      [rows[0]!.id],
      `only the backed-off delivery may still wait\n${app.output()}`,
    );
  });
});
