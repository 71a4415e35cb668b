// Issue 13, history imported on connect: an emulator Page with 120 past Messenger conversations (plus
// older ones beyond HISTORY_IMPORT_DAYS, and Instagram ones) is connected; the import runs as jobs, one
// page of 25 conversations at a time, while live webhooks keep arriving, some for conversations not
// imported yet and some for messages the import will also bring. Every message ends up once, in Meta's
// order, old messages are not unread, and the Meta card's progress says done. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationView, HistoryStatusResponse, MessageView } from '../src/contract.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

for (const db of ['sqlite', 'postgres'] as const) {
  describe(`history import on ${db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;

    before(async () => {
      h = await startHarness({ db, realClock: true, meta: emulatorFor, env: { HISTORY_IMPORT_DAYS: '30' } });
      meta = emulated(h.meta);
      await meta.client.reset({ auto_delivery_ms: null, auto_read_ms: null });
    });
    after(() => h.close());

    const drain = () => h.features.inbox.processor.drain();
    /** Runs the imports' job steps until none is running (at most `rounds`), draining between if asked. */
    const importUntilDone = async (b: Browser, { rounds = 10, drainBetween = false } = {}) => {
      for (let i = 0; i < rounds; i++) {
        await h.features.meta.jobs.runDue();
        if (drainBetween) await drain();
        const status = await b.get<HistoryStatusResponse>('/api/integrations/meta/history');
        if (status.body.imports.every((x) => x.state !== 'running')) return;
      }
    };

    it('120 conversations imported page by page, merged with live webhooks by mid, nothing twice, in order', async () => {
      const persona = await meta.client.createPersona({ key: `history-${db}`, pages: 1, ig_ratio: 1 });
      const page = persona.pages[0]!;
      const recent = await meta.client.seedHistory({
        page_id: page.id,
        conversations: 120,
        messages: 4,
        days: 25,
      });
      const spread = await meta.client.seedHistory({
        page_id: page.id,
        conversations: 10,
        messages: 2,
        days: 90,
      });
      await meta.client.seedHistory({
        ig_id: page.instagram!.id,
        conversations: 7,
        messages: 3,
        days: 10,
      });
      const b = new Browser(h.url);
      await signup(b, 'History');
      const connectedAt = Date.now();
      await connectAs(b, meta, `history-${db}`);
      const cutoff = connectedAt - 30 * 24 * 3600_000;
      const expected = [
        ...recent.conversations,
        ...spread.conversations.filter((c) => c.updated_at >= cutoff),
      ];

      // Live, before the import starts: a message in a conversation on the import's last page, and a new person.
      const lastPage = recent.conversations[110]!;
      const live1 = await meta.client.inbound({
        page_id: page.id,
        customer_id: lastPage.customer_id,
        text: 'Still there?',
      });
      const newcomer = await meta.client.inbound({
        page_id: page.id,
        text: 'First time here',
        customer_name: 'Nora New',
      });
      await drain();

      // The import's first page, then more live traffic, then the rest.
      await h.features.meta.jobs.runDue();
      const progress = await b.get<HistoryStatusResponse>('/api/integrations/meta/history');
      const messenger = progress.body.imports.find((i) => i.platform === 'messenger')!;
      assert.equal(messenger.state, 'running');
      assert.equal(messenger.conversations_done, 25);
      const midPage = recent.conversations[60]!;
      const live2 = await meta.client.inbound({
        page_id: page.id,
        customer_id: midPage.customer_id,
        text: 'Hello again',
      });
      await drain();
      await importUntilDone(b, { rounds: 20, drainBetween: true });

      const status = (await b.get<HistoryStatusResponse>('/api/integrations/meta/history')).body.imports;
      const m = status.find((i) => i.platform === 'messenger')!;
      const i = status.find((x) => x.platform === 'instagram')!;
      assert.equal(m.state, 'done');
      assert.equal(i.state, 'done');
      // Read in the first pass: every conversation but the one that jumped ahead of the cursor (live2),
      // which the catch-up pass brings; the newcomer's conversation is on Meta too.
      assert.equal(m.conversations_done, expected.length);
      assert.equal(i.conversations_done, 7);

      const all: ConversationView[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { conversations: ConversationView[]; next_cursor: string | null } } = await b.get(
          `/api/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        all.push(...res.body.conversations);
        cursor = res.body.next_cursor;
      } while (cursor);
      const messengerConvs = all.filter((c) => c.channel === 'messenger');
      assert.equal(messengerConvs.length, expected.length + 1);
      const instagram = all.filter((c) => c.channel === 'instagram');
      assert.equal(instagram.length, 7);
      // The Conversations API gives an Instagram person's username only: it is the handle, and the name
      // is left for the profile lookup (the inbox shows "@username" until then).
      for (const c of instagram) {
        assert.ok(c.participant.handle, 'the imported Instagram username is kept as the handle');
        assert.equal(c.participant.name, null);
      }
      const old = spread.conversations.filter((c) => c.updated_at < cutoff);
      assert.ok(old.length > 0);
      for (const c of old)
        assert.ok(!all.some((x) => x.participant.id === c.customer_id), 'older than 30 days: not imported');

      const threadOf = async (customerId: string) => {
        const conv = all.find((c) => c.participant.id === customerId)!;
        return {
          conv,
          messages: (
            await b.get<{ messages: MessageView[] }>(`/api/conversations/${conv.id}/messages`)
          ).body.messages.reverse(),
        };
      };
      const t1 = await threadOf(lastPage.customer_id);
      assert.deepEqual(
        t1.messages.map((x) => x.mid),
        [...lastPage.mids, live1.mids[0]],
        'history then the live message, each once, in order',
      );
      assert.equal(t1.conv.unread_count, 1, 'only the live message is unread');
      const t2 = await threadOf(midPage.customer_id);
      assert.deepEqual(
        t2.messages.map((x) => x.mid),
        [...midPage.mids, live2.mids[0]],
      );
      assert.deepEqual(
        t2.messages.map((x) => x.direction),
        ['inbound', 'outbound', 'inbound', 'outbound', 'inbound'],
      );
      const t3 = await threadOf(newcomer.customer.id);
      assert.deepEqual(
        t3.messages.map((x) => x.text),
        ['First time here'],
      );
      const quiet = await threadOf(recent.conversations[5]!.customer_id);
      assert.equal(quiet.messages.length, 4);
      assert.equal(quiet.conv.unread_count, 0, 'imported history is not unread');

      const total = await h.testDb.database.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      const expectedMessages = expected.reduce((n, c) => n + c.mids.length, 0) + 2 + 1 + 7 * 3;
      assert.equal(Number(total!.n), expectedMessages);
      const calls = await meta.client.calls({ endpoint: 'page.conversations' });
      assert.ok(calls.length >= 6, 'paged, 25 at a time');
      assert.ok(calls.every((c) => c.page_id === page.id));
    });

    it('a message sent after the connect stays unread when the import stores it before its webhook is processed', async () => {
      const persona = await meta.client.createPersona({ key: `history-live-${db}`, pages: 1, ig_ratio: 0 });
      const page = persona.pages[0]!;
      const seeded = await meta.client.seedHistory({
        page_id: page.id,
        conversations: 3,
        messages: 2,
        days: 5,
      });
      const b = new Browser(h.url);
      await signup(b, 'History live');
      await connectAs(b, meta, `history-live-${db}`);
      const [asked, quiet] = [seeded.conversations[1]!, seeded.conversations[2]!];
      // The webhook waits (processing stopped); the import reads the conversation, new message and all.
      await h.features.inbox.processor.stop();
      let live: Awaited<ReturnType<typeof meta.client.inbound>>;
      try {
        live = await meta.client.inbound({
          page_id: page.id,
          customer_id: asked.customer_id,
          text: 'Any news?',
        });
        await importUntilDone(b);
        const stored = await h.testDb.database.db
          .selectFrom('messages')
          .select('status')
          .where('mid', '=', live.mids[0]!)
          .executeTakeFirst();
        assert.equal(stored?.status, 'received', 'stored by the import, not marked read');
      } finally {
        h.features.inbox.processor.start();
      }
      await drain(); // its webhook: the same mid, nothing added

      const list = (await b.get<{ conversations: ConversationView[] }>('/api/conversations')).body
        .conversations;
      const convOf = (customerId: string) => list.find((c) => c.participant.id === customerId)!;
      assert.equal(
        convOf(asked.customer_id).unread_count,
        1,
        'the new message is unread, the history is not',
      );
      assert.equal(convOf(quiet.customer_id).unread_count, 0);
      const thread = (
        await b.get<{ messages: MessageView[] }>(
          `/api/conversations/${convOf(asked.customer_id).id}/messages`,
        )
      ).body.messages;
      assert.equal(thread.filter((m) => m.mid === live.mids[0]).length, 1, 'stored once');
    });

    it("an imported Instagram person's next message brings their real name from the profile lookup", async () => {
      const persona = await meta.client.createPersona({ key: `history-name-${db}`, pages: 1, ig_ratio: 1 });
      const page = persona.pages[0]!;
      const seeded = await meta.client.seedHistory({
        ig_id: page.instagram!.id,
        conversations: 1,
        messages: 2,
        days: 3,
      });
      const b = new Browser(h.url);
      await signup(b, 'History names');
      await connectAs(b, meta, `history-name-${db}`);
      await importUntilDone(b);
      const customerId = seeded.conversations[0]!.customer_id;
      const person = async () =>
        (await b.get<{ conversations: ConversationView[] }>('/api/conversations')).body.conversations.find(
          (c) => c.participant.id === customerId,
        )!.participant;
      const imported = await person();
      assert.equal(imported.name, null, 'imported with the username as the handle only');
      assert.ok(imported.handle);

      await meta.client.inbound({ ig_id: page.instagram!.id, customer_id: customerId, text: 'Me again' });
      await drain();
      await h.features.inbox.profiles.idle();
      const state = await meta.client.state();
      const realName = state.customers.find((c) => c.id === customerId)!.name;
      assert.ok(realName && !realName.startsWith('@'));
      assert.deepEqual(
        { name: (await person()).name, handle: (await person()).handle },
        { name: realName, handle: imported.handle },
      );
    });

    it('a refusal stops the import at once, in our words; a passing failure keeps it running to retry', async () => {
      const persona = await meta.client.createPersona({ key: `history-fail-${db}`, pages: 1, ig_ratio: 1 });
      const page = persona.pages[0]!;
      await meta.client.seedHistory({ page_id: page.id, conversations: 2, messages: 2, days: 5 });
      await meta.client.seedHistory({ ig_id: page.instagram!.id, conversations: 2, messages: 2, days: 5 });
      const b = new Browser(h.url);
      await signup(b, 'History refused');
      await connectAs(b, meta, `history-fail-${db}`);
      // The first listing is refused for a permission; the second fails as Meta's passing errors do, for
      // all three of the client's tries. Which platform's job asks first is up to the runner.
      await meta.client.faults({
        endpoint: 'page.conversations',
        count: 1,
        status: 400,
        code: 10,
        message: '(#10) Requires pages_read_engagement permission',
      });
      await meta.client.faults({ endpoint: 'page.conversations', count: 3, status: 500, code: 2 });
      await h.features.meta.jobs.runDue();

      const imports = (await b.get<HistoryStatusResponse>('/api/integrations/meta/history')).body.imports;
      const byState = Object.fromEntries(imports.map((i) => [i.state, i.error]));
      assert.deepEqual(byState, {
        failed:
          'Meta refused for lack of a permission (Meta error 10); reconnect and grant every requested permission.',
        running: 'Meta could not be reached or had a temporary problem (Meta error 2); retrying.',
      });
    });
  });
}
