// lockConversations (conversation-repository.ts) on PostgreSQL: a second processor's lock waits for the
// first one's transaction, and then reads the row as the first one committed it. Without that, two
// processors applying deliveries of one conversation would each add to counters the other had not
// committed yet. (SQLite needs no row lock: its writers take turns.) Since migration 0013 a message's
// trigger writes its conversation's row, so a transaction changing a message outside the processor must
// take the conversation's lock first, or it deadlocks with a processor that holds the conversation and
// then changes the same message.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ensureConversations,
  lockConversation,
  lockConversations,
} from '../src/inbox/conversation-repository.ts';
import { mediaSettledHandler } from '../src/inbox/media-settled.ts';
import { MemoryLiveBus } from '../src/live/live-bus.ts';
import type { MediaRow } from '../src/media/media-repository.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { backendPid, untilBlockedBy } from './support/pg-locks.ts';

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

  it('a stored file waits for a processor holding the conversation instead of deadlocking with it', async () => {
    const db = t.database.db;
    const key = { orgId, channel: 'messenger' as const, accountId: 'page-1', participantId: 'psid-2' };
    const [conv] = await ensureConversations(db, [{ key, at: 1 }], 1);
    assert.ok(conv);
    const message = (id: string, attachments: string) => ({
      id,
      org_id: orgId,
      conversation_id: conv.id,
      mid: `m_${id}`,
      direction: 'inbound' as const,
      text: null,
      attachments,
      details: null,
      status: 'received' as const,
      sent_at: 10,
      meta_at: 10,
      reaction: null,
      deleted_at: null,
      sent_by_user_id: null,
      error: null,
      created_at: 10,
      updated_at: 10,
    });
    const photo = randomUUID();
    const withFile = randomUUID();
    await db
      .insertInto('messages')
      .values(message(withFile, JSON.stringify([{ type: 'image', media_id: photo, state: 'pending' }])))
      .execute();
    await db
      .updateTable('conversations')
      .set({ last_message_id: withFile })
      .where('id', '=', conv.id)
      .execute();

    // The processor: holds the conversation, makes a newer message the last one, then (once the file's
    // transaction waits) changes the message holding the file.
    let holding!: () => void;
    const held = new Promise<void>((r) => {
      holding = r;
    });
    let go!: () => void;
    const proceed = new Promise<void>((r) => {
      go = r;
    });
    const newer = randomUUID();
    let processorPid = 0;
    const processor = db.transaction().execute(async (tx) => {
      processorPid = await backendPid(tx);
      await lockConversation(tx, conv.id);
      await tx.insertInto('messages').values(message(newer, '[]')).execute();
      await tx
        .updateTable('conversations')
        .set({ last_message_id: newer })
        .where('id', '=', conv.id)
        .execute();
      holding();
      await proceed;
      await tx.updateTable('messages').set({ reaction: '👍' }).where('id', '=', withFile).execute();
    });
    await held;
    const settled = mediaSettledHandler({ db, bus: new MemoryLiveBus(), now: () => 20 })({
      id: photo,
      org_id: orgId,
      owner: `message:${withFile}`,
      status: 'stored',
      content_type: 'image/jpeg',
      size: 10,
      name: null,
    } as MediaRow);
    // Once the file's transaction waits on the processor's lock, the processor goes on. (Blocked by this
    // processor's backend, not any lock wait: other test files share the database.)
    await untilBlockedBy(db, processorPid, 2000);
    go();
    await Promise.all([processor, settled]);
    const row = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', withFile)
      .executeTakeFirstOrThrow();
    assert.equal(row.reaction, '👍', "the processor's change");
    assert.match(row.attachments, /"state":"stored"/, 'the stored file');
  });
});
