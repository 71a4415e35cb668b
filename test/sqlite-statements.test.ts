// The prepared statements SQLite keeps by their text (issue 15, resident memory): reused while kept,
// bounded by the length of their SQL as well as their number, least recently used out first, and a very
// long one never kept. Then the shapes that keep the processor's statements few (statement-shapes.ts):
// on SQLite rows in power-of-two batches and IN lists padded to a few sizes, without changing what they
// hold or name; on PostgreSQL as few statements as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { ReusedStatements } from '../src/storage/sqlite-statements.ts';
import { inLists, rowBatches } from '../src/storage/statement-shapes.ts';
import { claimDeliveries, finishDeliveries, insertDeliveries } from '../src/webhooks/delivery-repository.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { pendingDelivery } from './support/delivery-rows.ts';

/** A distinct statement of about `chars` characters. */
const statement = (n: number, chars = 100) => `select ${n} as n --`.padEnd(chars, '-');

describe('ReusedStatements', () => {
  const open = (limits = { statements: 500, chars: 1000, charsEach: 400 }) =>
    new ReusedStatements(new SQLite(':memory:'), limits);

  it('hands back the statement it keeps for the same text', () => {
    const s = open();
    assert.equal(s.prepare(statement(1)), s.prepare(statement(1)));
    assert.deepEqual(s.kept, { statements: 1, chars: 100 });
    s.close();
  });

  it('keeps at most its characters of SQL, the least recently used going first', () => {
    const s = open();
    const first = s.prepare(statement(0));
    for (let n = 1; n <= 30; n++) {
      s.prepare(statement(n));
      assert.ok(s.kept.chars <= 1000, `${s.kept.chars} characters kept`);
      // Used again and again, the first statement stays.
      assert.equal(s.prepare(statement(0)), first);
    }
    assert.equal(s.kept.statements, 10);
    // An early one was let go: preparing it again makes a new statement.
    const again = s.prepare(statement(1));
    assert.equal(s.prepare(statement(1)), again);
    s.close();
  });

  it('keeps at most its number of statements', () => {
    const s = open({ statements: 3, chars: 1_000_000, charsEach: 1000 });
    for (let n = 0; n < 10; n++) s.prepare(statement(n, 30));
    assert.deepEqual(s.kept, { statements: 3, chars: 90 });
    s.close();
  });

  it('prepares a statement longer than charsEach for its one use', () => {
    const s = open();
    const long = statement(7, 500);
    assert.notEqual(s.prepare(long), s.prepare(long));
    assert.deepEqual(s.kept, { statements: 0, chars: 0 });
    s.close();
  });
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`inLists on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(kind);
    });
    after(() => t.drop());

    it(
      kind === 'sqlite' ? 'pads each list to a power of two or the maximum' : 'leaves the lists as they are',
      () => {
        const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
        const sizes = (n: number, max: number) => inLists(t.database.db, values(n), max).map((l) => l.length);
        if (kind === 'sqlite') {
          assert.deepEqual(inLists(t.database.db, ['a', 'b', 'c'], 500), [['a', 'b', 'c', 'c']]);
          assert.deepEqual(sizes(1, 500), [1]);
          assert.deepEqual(sizes(129, 500), [256]);
          assert.deepEqual(sizes(300, 500), [500]);
          assert.deepEqual(sizes(600, 500), [500, 128]);
        } else {
          assert.deepEqual(inLists(t.database.db, ['a', 'b', 'c'], 500), [['a', 'b', 'c']]);
          assert.deepEqual(sizes(600, 500), [500, 100]);
        }
        // Whatever the padding, the lists name exactly the values given.
        const lists = inLists(t.database.db, values(600), 500);
        assert.deepEqual([...new Set(lists.flat())].sort(), values(600).sort());
      },
    );

    it(
      kind === 'sqlite' ? 'cuts rows into power-of-two batches, in order' : 'cuts rows at the maximum only',
      () => {
        const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
        const sizes = (n: number, max: number) =>
          rowBatches(t.database.db, rows(n), max).map((b) => b.length);
        if (kind === 'sqlite') {
          assert.deepEqual(sizes(100, 200), [64, 32, 4]);
          assert.deepEqual(sizes(300, 200), [128, 128, 32, 8, 4]);
          assert.deepEqual(sizes(61, 60), [32, 16, 8, 4, 1]);
        } else {
          assert.deepEqual(sizes(100, 200), [100]);
          assert.deepEqual(sizes(300, 200), [200, 100]);
        }
        assert.deepEqual(sizes(0, 200), []);
        assert.deepEqual(rowBatches(t.database.db, rows(300), 200).flat(), rows(300));
      },
    );

    it('a padded claim takes each delivery once, and a padded finish finishes exactly those', async () => {
      const db = t.database.db;
      const ids = ['d1', 'd2', 'd3'].map((d) => `${d}-${kind}-${Date.now()}`);
      await insertDeliveries(
        db,
        ids.map((id, i) => pendingDelivery({ id, received_at: 1000 + i, body: '{}' })),
      );
      const claimed = await claimDeliveries(t.database, 5000, { limit: 3, leaseMs: 60_000 });
      assert.deepEqual(
        claimed.map((r) => [r.id, r.attempts, r.claimed_until]),
        ids.map((id) => [id, 1, 65_000]),
      );
      await finishDeliveries(db, ids.slice(0, 3), { now: 6000, outcome: 'processed' });
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select(['id', 'processed_at', 'attempts'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.id, r.processed_at, r.attempts]),
        [...ids].sort().map((id) => [id, 6000, 1]),
      );
    });
  });
}
