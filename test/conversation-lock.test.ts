// lockConversations (conversation-repository.ts) on PostgreSQL: a second processor's lock waits for the
// first one's transaction, and then reads the row as the first one committed it. Without that, two
// processors applying deliveries of one conversation would each add to counters the other had not
// committed yet. (SQLite needs no row lock: its writers take turns.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ensureConversations, lockConversations } from '../src/inbox/conversation-repository.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

describe('conversation row locks on PostgreSQL', () => {
  let t: TestDatabase;
  const orgId = randomUUID();
  before(async () => {
    t = await createTestDatabase('postgres');
    await t.database.db
      .insertInto('organizations')
      .values({ id: orgId, name: 'Lock', created_at: 0 })
      .execute();
  });
  after(() => t.drop());

  it('a second lock waits for the first transaction and sees what it committed', async () => {
    const db = t.database.db;
    const key = { orgId, channel: 'messenger' as const, accountId: 'page-1', participantId: 'psid-1' };
    const [conv] = await ensureConversations(db, [{ key, at: 1 }], 1);
    assert.ok(conv);
    const events: string[] = [];
    let locked!: () => void;
    const firstHasLock = new Promise<void>((r) => {
      locked = r;
    });
    const first = db.transaction().execute(async (tx) => {
      await lockConversations(tx, [conv.id]);
      locked();
      await new Promise((r) => setTimeout(r, 300));
      await tx.updateTable('conversations').set({ unread_count: 5 }).where('id', '=', conv.id).execute();
      events.push('first commits');
    });
    await firstHasLock;
    const second = db.transaction().execute(async (tx) => {
      const [row] = await lockConversations(tx, [conv.id]);
      events.push('second has the lock');
      return row;
    });
    const [, row] = await Promise.all([first, second]);
    assert.deepEqual(events, ['first commits', 'second has the lock']);
    assert.equal(row?.unread_count, 5, 'the second reads the first one’s commit');
  });
});
