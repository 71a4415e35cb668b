// The history import survives a restart: the first instance imports one page and stops (process
// gone); a new instance on the same database and keys finds the queued step and the saved cursor, and
// finishes — each conversation once.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Harness, startHarness, testEncryptionKey } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

describe('history import across a restart (SQLite)', () => {
  const keys = testEncryptionKey();
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('a second instance finishes what the first started, from the saved cursor', async () => {
    const first: Harness = await startHarness({
      db: 'sqlite',
      realClock: true,
      meta: emulatorFor,
      env: { ENCRYPTION_KEYS: keys },
    });
    const meta: EmulatedMeta = emulated(first.meta);
    closers.push(() => first.close());
    await meta.client.reset({ auto_delivery_ms: null, auto_read_ms: null });
    const persona = await meta.client.createPersona({ key: 'restart', pages: 1, ig_ratio: 0 });
    await meta.client.seedHistory({
      page_id: persona.pages[0]!.id,
      conversations: 60,
      messages: 2,
      days: 10,
    });
    const b = new Browser(first.url);
    await signup(b, 'Restart');
    await connectAs(b, meta, 'restart');
    await first.features.meta.jobs.runDue();
    const row = await first.testDb.database.db
      .selectFrom('history_imports')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(row.conversations_done, 25);
    assert.ok(row.after_cursor);
    // The first instance stops; its database stays.
    await first.app.close();

    const second = await startHarness({
      db: 'sqlite',
      sharedDb: first.testDb,
      realClock: true,
      meta: async () => ({ ...meta, close: async () => {} }),
      env: { ENCRYPTION_KEYS: keys },
    });
    closers.push(() => second.close());
    for (let i = 0; i < 10; i++) await second.features.meta.jobs.runDue();
    const status = await second.testDb.database.db
      .selectFrom('history_imports')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(status.state, 'done');
    assert.equal(status.conversations_done, 60);
    const count = await second.testDb.database.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 60);
    const messages = await second.testDb.database.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(messages.n), 120, 'each message once');
  });
});
