// Graceful shutdown (issue 7): SIGTERM a receiver process — `node --import tsx src/main.ts` — in the
// middle of a burst of signed webhooks from a Meta-like sender that keeps a ledger of every event's first
// 2xx. The instance must stop accepting, finish the requests in flight (each acknowledged delivery
// committed), finish the deliveries its processor had claimed (no lease left for another instance to wait
// out), close the database and exit 0 within its 15 s deadline. A new instance then takes the sender's
// retries, and every event ends up stored exactly once. Runs on the shared PostgreSQL in a schema of its
// own (nothing here stops the database; durability.test.ts does, on a private cluster).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAppProcess } from './support/app-process.ts';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from './support/databases.ts';
import {
  abandonedLeases,
  buildDeliveries,
  deployReceiver,
  report,
  sleep,
  storedMessages,
  storedRawMids,
  waitProcessed,
} from './support/durability-fixtures.ts';
import { MetaLikeSender } from './support/meta-sender.ts';

const RATE = 500;

describe('graceful shutdown of a receiver process', () => {
  let testDb: TestDatabase;
  let databaseUrl: string;
  const cleanups: Array<() => Promise<unknown>> = [];
  before(async () => {
    testDb = await createTestDatabase('postgres');
    databaseUrl = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${testDb.searchPath}`)}`;
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await testDb?.drop();
  });

  it('SIGTERM mid-burst: in-flight requests and processing finish, exit 0, nothing acknowledged is lost', async (t) => {
    const { d, app: first } = await deployReceiver(databaseUrl, testDb.database, 'graceful');
    let app = first;
    cleanups.push(() => app.stop('SIGKILL'));
    const sender = new MetaLikeSender({ url: first.url, secret: d.secret, timeoutMs: 10_000 });
    cleanups.push(async () => sender.stop());
    const deliveries = buildDeliveries(d.pageId, 2_000);

    const sending = sender.sendPaced(deliveries, RATE);
    await sleep(2_000);
    const ackedBefore = sender.acked.size;
    const sigtermAt = Date.now();
    const exit = await app.stop('SIGTERM');
    const exitMs = Date.now() - sigtermAt;
    // Checked before anything restarts: what the stopped instance acknowledged is stored, and it left
    // no delivery claimed but unfinished.
    const abandoned = await abandonedLeases(d.db);
    const raw = await storedRawMids(d.db);
    const ackedAtExit = [...sender.acked.keys()];
    const lostAtExit = ackedAtExit.filter((m) => !raw.copies.has(m)).length;
    const afterSigterm = sender.attempts.filter(
      (a) => a.answeredAt >= sigtermAt && a.answeredAt <= Date.now(),
    );
    const answered = (ok: (status: number) => boolean) => afterSigterm.filter((a) => ok(a.status)).length;
    const processedAtExit = await d.db.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('processed_at', 'is not', null)
      .executeTakeFirstOrThrow();

    await sleep(300);
    app = await startAppProcess({ env: d.env, port: d.port });
    await sending;
    const missing = await sender.settle(Date.now() + 30_000);
    const unprocessed = await waitProcessed(d.db, Date.now() + 30_000);
    const stored = await storedMessages(d.db);
    const sentMids = deliveries.flatMap((x) => x.mids);
    const lost = sentMids.filter((m) => !stored.has(m)).length;

    report(t, 'graceful-shutdown', {
      'events sent': sentMids.length,
      'events acknowledged before SIGTERM': ackedBefore,
      'events acknowledged by the time it exited': ackedAtExit.length,
      'acknowledged events lost at exit': lostAtExit,
      'answers during shutdown: 2xx (in flight, committed)': answered((x) => x >= 200 && x < 300),
      'answers during shutdown: 503': answered((x) => x === 503),
      'answers during shutdown: none (refused or closed)': answered((x) => x === 0),
      'exit code': exit.code ?? String(exit.signal),
      'ms from SIGTERM to exit': exitMs,
      'deliveries processed by exit': Number(processedAtExit.n),
      'deliveries left claimed but unfinished': abandoned,
      'events stored after restart and retries': stored.size,
      'events lost': lost,
      'events duplicated': [...stored.values()].filter((n) => n > 1).length,
    });

    assert.equal(exit.code, 0, `exit code ${exit.code} (${exit.signal ?? 'no signal'})`);
    assert.ok(exitMs < 15_000, `exited within the 15 s shutdown deadline (${exitMs} ms)`);
    assert.ok(ackedBefore > 0 && Number(processedAtExit.n) > 0, 'the instance was busy when told to stop');
    assert.equal(lostAtExit, 0, 'acknowledged events missing after a graceful shutdown');
    assert.equal(abandoned, 0, 'processing in flight was finished, not abandoned to a lease');
    assert.equal(missing.length, 0);
    assert.equal(unprocessed, 0);
    assert.equal(lost, 0);
    assert.equal(stored.size, sentMids.length);
  });
});
