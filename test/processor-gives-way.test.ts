// The processor thread steps back for a busy receiver (issue 15): the receiver's running count of
// committed deliveries travels with each kick to the worker, whose WebhookProcessor pauses between
// transactions while that count rises faster than BUSY_INTAKE_PER_S, and each pause comes back to the
// main thread (onGaveWay, which feeds parley_webhook_processing_paused_seconds_total). Here a real
// worker thread processes real deliveries of a connected Page; the count is the one seam: a million
// deliveries "received" since the thread started, against none. IntakePressure's rule itself is unit
// tested in intake-pressure.test.ts.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ProcessorThread } from '../src/webhooks/processor-thread.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { pendingDelivery } from './support/delivery-rows.ts';
import { Browser, signup } from './support/http-client.ts';
import { pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { inbound, mid, pageBody, psid } from './support/webhook-payloads.ts';

const DELIVERIES = 60;

describe('the processor thread gives way to a busy receiver', () => {
  let h: Harness;
  let pageId: string;

  before(async () => {
    h = await startHarness({ db: 'sqlite', realClock: true });
    const owner = await signup(new Browser(h.url), 'Busy Receiver Co');
    pageId = pageIdFor();
    await seedConnection(h, owner.orgId, { pageId, userId: owner.userId });
  });
  after(() => h.close());

  /** Stores DELIVERIES single-message deliveries, then drains them with a thread of its own. */
  async function processWithCount(stored: number): Promise<{ pauses: number[]; processed: number }> {
    const now = Date.now();
    const ids: string[] = [];
    const rows = Array.from({ length: DELIVERIES }, (_, i) => {
      const id = randomUUID();
      ids.push(id);
      const body = pageBody(pageId, [
        inbound(pageId, psid(), { mid: mid(), text: `hi ${i}`, timestamp: now }),
      ]);
      return pendingDelivery({ id, received_at: now + i, body: JSON.stringify(body) });
    });
    await h.testDb.database.db.insertInto('webhook_deliveries').values(rows).execute();

    const pauses: number[] = [];
    const thread = new ProcessorThread({
      database: h.testDb.database,
      config: h.testDb.config,
      intakeFile: null,
      logger: h.deps.logger,
      logLevel: 'silent',
      bus: h.features.inbox.bus,
      profiles: h.features.inbox.profiles,
      // Several transactions, so that the worker decides between them.
      eventsPerTransaction: 10,
      claimBatch: 10,
      storedSoFar: () => stored,
      hasWork: async () => false,
      onGaveWay: (pauseMs) => pauses.push(pauseMs),
    });
    try {
      thread.kick();
      await thread.drain();
    } finally {
      await thread.stop();
    }
    const done = await h.testDb.database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('id', 'in', ids)
      .where('outcome', '=', 'processed')
      .execute();
    return { pauses, processed: done.length };
  }

  it('pauses after a transaction when the kick carries a burst, and still processes everything', async () => {
    const { pauses, processed } = await processWithCount(1_000_000);
    assert.equal(processed, DELIVERIES);
    // The count rose once (the kick), so the worker stepped back once, for at least the minimum 5 ms.
    assert.equal(pauses.length, 1, `pauses: ${JSON.stringify(pauses)}`);
    assert.ok(pauses[0]! >= 5, `paused ${pauses[0]} ms`);
  });

  it('does not pause when the receiver took nothing meanwhile', async () => {
    const { pauses, processed } = await processWithCount(0);
    assert.equal(processed, DELIVERIES);
    assert.deepEqual(pauses, []);
  });
});
