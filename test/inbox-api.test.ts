// The inbox API (CONTRACT §6) and live updates, over real HTTP on SQLite and on PostgreSQL + Redis:
// keyset pagination, tenancy (R23), mark-as-read, the reply rules checked before Meta is called, and
// Server-Sent Events — across two app instances through Redis. Conversations are created by signed
// webhooks; this suite's Meta host refuses connections, so any reply that reached for Meta fails 502.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { buildAppWithFeatures } from '../src/app.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { REDIS_URL } from './support/databases.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { messagesOf, pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { inbound, instagramBody, mid, pageBody, psid } from './support/webhook-payloads.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

type ConversationBody = {
  id: string;
  channel: string;
  participant: { id: string; name: string | null };
  last_message: { text: string | null } | null;
  unread_count: number;
  window_expires_at: string | null;
};
type ListBody = { conversations: ConversationBody[]; next_cursor: string | null };
type MessagesBody = {
  messages: Array<{
    id: string;
    mid: string | null;
    text: string | null;
    status: string;
    failure_reason?: string;
    direction: string;
    reply_to?: { mid: string; text: string | null };
  }>;
  next_cursor: string | null;
};
type ErrorBody = { error: { code: string; message: string } };

for (const setup of setups) {
  describe(`inbox API on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let secret: string;

    before(async () => {
      h = await startHarness(setup);
      secret = h.config.meta.app!.appSecret;
    });
    after(() => h.close());

    /** A new organization with a seeded connection; its owner's browser. */
    const org = async (name: string, opts: { ig?: boolean } = {}) => {
      const b = new Browser(h.url);
      const who = await signup(b, name);
      const pageId = pageIdFor();
      const igId = opts.ig ? `1784${pageIdFor()}` : null;
      await seedConnection(h, who.orgId, { pageId, igId, userId: who.userId });
      return { b, ...who, pageId, igId };
    };
    const customerWrites = async (
      account: string,
      customer: string,
      text: string,
      at = h.clock.now(),
      object = 'page',
    ) => {
      const body =
        object === 'page'
          ? pageBody(account, [inbound(account, customer, { mid: mid(), text, timestamp: at })])
          : instagramBody(account, [inbound(account, customer, { mid: mid(), text, timestamp: at })]);
      assert.equal((await postWebhook(h.url, metaEscapedJson(body), { secret })).status, 200);
    };
    const drain = () => h.features.inbox.processor.drain();

    it('conversations: newest first, 25 per page with a keyset cursor, channel filter, bad cursor 400 (CONTRACT §6)', async () => {
      const o = await org('Paging Org', { ig: true });
      const t = h.clock.now();
      for (let i = 0; i < 28; i++) await customerWrites(o.pageId, psid(), `m${i}`, t + i);
      for (let i = 0; i < 2; i++) await customerWrites(o.igId!, psid(), `ig${i}`, t + 100 + i, 'instagram');
      await drain();
      const first = await o.b.get<ListBody>('/api/conversations');
      assert.equal(first.status, 200);
      assert.equal(first.body.conversations.length, 25);
      assert.deepEqual(
        first.body.conversations.slice(0, 3).map((c) => c.last_message?.text),
        ['ig1', 'ig0', 'm27'],
      );
      assert.ok(first.body.next_cursor);
      const second = await o.b.get<ListBody>(`/api/conversations?cursor=${first.body.next_cursor}`);
      assert.equal(second.body.conversations.length, 5);
      assert.equal(second.body.next_cursor, null);
      const all = [...first.body.conversations, ...second.body.conversations].map((c) => c.id);
      assert.equal(new Set(all).size, 30, 'no conversation twice, none skipped');
      const ig = await o.b.get<ListBody>('/api/conversations?channel=instagram');
      assert.deepEqual(
        ig.body.conversations.map((c) => c.channel),
        ['instagram', 'instagram'],
      );
      const c = first.body.conversations[0]!;
      assert.equal(c.unread_count, 1);
      assert.equal(Date.parse(c.window_expires_at!), t + 101 + 24 * 3600_000);
      const bad = await o.b.get<ErrorBody>('/api/conversations?cursor=not-a-cursor');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid_cursor');
    });

    it('messages: newest first, 50 per page, then the rest through the cursor', async () => {
      const o = await org('Thread Org');
      const customer = psid();
      const t = h.clock.now();
      const items = Array.from({ length: 60 }, (_, i) =>
        inbound(o.pageId, customer, { mid: mid(), text: `#${i}`, timestamp: t + i }),
      );
      assert.equal(
        (await postWebhook(h.url, metaEscapedJson(pageBody(o.pageId, items)), { secret })).status,
        200,
      );
      await drain();
      const conv = (await o.b.get<ListBody>('/api/conversations')).body.conversations[0]!;
      assert.equal(conv.unread_count, 60);
      const page1 = await o.b.get<MessagesBody>(`/api/conversations/${conv.id}/messages`);
      assert.equal(page1.body.messages.length, 50);
      assert.equal(page1.body.messages[0]!.text, '#59');
      const page2 = await o.b.get<MessagesBody>(
        `/api/conversations/${conv.id}/messages?cursor=${page1.body.next_cursor}`,
      );
      assert.deepEqual(
        page2.body.messages.map((m) => m.text),
        Array.from({ length: 10 }, (_, i) => `#${9 - i}`),
      );
      assert.equal(page2.body.next_cursor, null);
    });

    it('mark as read: unread 0, inbound messages read; agents may read and mark (CONTRACT §3 roles)', async () => {
      const o = await org('Read Org');
      await customerWrites(o.pageId, psid(), 'unread one');
      await customerWrites(o.pageId, psid(), 'unread two');
      await drain();
      const { browser: agent } = await addMember(o.b);
      const conv = (await agent.get<ListBody>('/api/conversations')).body.conversations[0]!;
      assert.equal(conv.unread_count, 1);
      const res = await agent.post<{ conversation: ConversationBody }>(`/api/conversations/${conv.id}/read`);
      assert.equal(res.status, 200);
      assert.equal(res.body.conversation.unread_count, 0);
      const rows = (await messagesOf(h, o.orgId)).filter((m) => m.conversation_id === conv.id);
      assert.ok(rows.every((m) => m.status === 'read'));
      const again = (await o.b.get<ListBody>('/api/conversations')).body.conversations.find(
        (c) => c.id === conv.id,
      )!;
      assert.equal(again.unread_count, 0);
    });

    it("another organization's conversation is a 404 everywhere, never a 403 (R23)", async () => {
      const a = await org('Tenant A');
      const other = await org('Tenant B');
      await customerWrites(a.pageId, psid(), 'private to A');
      await drain();
      const conv = (await a.b.get<ListBody>('/api/conversations')).body.conversations[0]!;
      const probes = [
        await other.b.get<ErrorBody>(`/api/conversations/${conv.id}/messages`),
        await other.b.post<ErrorBody>(`/api/conversations/${conv.id}/read`),
        await other.b.post<ErrorBody>(`/api/conversations/${conv.id}/messages`, { text: 'hijack' }),
        await other.b.get<ErrorBody>('/api/conversations/not-an-id/messages'),
      ];
      for (const res of probes) {
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, 'not_found');
      }
      const list = await other.b.get<ListBody>('/api/conversations');
      assert.ok(!list.body.conversations.some((c) => c.id === conv.id));
      assert.equal((await messagesOf(h, a.orgId)).length, 1, 'nothing written by the probes');
      assert.equal((await new Browser(h.url).get<ErrorBody>('/api/conversations')).status, 401);
    });

    it('replies are refused before Meta: 409 not_connected, 424 reauth_required, 422 outside the 24 h window; 502 when Meta is unreachable', async () => {
      const o = await org('Reply Rules Org');
      const customer = psid();
      await customerWrites(o.pageId, customer, 'can you help?');
      await drain();
      const conv = (await o.b.get<ListBody>('/api/conversations')).body.conversations[0]!;
      const send = () => o.b.post<ErrorBody>(`/api/conversations/${conv.id}/messages`, { text: 'sure' });
      const outbound = async () => (await messagesOf(h, o.orgId)).filter((m) => m.direction === 'outbound');
      const settings = h.testDb.database.db
        .updateTable('organization_meta_settings')
        .where('org_id', '=', o.orgId);

      await settings.set({ status: 'reauth_required' }).execute();
      let res = await send();
      assert.equal(res.status, 424);
      assert.equal(res.body.error.code, 'reauth_required');

      await settings.set({ status: 'active', facebook_page_id: pageIdFor() }).execute();
      res = await send();
      assert.equal(res.status, 409, 'connected to another Page now');
      assert.equal(res.body.error.code, 'not_connected');
      assert.equal(await outbound().then((r) => r.length), 0, 'nothing stored for a refused reply');

      await settings.set({ facebook_page_id: o.pageId }).execute();
      // This suite's Graph host refuses connections: the Send API is unreachable.
      res = await send();
      assert.equal(res.status, 502);
      assert.equal(res.body.error.code, 'meta_unavailable');
      assert.ok(!/127\.0\.0\.1|ECONNREFUSED|graph/i.test(res.body.error.message), 'no internals');
      const failed = await outbound();
      assert.deepEqual(
        failed.map((m) => m.status),
        ['failed'],
      );
      // The thread, read later by anyone, says why the reply failed in the words its sender got.
      const thread = (await o.b.get<MessagesBody>(`/api/conversations/${conv.id}/messages`)).body.messages;
      assert.deepEqual(
        thread.map((m) => [m.status, m.failure_reason]),
        [
          ['failed', res.body.error.message],
          ['received', undefined],
        ],
      );

      h.clock.advance(24 * 3600_000 + 1);
      res = await send();
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'outside_messaging_window');
      assert.equal((await outbound()).length, 1, 'no attempt outside the window');

      await h.testDb.database.db
        .deleteFrom('organization_meta_settings')
        .where('org_id', '=', o.orgId)
        .execute();
      res = await send();
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'not_connected');
      const history = await o.b.get<MessagesBody>(`/api/conversations/${conv.id}/messages`);
      assert.equal(history.status, 200, 'history stays listed without a connection');
      assert.equal(history.body.messages.length, 2);
    });

    it('Server-Sent Events: a new message reaches its organization live, and only it', async () => {
      const o = await org('Live Org');
      const bystander = await org('Bystander Org');
      const unauth = await fetch(`${h.url}/api/events`);
      assert.equal(unauth.status, 401);
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(o.b.cookies));
      const other = await SseStream.open(`${h.url}/api/events`, cookieHeader(bystander.b.cookies));
      try {
        assert.equal(stream.status, 200);
        assert.match(stream.contentType, /^text\/event-stream/);
        await stream.connected();
        await other.connected();
        await customerWrites(o.pageId, psid(), 'live héllo 👋');
        await drain();
        const created = await stream.waitFor((e) => e.event === 'message.created');
        const payload = JSON.parse(created.data);
        assert.equal(payload.type, 'message.created');
        assert.equal(payload.message.text, 'live héllo 👋');
        const updated = await stream.waitFor((e) => e.event === 'conversation.updated');
        assert.equal(JSON.parse(updated.data).conversation.unread_count, 1);
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(
          !other.events.some((e) => e.event.startsWith('message')),
          'no events of another organization',
        );
      } finally {
        stream.close();
        other.close();
      }
    });

    it('a reply pushed live quotes the message it answers, as the thread does after a reload', async () => {
      const o = await org('Live Reply Org');
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(o.b.cookies));
      const post = async (item: Record<string, unknown>) =>
        assert.equal(
          (await postWebhook(h.url, metaEscapedJson(pageBody(o.pageId, [item])), { secret })).status,
          200,
        );
      try {
        await stream.connected();
        const customer = psid();
        const asked = mid();
        const at = h.clock.now();
        await post(inbound(o.pageId, customer, { mid: asked, text: 'Is it in stock?', timestamp: at }));
        await drain();
        const reply = inbound(o.pageId, customer, { mid: mid(), text: 'The blue one', timestamp: at + 1 });
        await post({ ...reply, message: { ...(reply.message as object), reply_to: { mid: asked } } });
        await drain();
        const live = await stream.waitFor(
          (e) => e.event === 'message.created' && JSON.parse(e.data).message.text === 'The blue one',
        );
        const quoted = { mid: asked, text: 'Is it in stock?' };
        assert.deepEqual(JSON.parse(live.data).message.reply_to, quoted);
        const conv = (await o.b.get<ListBody>('/api/conversations')).body.conversations[0]!;
        const thread = await o.b.get<MessagesBody>(`/api/conversations/${conv.id}/messages`);
        assert.deepEqual(thread.body.messages.find((m) => m.text === 'The blue one')!.reply_to, quoted);
      } finally {
        stream.close();
      }
    });

    if (setup.redis) {
      it('live updates cross instances through Redis: webhook on instance A, stream on instance B', async () => {
        const o = await org('Two Instances Org');
        const redisB = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
        const b = await buildAppWithFeatures({ ...h.deps, redis: redisB });
        await b.app.listen({ port: 0, host: '127.0.0.1' });
        const address = b.app.server.address();
        const urlB = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        const stream = await SseStream.open(`${urlB}/api/events`, cookieHeader(o.b.cookies));
        try {
          await stream.connected();
          await customerWrites(o.pageId, psid(), 'via redis');
          await drain();
          const created = await stream.waitFor((e) => e.event === 'message.created');
          assert.equal(JSON.parse(created.data).message.text, 'via redis');
          assert.equal(stream.events.filter((e) => e.event === 'message.created').length, 1, 'heard once');
        } finally {
          stream.close();
          await b.app.close();
          await redisB.quit();
        }
      });
    }
  });
}
