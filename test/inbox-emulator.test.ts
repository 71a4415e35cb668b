// The inbox end to end with the emulator as Meta (issue 5, "Must show"), on SQLite and on PostgreSQL +
// Redis: the emulator's customer writes, its really signed webhooks land once even when delivered three
// times; the person's name comes from the user profile API; replies go through the Send API and their
// ticks move sent → delivered → read from the emulator's receipts; a 1000-event POST is stored whole;
// Meta's window refusal, a revoked token and a disconnect each end where they should.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';
import { hubSignature, postWebhook } from './support/webhook-client.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

type ConversationBody = {
  id: string;
  channel: string;
  participant: { id: string; name: string | null };
  unread_count: number;
};
type MessageBody = { id: string; mid: string | null; direction: string; text: string | null; status: string };
type ErrorBody = { error: { code: string } };

let personas = 0;

for (const setup of setups) {
  describe(`inbox with the emulator on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;

    before(async () => {
      // The emulator stamps events with real time; the app's 24 h window must read the same clock.
      h = await startHarness({ ...setup, realClock: true, meta: emulatorFor });
      meta = emulated(h.meta);
      await meta.client.reset({ auto_delivery_ms: 20 });
    });
    after(() => h.close());

    const drain = () => h.features.inbox.processor.drain();

    /** A new organization connected to a new test user's own Page (with Instagram). */
    const connected = async (name: string) => {
      const key = `inbox-${setup.db}-${++personas}`;
      const persona = await meta.client.createPersona({ key, pages: 1, ig_ratio: 1 });
      const b = new Browser(h.url);
      const who = await signup(b, name);
      const result = await connectAs(b, meta, key);
      assert.equal(result.target, '/settings/tab/integrations');
      const page = persona.pages[0]!;
      return { b, ...who, pageId: page.id, igId: page.instagram!.id };
    };
    const conversations = async (b: Browser) =>
      (await b.get<{ conversations: ConversationBody[] }>('/api/conversations')).body.conversations;
    const thread = async (b: Browser, id: string) =>
      (await b.get<{ messages: MessageBody[] }>(`/api/conversations/${id}/messages`)).body.messages;
    /** Drains until `check` passes (webhooks from the emulator arrive on their own timers). */
    const eventually = async (check: () => Promise<boolean>, what: string) => {
      const deadline = Date.now() + 5000;
      while (!(await check())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
        await drain();
      }
    };

    it('a really signed "héllo 👋" from the emulator is stored once though delivered three times, twice concurrently; the name comes from the profile API (R34, R39, F4)', async () => {
      const o = await connected('Bakery');
      const sent = await meta.client.inbound({
        page_id: o.pageId,
        text: 'héllo 👋',
        customer_name: 'Chloé Dubois',
      });
      assert.ok(sent.delivery.state === 'delivered', 'the emulator got our 200');
      const delivered = sent.delivery as { body: string };
      assert.ok(delivered.body.includes('h\\u00e9llo \\ud83d\\udc4b'), 'Meta-escaped bytes on the wire');
      // Meta redelivers the same bytes with the same signature: twice at once, as retries can overlap.
      const signature = hubSignature(meta.appSecret, delivered.body);
      const headers: Array<[string, string]> = [
        ['content-type', 'application/json'],
        ['x-hub-signature-256', signature],
      ];
      const replays = await Promise.all([
        postWebhook(h.url, delivered.body, { headers }),
        postWebhook(h.url, delivered.body, { headers }),
      ]);
      assert.deepEqual(
        replays.map((r) => r.status),
        [200, 200],
      );
      await drain();
      const list = await conversations(o.b);
      assert.equal(list.length, 1);
      assert.equal(list[0]!.channel, 'messenger');
      assert.equal(list[0]!.participant.id, sent.customer.id);
      assert.equal(list[0]!.participant.name, 'Chloé Dubois');
      assert.equal(list[0]!.unread_count, 1);
      const messages = await thread(o.b, list[0]!.id);
      assert.deepEqual(
        messages.map((m) => [m.mid, m.text, m.direction]),
        [[sent.mids[0], 'héllo 👋', 'inbound']],
      );
      const stored = await h.testDb.database.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('body', '=', delivered.body)
        .execute();
      assert.equal(stored.length, 3, 'three deliveries stored, one message');
      assert.ok(
        (await meta.client.calls({ endpoint: 'profile' })).length >= 1,
        'profile read with the Page token',
      );
    });

    it('reply on Messenger: 201, the emulator shows it, its echo is matched, ticks go delivered then read; live events follow (CONTRACT §6)', async () => {
      const o = await connected('Coffee');
      const inbound = await meta.client.inbound({ page_id: o.pageId, text: 'Are you open?' });
      await drain();
      const conv = (await conversations(o.b))[0]!;
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(o.b.cookies));
      try {
        await stream.connected();
        const res = await o.b.post<{ message: MessageBody }>(`/api/conversations/${conv.id}/messages`, {
          text: 'Yes, until 6 pm ☕',
        });
        assert.equal(res.status, 201);
        assert.equal(res.body.message.direction, 'outbound');
        assert.ok(res.body.message.mid);
        assert.ok(['sent', 'delivered', 'read'].includes(res.body.message.status));
        const onMeta = await meta.client.sent({ page_id: o.pageId, recipient_id: inbound.customer.id });
        assert.equal(onMeta.length, 1);
        assert.equal(onMeta[0]!.text, 'Yes, until 6 pm ☕');
        assert.equal(onMeta[0]!.messaging_type, 'RESPONSE');
        assert.equal(onMeta[0]!.metadata, `parley:${res.body.message.id}`);
        assert.equal(onMeta[0]!.mid, res.body.message.mid);
        const statusOf = async () =>
          (await thread(o.b, conv.id)).find((m) => m.id === res.body.message.id)?.status;
        await eventually(async () => (await statusOf()) === 'delivered', 'the delivery receipt');
        await meta.client.read({ page_id: o.pageId, customer_id: inbound.customer.id });
        await eventually(async () => (await statusOf()) === 'read', 'the read receipt');
        const outbound = (await thread(o.b, conv.id)).filter((m) => m.direction === 'outbound');
        assert.equal(outbound.length, 1, 'the echo did not add a second copy');
        const created = await stream.waitFor(
          (e) => e.event === 'message.created' && JSON.parse(e.data).message.direction === 'outbound',
        );
        assert.equal(JSON.parse(created.data).message.text, 'Yes, until 6 pm ☕');
        await stream.waitFor(
          (e) => e.event === 'message.updated' && JSON.parse(e.data).message.status === 'read',
        );
      } finally {
        stream.close();
      }
    });

    it('Instagram: the message arrives under the Instagram account, the reply goes out with the Page token and turns read on messaging_seen', async () => {
      const o = await connected('Bikes');
      const inbound = await meta.client.inbound({
        ig_id: o.igId,
        text: 'Tu as un vélo rouge ? 🚲',
        customer_name: 'Björn Åkesson',
      });
      await drain();
      const conv = (await conversations(o.b)).find((c) => c.channel === 'instagram')!;
      assert.equal(conv.participant.id, inbound.customer.id);
      assert.equal(conv.participant.name, 'Björn Åkesson');
      assert.equal((await thread(o.b, conv.id))[0]!.text, 'Tu as un vélo rouge ? 🚲');
      const res = await o.b.post<{ message: MessageBody }>(`/api/conversations/${conv.id}/messages`, {
        text: 'Oui !',
      });
      assert.equal(res.status, 201);
      const onMeta = await meta.client.sent({ page_id: o.pageId, recipient_id: inbound.customer.id });
      assert.equal(onMeta[0]?.channel, 'instagram');
      assert.equal(onMeta[0]?.text, 'Oui !');
      await eventually(
        async () =>
          (await thread(o.b, conv.id)).some((m) => m.mid === res.body.message.mid && m.status === 'sent'),
        'the echo',
      );
      await meta.client.read({ ig_id: o.igId, customer_id: inbound.customer.id });
      await eventually(
        async () => (await thread(o.b, conv.id)).find((m) => m.id === res.body.message.id)?.status === 'read',
        'messaging_seen',
      );
      assert.equal((await thread(o.b, conv.id)).filter((m) => m.direction === 'outbound').length, 1);
    });

    it('a batch of 1000 events in one POST from the emulator is stored whole (R42, reference §8.3)', async () => {
      const o = await connected('Bulk');
      const started = Date.now();
      const sent = await meta.client.inbound({ page_id: o.pageId, text: 'bulk', count: 1000 });
      const record = sent.delivery as { entry_count: number; state: string };
      assert.equal(record.entry_count, 1000);
      assert.equal(record.state, 'delivered');
      await drain();
      const rows = await h.testDb.database.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', o.orgId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(rows.n), 1000);
      assert.equal((await conversations(o.b))[0]!.unread_count, 1000);
      assert.ok(Date.now() - started < 15_000, 'acknowledged and processed promptly');
    });

    it("outside the 24 h window by Meta's clock: Meta's 10/2018278 becomes 422 outside_messaging_window", async () => {
      const o = await connected('Window');
      await meta.client.inbound({ page_id: o.pageId, text: 'hello?' });
      await drain();
      const conv = (await conversations(o.b))[0]!;
      await meta.client.advanceClock(25 * 3600_000);
      const res = await o.b.post<ErrorBody>(`/api/conversations/${conv.id}/messages`, { text: 'too late' });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'outside_messaging_window');
      const sends = await meta.client.calls({ endpoint: 'send' });
      assert.ok(sends.length >= 1, 'Meta was asked and refused');
      assert.equal((await meta.client.sent({ page_id: o.pageId })).length, 0);
      const attempt = (await thread(o.b, conv.id)).find((m) => m.direction === 'outbound');
      assert.equal(attempt?.status, 'failed');
      // The person writes again (Meta time moved on with them): the window reopens.
      await meta.client.inbound({
        page_id: o.pageId,
        customer_id: conv.participant.id,
        text: 'still there?',
      });
      await drain();
      assert.equal((await o.b.post(`/api/conversations/${conv.id}/messages`, { text: 'yes!' })).status, 201);
    });

    it('a revoked Page token: 424 reauth_required, the connection turns reauth_required, and later replies stop before Meta (R32)', async () => {
      const o = await connected('Revoked');
      await meta.client.inbound({ page_id: o.pageId, text: 'hi' });
      await drain();
      const conv = (await conversations(o.b))[0]!;
      await meta.client.revoke({ page_id: o.pageId });
      const res = await o.b.post<ErrorBody>(`/api/conversations/${conv.id}/messages`, { text: 'hello' });
      assert.equal(res.status, 424);
      assert.equal(res.body.error.code, 'reauth_required');
      const status = await o.b.get<{ connection: { status: string; status_reason: string | null } }>(
        '/api/integrations/meta',
      );
      assert.equal(status.body.connection.status, 'reauth_required');
      assert.match(status.body.connection.status_reason ?? '', /190/);
      const sendsBefore = (await meta.client.calls({ endpoint: 'send' })).length;
      assert.equal(
        (await o.b.post<ErrorBody>(`/api/conversations/${conv.id}/messages`, { text: 'again' })).status,
        424,
      );
      assert.equal(
        (await meta.client.calls({ endpoint: 'send' })).length,
        sendsBefore,
        'no second call to Meta',
      );
      assert.ok(!h.logs.join('').includes('EAA'), 'no token in the logs (R19, R50)');
    });

    it('after Disconnect the history is still listed; replies get 409; reconnecting the same Page finds the same conversation (CONTRACT §4)', async () => {
      const o = await connected('Disconnecting');
      const persona = `inbox-${setup.db}-${personas}`;
      await meta.client.inbound({ page_id: o.pageId, text: 'keep me' });
      await drain();
      const conv = (await conversations(o.b))[0]!;
      assert.equal(
        (await o.b.post<{ disconnected: boolean }>('/api/integrations/meta/disconnect')).body.disconnected,
        true,
      );
      const list = await conversations(o.b);
      assert.deepEqual(
        list.map((c) => c.id),
        [conv.id],
      );
      assert.equal((await thread(o.b, conv.id))[0]!.text, 'keep me');
      const refused = await o.b.post<ErrorBody>(`/api/conversations/${conv.id}/messages`, {
        text: 'anyone?',
      });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'not_connected');
      assert.equal((await connectAs(o.b, meta, persona)).target, '/settings/tab/integrations');
      await meta.client.inbound({ page_id: o.pageId, customer_id: conv.participant.id, text: 'back again' });
      await drain();
      const after = await conversations(o.b);
      assert.deepEqual(
        after.map((c) => c.id),
        [conv.id],
      );
      assert.deepEqual(
        (await thread(o.b, conv.id)).map((m) => m.text),
        ['back again', 'keep me'],
      );
    });
  });
}
