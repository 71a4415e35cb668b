// A reply's send result against a webhook processor on PostgreSQL (reply-service.ts, recordSent). Since
// migration 0013 a message's trigger writes its conversation's row, so the transaction that marks a
// reply sent must take the conversation's lock before the message's, as the processor does. Otherwise:
// the processor holds the conversation and is about to change the reply (its echo, a receipt), the send
// result has changed the reply and waits for the conversation inside the trigger, and PostgreSQL ends
// one of them as a deadlock — a reply Meta accepted shown as failed, or a delivery retried. Here the
// processor's transaction is held open while Meta's answer to the send comes back, and changes the reply
// only once the send result waits on it. (SQLite needs no row lock: its writers take turns.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lockConversation } from '../src/inbox/conversation-repository.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';
import { backendPid, untilBlockedBy } from './support/pg-locks.ts';

type MessageBody = { id: string; mid: string | null; status: string; direction: string };

describe('reply send result and a processor holding the conversation, on PostgreSQL', () => {
  let h: Harness;
  let meta: EmulatedMeta;

  before(async () => {
    h = await startHarness({ db: 'postgres', redis: false, realClock: true, meta: emulatorFor });
    meta = emulated(h.meta);
    await meta.client.reset({ auto_delivery_ms: null });
  });
  after(() => h.close());

  it('the send result waits for the processor instead of deadlocking with it; the reply ends sent with Meta’s mid', async () => {
    const db = h.testDb.database.db;
    const persona = await meta.client.createPersona({ key: 'reply-lock', pages: 1, ig_ratio: 0 });
    const b = new Browser(h.url);
    await signup(b, 'Lock Order');
    await connectAs(b, meta, 'reply-lock');
    const pageId = persona.pages[0]!.id;
    await meta.client.inbound({ page_id: pageId, text: 'Is my order ready?' });
    await h.features.inbox.processor.drain();
    const conv = (await b.get<{ conversations: Array<{ id: string }> }>('/api/conversations')).body
      .conversations[0]!;

    // Meta takes its time with the send: the reply is stored as pending meanwhile.
    await meta.client.faults({ endpoint: 'send', count: 1, delay_ms: 500 });
    const reply = b.post<{ message: MessageBody }>(`/api/conversations/${conv.id}/messages`, {
      text: 'Yes, come by at noon.',
    });
    let pending: { id: string } | undefined;
    for (let i = 0; i < 200 && !pending; i++) {
      pending = await db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', conv.id)
        .where('direction', '=', 'outbound')
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!pending) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(pending, 'the reply is stored as pending before Meta answers');

    // The processor: holds the conversation through Meta's answer, and changes the reply once the send
    // result waits for it (blocked by this backend: other test files share the server).
    let waitedOn = false;
    const processor = db.transaction().execute(async (tx) => {
      const processorPid = await backendPid(tx);
      await lockConversation(tx, conv.id);
      waitedOn = await untilBlockedBy(db, processorPid, 3000);
      await tx.updateTable('messages').set({ updated_at: Date.now() }).where('id', '=', pending.id).execute();
    });

    const [res] = await Promise.all([reply, processor]);
    assert.ok(waitedOn, 'the send result came back while the processor held the conversation');
    assert.equal(res.status, 201);
    assert.equal(res.body.message.status, 'sent');
    const onMeta = await meta.client.sent({ page_id: pageId });
    assert.equal(onMeta.length, 1);
    const row = await db
      .selectFrom('messages')
      .select(['mid', 'status', 'error'])
      .where('id', '=', pending.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { mid: onMeta[0]!.mid, status: 'sent', error: null });
  });
});
