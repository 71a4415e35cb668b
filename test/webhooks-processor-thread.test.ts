// The webhook processor in a worker thread of its own (issue 15; WEBHOOK_PROCESSING=thread, the default
// on an SQLite file): a receiver process as `npm start` runs it takes a paced burst from a Meta-like
// sender that keeps a ledger of every event's first 2xx, is killed (-9) while its processor thread is
// mid-backlog, and is started again. Every acknowledged event must be stored, as a message exactly once
// (R38, R39, F4), and the thread's commits must still reach the main thread (participant lookups, live
// events) without the process dying. The same run with WEBHOOK_PROCESSING=inline is the control.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AppProcess } from './support/app-process.ts';
import { startAppProcess } from './support/app-process.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
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
const RATE = 1_000;

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

      // Leases of the killed instance would expire after 60 s; expiring them now stands in for that wait.
      await testDb.database.db
        .updateTable('webhook_deliveries')
        .set({ claimed_until: null })
        .where('processed_at', 'is', null)
        .execute();
      const unprocessed = await waitProcessed(testDb.database, Date.now() + 60_000);
      assert.equal(unprocessed, 0, `${unprocessed} deliveries left unprocessed\n${app.output()}`);

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
