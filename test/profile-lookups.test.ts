// Naming a conversation's person takes a Graph call; Meta can be slow (or slowing the app down near its
// rate limit, field lessons row 6). Those lookups wait in their own queue: messages keep being
// processed while a lookup hangs, and shutting down does not wait for the lookups not yet started.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { inbound, mid, pageBody, psid } from './support/webhook-payloads.ts';

describe('profile lookups never hold back message processing', () => {
  let h: Harness;
  let pageId: string;
  let orgId: string;
  const sockets = new Set<Socket>();
  let calls = 0;
  // A Graph host that accepts connections and never answers.
  const hanging = createServer((socket) => {
    calls++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  before(async () => {
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as { port: number }).port;
    h = await startHarness({
      db: 'sqlite',
      realClock: true,
      env: { META_GRAPH_URL: `http://127.0.0.1:${port}` },
      graphOptions: { timeoutMs: 120_000, retryBaseMs: 5 },
    });
    const owner = await signup(new Browser(h.url), 'Slow Meta Co');
    orgId = owner.orgId;
    pageId = pageIdFor();
    await seedConnection(h, owner.orgId, { pageId, userId: owner.userId });
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    hanging.close();
    await h.close();
  });

  it('every new conversation is stored and counted while its name lookup hangs', async () => {
    const customers = Array.from({ length: 12 }, () => psid());
    for (const [i, customer] of customers.entries()) {
      const body = pageBody(pageId, [
        inbound(pageId, customer, { mid: mid(), text: `hello ${i}`, timestamp: Date.now() }),
      ]);
      const res = await postWebhook(h.url, metaEscapedJson(body), { secret: h.config.meta.app!.appSecret });
      assert.equal(res.status, 200);
    }
    const db = h.testDb.database.db;
    let left = -1;
    for (let i = 0; i < 500 && left !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      left = (
        await db.selectFrom('webhook_deliveries').select('id').where('processed_at', 'is', null).execute()
      ).length;
    }
    assert.equal(left, 0, 'every delivery processed although no lookup has finished');
    const rows = await db
      .selectFrom('conversations')
      .select(['participant_id', 'participant_name', 'unread_count'])
      .execute();
    assert.equal(rows.length, 12);
    assert.ok(rows.every((r) => r.unread_count === 1 && r.participant_name === null));
    assert.ok(calls >= 1 && calls <= 4, `at most 4 lookups at a time (${calls} connections)`);
  });

  it('a steady stream of lookups asked for while others hang keeps nothing per request (issue 15)', async () => {
    // Each request used to return a promise settled only when the queue next ran empty. Under steady
    // traffic that is never, and the processor kept every one: 74,000 after a minute at 1,000
    // deliveries/s, the growth of the app's resident memory. Lookups hang here, so the queue never runs
    // empty; 20,000 requests must not leave 20,000 of anything behind.
    const { profiles } = h.features.inbox;
    const conversation = await h.testDb.database.db
      .selectFrom('conversations')
      .select('id')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfterGc = () => {
      gc();
      return getHeapStatistics().used_heap_size;
    };
    const requests = 20_000;
    const before = heapAfterGc();
    for (let i = 0; i < requests; i++) profiles.refresh(orgId, [conversation.id]);
    const grown = heapAfterGc() - before;
    // The old queue kept a promise, its resolver and their contexts per request: over 200 bytes each.
    assert.ok(grown < requests * 50, `heap grew ${grown} bytes over ${requests} requests`);
    let idle = false;
    void profiles.idle().then(() => {
      idle = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(idle, false, 'idle() waits while lookups hang');
  });
});
