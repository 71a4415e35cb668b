// Issue 12 item 4 over real HTTP, with the emulator as Meta, on SQLite and on PostgreSQL + Redis
// (CONTRACT §6): POST /api/conversations/:id/notes (201 {message} kind "note" with its author; 422 for
// empty and over-long text; 404 for another organization's conversation), a note never reaching the
// Send API, leaving the conversation's preview, activity, unread count, waiting time and status alone,
// arriving live in another member's stream; @mentions stored, announced to the mentioned member only,
// listed in GET /api/mentions and cleared when they open the conversation; GET /api/inbox/unread; and,
// on PostgreSQL + Redis, a second instance's streams hearing both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

type Person = { id: string | null; name: string };
type MessageBody = {
  id: string;
  mid: string | null;
  kind?: 'message' | 'note';
  direction: string;
  text: string | null;
  status: string;
  sent_at: string;
  author?: Person | null;
  mentions?: Array<{ id: string; name: string }>;
};
type ConversationBody = {
  id: string;
  status: 'open' | 'resolved';
  unread_count: number;
  updated_at: string;
  waiting_since: string | null;
  last_message: MessageBody | null;
};
type MentionBody = {
  conversation_id: string;
  message_id: string;
  by: Person;
  snippet: string;
  created_at: string;
};
type ErrorBody = { error: { code: string } };

let personas = 0;

for (const setup of setups) {
  describe(`internal notes and mentions on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;

    before(async () => {
      h = await startHarness({ ...setup, realClock: true, meta: emulatorFor });
      meta = emulated(h.meta);
      await meta.client.reset({ auto_delivery_ms: 20 });
    });
    after(() => h.close());

    const drain = () => h.features.inbox.processor.drain();
    const named = (userId: string, name: string) =>
      h.testDb.database.db.updateTable('users').set({ name }).where('id', '=', userId).execute();

    /** A new organization connected to a new test user's Page, with one customer who wrote. */
    const connected = async (orgName: string) => {
      const key = `notes-${setup.db}-${++personas}`;
      const persona = await meta.client.createPersona({ key, pages: 1, ig_ratio: 0 });
      const b = new Browser(h.url);
      const who = await signup(b, orgName);
      await connectAs(b, meta, key);
      const pageId = persona.pages[0]!.id;
      const inbound = await meta.client.inbound({ page_id: pageId, text: 'Where is my parcel?' });
      const deadline = Date.now() + 5000;
      let conv: ConversationBody | undefined;
      while (!conv) {
        await drain();
        conv = (await b.get<{ conversations: ConversationBody[] }>('/api/conversations')).body
          .conversations[0];
        if (!conv && Date.now() > deadline) assert.fail('the inbound message never arrived');
        if (!conv) await new Promise((r) => setTimeout(r, 20));
      }
      return { b, ...who, pageId, customerId: inbound.customer.id, conv };
    };
    const addAgent = async (owner: Browser, name: string | null) => {
      const m = await addMember(owner);
      if (name) await named(m.userId, name);
      return { b: m.browser, id: m.userId, email: m.email };
    };
    const note = (b: Browser, conversationId: string, text: unknown) =>
      b.post<{ message: MessageBody } & ErrorBody>(`/api/conversations/${conversationId}/notes`, { text });
    const conversation = async (b: Browser, id: string) => {
      const all = await b.get<{ conversations: ConversationBody[] }>('/api/conversations?status=all');
      return all.body.conversations.find((c) => c.id === id)!;
    };
    const mentions = async (b: Browser) =>
      (await b.get<{ mentions: MentionBody[]; unread_count: number }>('/api/mentions')).body;

    it('201 {message} with kind "note" and its author; in the thread between messages; 422 empty and 5,001 characters; 404 for another organization (R23)', async () => {
      const o = await connected('Notes Shape');
      await named(o.userId, 'Olga Owner');
      const res = await note(o.b, o.conv.id, '  Customer called twice, be gentle  ');
      assert.equal(res.status, 201, res.text);
      const m = res.body.message;
      assert.equal(m.kind, 'note');
      assert.equal(m.text, 'Customer called twice, be gentle');
      assert.deepEqual(m.author, { id: o.userId, name: 'Olga Owner' });
      assert.equal(m.mid, null);
      assert.deepEqual(m.mentions, []);
      // Newest first, like every page of the thread.
      const thread = (await o.b.get<{ messages: MessageBody[] }>(`/api/conversations/${o.conv.id}/messages`))
        .body.messages;
      assert.deepEqual(
        thread.map((x) => [x.kind, x.text]),
        [
          ['note', 'Customer called twice, be gentle'],
          ['message', 'Where is my parcel?'],
        ],
      );

      const empty = await note(o.b, o.conv.id, ' \n ');
      assert.equal(empty.status, 422);
      assert.equal(empty.body.error.code, 'text_empty');
      const long = await note(o.b, o.conv.id, 'x'.repeat(5001));
      assert.equal(long.status, 422);
      assert.equal(long.body.error.code, 'text_too_long');
      assert.equal((await note(o.b, o.conv.id, 'y'.repeat(5000))).status, 201);
      assert.equal((await note(o.b, o.conv.id, 42)).status, 400);

      const other = new Browser(h.url);
      await signup(other, 'Notes Other');
      const foreign = await note(other, o.conv.id, 'peek');
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.error.code, 'not_found');
      assert.equal((await note(o.b, 'no-such-conversation', 'hi')).status, 404);
      const foreignRead = await other.post(`/api/conversations/${o.conv.id}/mentions/read`);
      assert.equal(foreignRead.status, 404);
      // Nothing of it reached the thread of the organization that owns it.
      const after = (await o.b.get<{ messages: MessageBody[] }>(`/api/conversations/${o.conv.id}/messages`))
        .body.messages;
      assert.equal(after.filter((x) => x.kind === 'note').length, 2);
    });

    it('a note never reaches the Send API, while a reply does (the emulator records both ways)', async () => {
      const o = await connected('Notes Meta');
      const callsBefore = (await meta.client.calls({ endpoint: 'send' })).length;
      assert.equal((await note(o.b, o.conv.id, 'Internal: refund approved')).status, 201);
      assert.equal((await meta.client.calls({ endpoint: 'send' })).length, callsBefore);
      assert.deepEqual(await meta.client.sent({ page_id: o.pageId }), []);
      // The same conversation can be answered, so the Send API was there to be called.
      const reply = await o.b.post(`/api/conversations/${o.conv.id}/messages`, { text: 'Refund on its way' });
      assert.equal(reply.status, 201, reply.text);
      const onMeta = await meta.client.sent({ page_id: o.pageId });
      assert.deepEqual(
        onMeta.map((s) => s.text),
        ['Refund on its way'],
      );
    });

    it('a note leaves the preview, activity time, unread count, waiting time and status as they were', async () => {
      const o = await connected('Notes State');
      const before = await conversation(o.b, o.conv.id);
      assert.equal(before.unread_count, 1);
      assert.ok(before.waiting_since);
      await new Promise((r) => setTimeout(r, 5));
      assert.equal((await note(o.b, o.conv.id, 'Looking into it')).status, 201);
      const afterNote = await conversation(o.b, o.conv.id);
      assert.equal(afterNote.unread_count, 1);
      assert.equal(afterNote.waiting_since, before.waiting_since);
      assert.equal(afterNote.updated_at, before.updated_at);
      assert.equal(afterNote.status, 'open');
      assert.equal(afterNote.last_message?.text, 'Where is my parcel?');
      assert.equal(afterNote.last_message?.kind, 'message');
      assert.deepEqual(await o.b.get('/api/inbox/unread').then((r) => r.body), {
        conversations: 1,
        mentions: 0,
      });

      // Resolved stays resolved: a note is no customer message.
      await o.b.request('PATCH', `/api/conversations/${o.conv.id}`, { json: { status: 'resolved' } });
      assert.equal((await note(o.b, o.conv.id, 'Closed after the call')).status, 201);
      assert.equal((await conversation(o.b, o.conv.id)).status, 'resolved');
      // Read: the title's count drops; a note does not bring it back.
      await o.b.post(`/api/conversations/${o.conv.id}/read`);
      assert.equal((await note(o.b, o.conv.id, 'one more')).status, 201);
      const unread = await o.b.get<{ conversations: number }>('/api/inbox/unread');
      assert.equal(unread.body.conversations, 0);
    });

    it('a note reaches another member’s open stream as message.created; a mention reaches only the mentioned member (R23)', async () => {
      const o = await connected('Notes Live');
      await named(o.userId, 'Olga');
      const ana = await addAgent(o.b, 'Ana Lima');
      const bo = await addAgent(o.b, 'Bo');
      const anaStream = await SseStream.open(`${h.url}/api/events`, cookieHeader(ana.b.cookies));
      const boStream = await SseStream.open(`${h.url}/api/events`, cookieHeader(bo.b.cookies));
      try {
        await anaStream.connected();
        await boStream.connected();
        const res = await note(o.b, o.conv.id, 'Can you call them, @ana lima? Thanks');
        assert.equal(res.status, 201);
        assert.deepEqual(res.body.message.mentions, [{ id: ana.id, name: 'Ana Lima' }]);
        for (const stream of [anaStream, boStream]) {
          const created = await stream.waitFor(
            (e) => e.event === 'message.created' && JSON.parse(e.data).message.id === res.body.message.id,
          );
          const data = JSON.parse(created.data);
          assert.equal(data.conversation_id, o.conv.id);
          assert.equal(data.message.kind, 'note');
          assert.deepEqual(data.message.author, { id: o.userId, name: 'Olga' });
        }
        const mention = JSON.parse((await anaStream.waitFor((e) => e.event === 'mention')).data);
        assert.equal(mention.recipient_id, ana.id);
        assert.equal(mention.conversation_id, o.conv.id);
        assert.equal(mention.message_id, res.body.message.id);
        assert.deepEqual(mention.by, { id: o.userId, name: 'Olga' });
        assert.equal(mention.snippet, 'Can you call them, @ana lima? Thanks');
        // Bo heard the note but not Ana's mention; no conversation.updated either (nothing changed).
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(boStream.events.filter((e) => e.event === 'mention').length, 0);
        assert.equal(
          boStream.events.filter((e) => e.event === 'conversation.updated').length,
          0,
          'a note changes nothing of the conversation',
        );
      } finally {
        anaStream.close();
        boStream.close();
      }
    });

    it('reading mentions in one tab tells the member’s other tabs (mentions.read), and nobody else', async () => {
      const o = await connected('Notes Read Live');
      const ana = await addAgent(o.b, 'Ana');
      const bo = await addAgent(o.b, 'Bo');
      const open = (b: Browser) => SseStream.open(`${h.url}/api/events`, cookieHeader(b.cookies));
      const anaTab = await open(ana.b);
      const anaOtherTab = await open(ana.b);
      const boStream = await open(bo.b);
      try {
        for (const stream of [anaTab, anaOtherTab, boStream]) await stream.connected();
        assert.equal((await note(o.b, o.conv.id, '@ana first')).status, 201);
        assert.equal((await note(o.b, o.conv.id, '@ana and @bo second')).status, 201);
        const read = await ana.b.post<{ unread_count: number }>(
          `/api/conversations/${o.conv.id}/mentions/read`,
        );
        assert.equal(read.status, 200);
        assert.equal(read.body.unread_count, 0);
        for (const stream of [anaTab, anaOtherTab]) {
          const event = JSON.parse((await stream.waitFor((e) => e.event === 'mentions.read')).data);
          assert.deepEqual(event, {
            type: 'mentions.read',
            recipient_id: ana.id,
            conversation_id: o.conv.id,
            unread_count: 0,
          });
        }
        // Nothing left to read: nothing said.
        assert.equal((await ana.b.post(`/api/conversations/${o.conv.id}/mentions/read`)).status, 200);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(anaTab.events.filter((e) => e.event === 'mentions.read').length, 1);
        assert.equal(boStream.events.filter((e) => e.event === 'mentions.read').length, 0, 'not Bo’s read');
        assert.equal(
          (await bo.b.get<{ mentions: number }>('/api/inbox/unread')).body.mentions,
          1,
          'Bo’s mention is still unread',
        );
      } finally {
        anaTab.close();
        anaOtherTab.close();
        boStream.close();
      }
    });

    // Only where there are instances to cross (the PostgreSQL + Redis setup): defined there, not skipped here.
    if (setup.redis)
      it('across instances (PostgreSQL + Redis): a note and its mention written on one instance reach streams on another', async () => {
        // The same deployment: one database, one session secret; the live bus's Redis channels are shared.
        const other = await startHarness({
          ...setup,
          realClock: true,
          sharedDb: h.testDb,
          env: { SESSION_SECRET: h.config.sessionSecret },
        });
        try {
          const o = await connected('Notes Instances');
          const ana = await addAgent(o.b, 'Ana');
          const bo = await addAgent(o.b, 'Bo');
          const onOther = (b: Browser) => SseStream.open(`${other.url}/api/events`, cookieHeader(b.cookies));
          const anaStream = await onOther(ana.b);
          const boStream = await onOther(bo.b);
          assert.equal(anaStream.status, 200, 'a session opened on one instance streams on the other');
          try {
            await anaStream.connected();
            await boStream.connected();
            const res = await note(o.b, o.conv.id, '@ana over to you');
            assert.equal(res.status, 201);
            for (const stream of [anaStream, boStream])
              await stream.waitFor(
                (e) => e.event === 'message.created' && JSON.parse(e.data).message.id === res.body.message.id,
              );
            const mention = JSON.parse((await anaStream.waitFor((e) => e.event === 'mention')).data);
            assert.equal(mention.message_id, res.body.message.id);
            await new Promise((r) => setTimeout(r, 200));
            assert.equal(boStream.events.filter((e) => e.event === 'mention').length, 0);
          } finally {
            anaStream.close();
            boStream.close();
          }
        } finally {
          await other.close();
        }
      });

    it('mentions are stored at write time (longest name, email local part, outsiders are text), listed unread and cleared on opening', async () => {
      const o = await connected('Notes Mentions');
      await named(o.userId, 'Olga');
      const ana = await addAgent(o.b, 'Ana');
      const anaLima = await addAgent(o.b, 'Ana Lima');
      const noName = await addAgent(o.b, null);
      const local = noName.email.split('@')[0]!;
      const stranger = await connected('Notes Strangers');
      await named(stranger.userId, 'Zed');
      const res = await note(
        o.b,
        o.conv.id,
        `@Ana Lima and @${local.toUpperCase()}, ask @ana too; @Zed is not here; mail x@ana.example`,
      );
      assert.equal(res.status, 201);
      assert.deepEqual(
        new Set(res.body.message.mentions?.map((m) => m.id)),
        new Set([anaLima.id, noName.id, ana.id]),
      );
      const second = await note(o.b, o.conv.id, 'And @Ana Lima again');
      const listed = await mentions(anaLima.b);
      assert.equal(listed.unread_count, 2);
      assert.deepEqual(
        listed.mentions.map((m) => m.message_id),
        [second.body.message.id, res.body.message.id],
      );
      assert.deepEqual(listed.mentions[0]!.by, { id: o.userId, name: 'Olga' });
      assert.equal(listed.mentions[0]!.conversation_id, o.conv.id);
      assert.equal((await mentions(ana.b)).unread_count, 1);
      assert.equal((await mentions(o.b)).unread_count, 0);
      assert.equal((await mentions(stranger.b)).unread_count, 0);
      assert.equal((await anaLima.b.get<{ mentions: number }>('/api/inbox/unread')).body.mentions, 2);

      // Writing it in the thread (the view keeps the mentions for highlighting).
      const thread = (await o.b.get<{ messages: MessageBody[] }>(`/api/conversations/${o.conv.id}/messages`))
        .body.messages;
      const stored = thread.find((m) => m.id === second.body.message.id)!;
      assert.deepEqual(stored.mentions, [{ id: anaLima.id, name: 'Ana Lima' }]);

      // Opening the conversation reads one's own mentions there, nobody else's.
      const read = await anaLima.b.post<{ unread_count: number }>(
        `/api/conversations/${o.conv.id}/mentions/read`,
      );
      assert.equal(read.status, 200);
      assert.equal(read.body.unread_count, 0);
      assert.deepEqual(await mentions(anaLima.b), { mentions: [], unread_count: 0 });
      assert.equal((await mentions(ana.b)).unread_count, 1);
      // Mentioning oneself highlights, and notifies nobody.
      const self = await note(o.b, o.conv.id, 'note to @olga');
      assert.deepEqual(self.body.message.mentions, [{ id: o.userId, name: 'Olga' }]);
      assert.equal((await mentions(o.b)).unread_count, 0);
    });
  });
}
