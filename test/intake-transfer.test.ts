// The intake file's transfer (src/webhooks/intake-file.ts, issue 15): bodies move into webhook_deliveries
// already leased to the processor that moved them, which applies them without claiming them again. What
// is checked here: the rows come back oldest first, leased as a claim leases them (attempts 1), and a
// claim does not take them while the lease runs; the intake file keeps only what was not moved; a body
// already in webhook_deliveries (copied before a crash lost the delete) is not handed out twice but left
// to the claim; after a crash the next start releases the lease (R45: a delivery is never stranded).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import {
  claimDeliveries,
  insertDeliveries,
  releaseLeasesOfEndedProcess,
} from '../src/webhooks/delivery-repository.ts';
import { INTAKE_TABLE_SQL, IntakeTransfer, intakeFileOf } from '../src/webhooks/intake-file.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { pendingDelivery } from './support/delivery-rows.ts';

const LEASE = 60_000;

describe('intake transfer: moved bodies arrive leased', () => {
  let t: TestDatabase;
  let file: string;
  let intake: SQLite.Database;
  let transfer: IntakeTransfer;

  before(async () => {
    t = await createTestDatabase('sqlite');
    file = intakeFileOf(t.file!);
    intake = new SQLite(file);
    intake.pragma('journal_mode = WAL');
    intake.exec(INTAKE_TABLE_SQL);
    transfer = new IntakeTransfer(file, t.database);
  });
  // Each case starts from empty tables, so a claim sees only its own rows.
  beforeEach(async () => {
    await t.database.db.deleteFrom('webhook_deliveries').execute();
    intake.exec('delete from webhook_intake');
  });
  after(async () => {
    transfer.close();
    intake.close();
    await t.drop();
  });

  const append = (receivedAt: number) => {
    const id = randomUUID();
    intake
      .prepare('insert into webhook_intake (id, received_at, body, body_encoding) values (?, ?, ?, ?)')
      .run(id, receivedAt, '{"object":"page","entry":[]}', 'utf8');
    return id;
  };
  const left = () => (intake.prepare('select count(*) as n from webhook_intake').get() as { n: number }).n;

  it('moves up to the limit, oldest first, leased with one attempt; a claim does not take them meanwhile', async () => {
    const now = 1_000_000;
    const ids = [append(now - 30), append(now - 20), append(now - 10)];
    const moved = await transfer.move(2, now + LEASE);
    assert.deepEqual(
      moved.map((r) => r.id),
      ids.slice(0, 2),
    );
    for (const r of moved) {
      assert.equal(r.attempts, 1);
      assert.equal(r.claimed_until, now + LEASE);
      assert.equal(r.processed_at, null);
    }
    assert.equal(left(), 1);
    assert.deepEqual(await claimDeliveries(t.database, now + 1, { limit: 10, leaseMs: LEASE }), []);
    // Once the lease has run out, they are due like any claimed delivery whose processor went away.
    const late = await claimDeliveries(t.database, now + LEASE, { limit: 10, leaseMs: LEASE });
    assert.deepEqual(
      late.map((r) => r.id),
      ids.slice(0, 2),
    );
    assert.deepEqual(
      (await transfer.move(10, now + LEASE)).map((r) => r.id),
      ids.slice(2),
    );
    assert.equal(left(), 0);
    assert.deepEqual(await transfer.move(10, now + LEASE), []);
  });

  it('a body already moved (its delete lost in a crash) is not handed out again, and its copy stays claimable', async () => {
    const now = 2_000_000;
    const id = append(now);
    await insertDeliveries(t.database.db, [
      pendingDelivery({ id, received_at: now, body: '{"object":"page","entry":[]}' }),
    ]);
    const fresh = append(now + 1);
    const moved = await transfer.move(10, now + LEASE);
    assert.deepEqual(
      moved.map((r) => r.id),
      [fresh],
    );
    assert.equal(left(), 0);
    const claimed = await claimDeliveries(t.database, now + 2, { limit: 10, leaseMs: LEASE });
    assert.deepEqual(
      claimed.map((r) => r.id),
      [id],
    );
  });

  it('after a crash the next start releases the lease of moved bodies never applied', async () => {
    const now = 3_000_000;
    const id = append(now);
    assert.equal((await transfer.move(10, now + LEASE)).length, 1);
    assert.equal(await releaseLeasesOfEndedProcess(t.database.db, now + 5), 1);
    const claimed = await claimDeliveries(t.database, now + 5, { limit: 10, leaseMs: LEASE });
    assert.deepEqual(
      claimed.map((r) => r.id),
      [id],
    );
  });
});
