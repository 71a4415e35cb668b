// Issue 12's status, search and text limits over real HTTP, on SQLite and on PostgreSQL + Redis:
// PATCH /api/conversations/:id (any member; 404 across organizations; live conversation.updated), the
// status filter and the two sorts, a new inbound message reopening a resolved conversation, search by
// words (case, accents, prefixes), name and Instagram handle with a snippet of the newest match, and
// 422 text_too_long per channel before anything is stored or sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { messagesOf, pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { echo, inbound, instagramBody, mid, pageBody, psid } from './support/webhook-payloads.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

type ConversationBody = {
  id: string;
  status: 'open' | 'resolved';
  participant: { id: string; name: string | null; handle: string | null };
  last_message: { text: string | null } | null;
  match?: { message_id: string; snippet: string } | null;
};
type ListBody = { conversations: ConversationBody[]; next_cursor: string | null };
type ErrorBody = { error: { code: string; message: string } };

for (const setup of setups) {
  describe(`inbox status and search on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let secret: string;

    before(async () => {
      h = await startHarness(setup);
      secret = h.config.meta.app!.appSecret;
    });
    after(() => h.close());

    const org = async (name: string) => {
      const b = new Browser(h.url);
      const who = await signup(b, name);
      const pageId = pageIdFor();
      const igId = `1784${pageIdFor()}`;
      await seedConnection(h, who.orgId, { pageId, igId, userId: who.userId });
      return { b, ...who, pageId, igId };
    };
    const writes = async (
      account: string,
      customer: string,
      text: string,
      at = h.clock.now(),
      ig = false,
    ) => {
      const item = inbound(account, customer, { mid: mid(), text, timestamp: at });
      const body = ig ? instagramBody(account, [item]) : pageBody(account, [item]);
      assert.equal((await postWebhook(h.url, metaEscapedJson(body), { secret })).status, 200);
    };
    const drain = () => h.features.inbox.processor.drain();
    const patch = <T>(b: Browser, id: string, json: unknown) =>
      b.request<T>('PATCH', `/api/conversations/${id}`, { json });
    const list = async (b: Browser, query = '') =>
      (await b.get<ListBody>(`/api/conversations${query}`)).body.conversations;

    it('any member resolves and reopens; Open is the default list, Resolved and All one parameter away', async () => {
      const o = await org('Status Org');
      await writes(o.pageId, psid(), 'first');
      await writes(o.pageId, psid(), 'second');
      await drain();
      const [newest, older] = await list(o.b);
      assert.equal(newest!.status, 'open');
      const { browser: agent } = await addMember(o.b);
      const res = await patch<{ conversation: ConversationBody }>(agent, newest!.id, { status: 'resolved' });
      assert.equal(res.status, 200);
      assert.equal(res.body.conversation.status, 'resolved');
      assert.deepEqual(
        (await list(o.b)).map((c) => c.id),
        [older!.id],
      );
      assert.deepEqual(
        (await list(o.b, '?status=resolved')).map((c) => c.id),
        [newest!.id],
      );
      assert.deepEqual(
        (await list(o.b, '?status=all')).map((c) => c.id),
        [newest!.id, older!.id],
      );
      const reopened = await patch<{ conversation: ConversationBody }>(o.b, newest!.id, { status: 'open' });
      assert.equal(reopened.body.conversation.status, 'open');
      const empty = await patch<{ conversation: ConversationBody }>(o.b, newest!.id, {});
      assert.equal(empty.status, 200);
      const bad = await patch<ErrorBody>(o.b, newest!.id, { status: 'closed' });
      assert.equal(bad.status, 400);
      assert.equal((await o.b.get<ErrorBody>('/api/conversations?status=closed')).status, 400);
    });

    it("another organization's conversation is a 404 for PATCH, and its messages never match a search", async () => {
      const a = await org('Status Tenant A');
      const other = await org('Status Tenant B');
      await writes(a.pageId, psid(), 'a secret capybara');
      await drain();
      const conv = (await list(a.b))[0]!;
      for (const body of [{ status: 'resolved' }, {}]) {
        const res = await patch<ErrorBody>(other.b, conv.id, body);
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, 'not_found');
      }
      assert.equal((await patch<ErrorBody>(other.b, 'not-an-id', { status: 'open' })).status, 404);
      assert.equal((await list(a.b))[0]!.status, 'open');
      assert.deepEqual(await list(other.b, '?q=capybara&status=all'), []);
      assert.equal((await list(a.b, '?q=capybara')).length, 1);
    });

    it('a new message from the person reopens a resolved conversation, announced live as conversation.updated', async () => {
      const o = await org('Reopen Org');
      const customer = psid();
      await writes(o.pageId, customer, 'thanks, all good');
      await drain();
      const conv = (await list(o.b))[0]!;
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(o.b.cookies));
      try {
        await stream.connected();
        await patch(o.b, conv.id, { status: 'resolved' });
        const resolved = await stream.waitFor(
          (e) => e.event === 'conversation.updated' && JSON.parse(e.data).conversation.status === 'resolved',
        );
        assert.equal(JSON.parse(resolved.data).conversation.id, conv.id);
        assert.deepEqual(await list(o.b), []);
        await writes(o.pageId, customer, 'actually, one more question');
        await drain();
        const reopened = await stream.waitFor(
          (e) => e.event === 'conversation.updated' && JSON.parse(e.data).conversation.status === 'open',
        );
        assert.equal(JSON.parse(reopened.data).conversation.id, conv.id);
        const again = await list(o.b);
        assert.deepEqual(
          again.map((c) => [c.id, c.status, c.last_message?.text]),
          [[conv.id, 'open', 'actually, one more question']],
        );
      } finally {
        stream.close();
      }
    });

    it('sort=waiting: oldest unanswered first, then the answered by newest activity; its cursor pages', async () => {
      const o = await org('Waiting Org');
      const t = h.clock.now();
      const [early, late, answered] = [psid(), psid(), psid()];
      await writes(o.pageId, early, 'waiting long', t - 50_000);
      await writes(o.pageId, late, 'waiting a bit', t - 10_000);
      await writes(o.pageId, answered, 'question', t - 40_000);
      await drain();
      // Answered from Meta's own app: the echo ends the wait.
      const body = pageBody(o.pageId, [
        echo(o.pageId, answered, { mid: mid(), text: 'answer', timestamp: t - 5_000 }),
      ]);
      assert.equal((await postWebhook(h.url, metaEscapedJson(body), { secret })).status, 200);
      await drain();
      const byWaiting = await list(o.b, '?sort=waiting');
      assert.deepEqual(
        byWaiting.map((c) => c.last_message?.text),
        ['waiting long', 'waiting a bit', 'answer'],
      );
      const byRecent = await list(o.b);
      assert.deepEqual(
        byRecent.map((c) => c.last_message?.text),
        ['answer', 'waiting a bit', 'waiting long'],
      );
      for (let i = 0; i < 26; i++) await writes(o.pageId, psid(), `w${i}`, t - 100_000 + i);
      await drain();
      const page1 = (await o.b.get<ListBody>('/api/conversations?sort=waiting')).body;
      assert.equal(page1.conversations[0]!.last_message?.text, 'w0');
      const page2 = (await o.b.get<ListBody>(`/api/conversations?sort=waiting&cursor=${page1.next_cursor}`))
        .body;
      assert.deepEqual(
        page2.conversations.map((c) => c.last_message?.text),
        ['w25', 'waiting long', 'waiting a bit', 'answer'],
      );
    });

    it('q= finds words case- and accent-insensitively, names and Instagram handles; the newest match and a snippet', async () => {
      const o = await org('Search Org');
      const ana = psid();
      const t = h.clock.now();
      await writes(o.pageId, ana, 'Mi pedido llegó roto', t - 3000);
      await writes(o.pageId, ana, 'El PEDIDO número 42 también', t - 2000);
      await writes(o.pageId, ana, 'gracias', t - 1000);
      await writes(o.igId, '9123456789012345', 'hello there', t, true);
      await drain();
      const [igConv, anaConv] = await list(o.b);
      await h.testDb.database.db
        .updateTable('conversations')
        .set({ participant_name: 'Ana Núñez' })
        .where('id', '=', anaConv!.id)
        .execute();
      await h.testDb.database.db
        .updateTable('conversations')
        .set({ participant_name: 'Zoë Smith', participant_handle: 'zoe.smith_art' })
        .where('id', '=', igConv!.id)
        .execute();

      const hit = await list(o.b, '?q=pedido');
      assert.equal(hit.length, 1);
      assert.equal(hit[0]!.id, anaConv!.id);
      const newest = (await messagesOf(h, o.orgId)).find((m) => m.text === 'El PEDIDO número 42 también')!;
      assert.deepEqual(hit[0]!.match, { message_id: newest.id, snippet: 'El PEDIDO número 42 también' });
      for (const q of ['LLEGO', 'llegó', 'numero', 'Núm']) {
        const r = await list(o.b, `?q=${encodeURIComponent(q)}`);
        assert.deepEqual(
          r.map((c) => c.id),
          [anaConv!.id],
          q,
        );
      }
      const byName = await list(o.b, '?q=nunez');
      assert.deepEqual(
        byName.map((c) => [c.id, c.match]),
        [[anaConv!.id, null]],
      );
      const byHandle = await list(o.b, `?q=${encodeURIComponent('zoe.smith_art')}`);
      assert.deepEqual(
        byHandle.map((c) => [c.id, c.match, c.participant.handle]),
        [[igConv!.id, null, 'zoe.smith_art']],
      );
      assert.deepEqual(await list(o.b, '?q=nothinglikethis'), []);
      await patch(o.b, anaConv!.id, { status: 'resolved' });
      assert.deepEqual(await list(o.b, '?q=pedido'), [], 'the default status filter is open');
      assert.equal((await list(o.b, '?q=pedido&status=resolved')).length, 1);
      assert.equal((await list(o.b, '?q=pedido&status=all')).length, 1);
      assert.equal(
        (await o.b.get<ListBody>('/api/conversations?q=pedido&status=all')).body.next_cursor,
        null,
      );
    });

    it('text over the channel limit is 422 text_too_long, never cut, nothing stored (Messenger 2,000, Instagram 1,000)', async () => {
      const o = await org('Limit Org');
      await writes(o.pageId, psid(), 'hi');
      await writes(o.igId, '9223456789012345', 'hi on ig', h.clock.now(), true);
      await drain();
      const convs = await list(o.b);
      const ig = convs.find((c) => c.participant.id.startsWith('92'))!;
      const fb = convs.find((c) => c !== ig)!;
      const send = (id: string, text: string) =>
        o.b.post<ErrorBody>(`/api/conversations/${id}/messages`, { text });
      const tooLongFb = await send(fb.id, 'x'.repeat(2001));
      assert.equal(tooLongFb.status, 422);
      assert.equal(tooLongFb.body.error.code, 'text_too_long');
      assert.match(tooLongFb.body.error.message, /2,000/);
      const tooLongIg = await send(ig.id, 'é'.repeat(1001));
      assert.equal(tooLongIg.status, 422);
      assert.equal(tooLongIg.body.error.code, 'text_too_long');
      assert.match(tooLongIg.body.error.message, /Instagram accepts at most 1,000/);
      // At the limit it goes on to Meta (unreachable in this suite: 502), so the limit is not off by one.
      assert.equal((await send(ig.id, 'y'.repeat(1000))).status, 502);
      assert.equal((await send(fb.id, 'z'.repeat(2000))).status, 502);
      const outbound = (await messagesOf(h, o.orgId)).filter((m) => m.direction === 'outbound');
      assert.deepEqual(outbound.map((m) => m.text?.length).sort(), [1000, 2000]);
    });
  });
}
