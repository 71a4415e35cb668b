// Issue 12's assignment and authors over real HTTP, on SQLite and on PostgreSQL + Redis (CONTRACT §6):
// PATCH assignee_id (any member; 422 not_a_member for someone outside the organization; 404 for another
// organization's conversation; live conversation.updated), the assignee filter combined with status,
// channel, search and the cursor, the Mine/Unassigned counts, a reply taking an unassigned conversation,
// removing a member unassigning theirs, and message authors (member, Meta's apps, customer).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { samplePng } from '../emulator/cdn-files.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { echo, inbound, instagramBody, mid, pageBody, psid } from './support/webhook-payloads.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

type Person = { id: string | null; name: string };
type ConversationBody = {
  id: string;
  status: 'open' | 'resolved';
  assignee: { id: string; name: string } | null;
  participant: { id: string };
  last_message: { text: string | null; author?: Person | null } | null;
};
type ListBody = { conversations: ConversationBody[]; next_cursor: string | null };
type MessagesBody = { messages: Array<{ text: string | null; direction: string; author?: Person | null }> };
type ErrorBody = { error: { code: string } };

for (const setup of setups) {
  describe(`inbox assignment and authors on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
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
    const named = (userId: string, name: string) =>
      h.testDb.database.db.updateTable('users').set({ name }).where('id', '=', userId).execute();
    const addAgent = async (owner: Browser) => {
      const m = await addMember(owner);
      return { b: m.browser, id: m.userId, email: m.email };
    };
    const writes = async (account: string, customer: string, text: string, ig = false) => {
      const item = inbound(account, customer, { mid: mid(), text, timestamp: h.clock.now() });
      const body = ig ? instagramBody(account, [item]) : pageBody(account, [item]);
      assert.equal((await postWebhook(h.url, metaEscapedJson(body), { secret })).status, 200);
    };
    const drain = () => h.features.inbox.processor.drain();
    const patch = <T>(b: Browser, id: string, json: unknown) =>
      b.request<T>('PATCH', `/api/conversations/${id}`, { json });
    const list = async (b: Browser, query = '') => {
      const res = await b.get<ListBody>(`/api/conversations${query}`);
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const ids = async (b: Browser, query = '') => (await list(b, query)).conversations.map((c) => c.id);
    const counts = async (b: Browser) =>
      (await b.get<{ mine: number; unassigned: number }>('/api/conversations/counts')).body;

    it('any member assigns to any member or nobody; the view names the assignee; 422 for a non-member, 404 across organizations', async () => {
      const o = await org('Assign Org');
      await named(o.userId, 'Olga Owner');
      const agent = await addAgent(o.b);
      await writes(o.pageId, psid(), 'hello');
      await drain();
      const conv = (await list(o.b)).conversations[0]!;
      assert.equal(conv.assignee, null);
      const res = await patch<{ conversation: ConversationBody }>(agent.b, conv.id, {
        assignee_id: o.userId,
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.conversation.assignee, { id: o.userId, name: 'Olga Owner' });
      // Without a display name, the member's email.
      const toAgent = await patch<{ conversation: ConversationBody }>(o.b, conv.id, {
        assignee_id: agent.id,
      });
      assert.deepEqual(toAgent.body.conversation.assignee, { id: agent.id, name: agent.email });
      assert.deepEqual((await list(o.b)).conversations[0]!.assignee, { id: agent.id, name: agent.email });
      const none = await patch<{ conversation: ConversationBody }>(o.b, conv.id, { assignee_id: null });
      assert.equal(none.body.conversation.assignee, null);

      const other = await org('Assign Other');
      const outsider = await patch<ErrorBody>(o.b, conv.id, { assignee_id: other.userId });
      assert.equal(outsider.status, 422);
      assert.equal(outsider.body.error.code, 'not_a_member');
      const unknown = await patch<ErrorBody>(o.b, conv.id, { assignee_id: 'no-such-user' });
      assert.equal(unknown.body.error.code, 'not_a_member');
      const foreign = await patch<ErrorBody>(other.b, conv.id, { assignee_id: other.userId });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.error.code, 'not_found');
      assert.equal((await list(o.b)).conversations[0]!.assignee, null);
    });

    it('assignee=me|unassigned|<id> filters with status, channel and search, the cursor walks it, and counts Mine and Unassigned', async () => {
      const o = await org('Filter Org');
      const agent = await addAgent(o.b);
      // The oldest (so the last listed, and left unassigned below) on Instagram.
      await writes(o.igId, psid(), 'insta question', true);
      for (let i = 0; i < 30; i++) {
        h.clock.advance(1000);
        await writes(o.pageId, psid(), `question ${i}`);
      }
      await drain();
      const page1 = await list(o.b, '?status=all');
      const page2 = await list(o.b, `?status=all&cursor=${encodeURIComponent(page1.next_cursor!)}`);
      const all = [...page1.conversations, ...page2.conversations];
      assert.equal(all.length, 31);
      const mine = all.slice(0, 27).map((c) => c.id);
      for (const id of mine) await patch(o.b, id, { assignee_id: o.userId });
      await patch(o.b, all[27]!.id, { assignee_id: agent.id });
      await patch(o.b, mine[0]!, { status: 'resolved' });

      const first = await list(o.b, '?assignee=me');
      assert.equal(first.conversations.length, 25);
      assert.ok(first.next_cursor);
      const second = await list(o.b, `?assignee=me&cursor=${encodeURIComponent(first.next_cursor!)}`);
      assert.equal(second.next_cursor, null);
      assert.deepEqual(
        new Set([...first.conversations, ...second.conversations].map((c) => c.id)),
        new Set(mine.slice(1)),
      );
      assert.deepEqual(await ids(o.b, '?assignee=me&status=resolved'), [mine[0]]);
      assert.equal((await ids(o.b, '?assignee=me&sort=waiting')).length, 25);
      assert.deepEqual(await ids(agent.b, '?assignee=me'), [all[27]!.id]);
      assert.deepEqual(await ids(o.b, `?assignee=${agent.id}`), [all[27]!.id]);
      const unassigned = all.slice(28).map((c) => c.id);
      assert.deepEqual(new Set(await ids(o.b, '?assignee=unassigned')), new Set(unassigned));
      assert.equal((await ids(o.b, '?assignee=unassigned&channel=instagram')).length, 1);
      assert.deepEqual(await ids(o.b, '?assignee=me&channel=instagram'), []);
      assert.equal((await ids(o.b, '?assignee=unassigned&q=insta')).length, 1);
      assert.deepEqual(await ids(o.b, '?assignee=me&q=insta'), []);
      assert.equal((await ids(o.b, '?assignee=me&q=question')).length > 0, true);

      assert.deepEqual(await counts(o.b), { mine: 26, unassigned: unassigned.length });
      assert.deepEqual(await counts(agent.b), { mine: 1, unassigned: unassigned.length });
      const other = await org('Filter Other');
      assert.deepEqual(await counts(other.b), { mine: 0, unassigned: 0 });
      assert.deepEqual(await ids(other.b, `?assignee=${o.userId}&status=all`), []);
    });

    it('an assignment change reaches open browsers as conversation.updated', async () => {
      const o = await org('Live Assign Org');
      await named(o.userId, 'Lia');
      await writes(o.pageId, psid(), 'hi');
      await drain();
      const conv = (await list(o.b)).conversations[0]!;
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(o.b.cookies));
      try {
        await stream.connected();
        await patch(o.b, conv.id, { assignee_id: o.userId });
        const e = await stream.waitFor(
          (ev) => ev.event === 'conversation.updated' && JSON.parse(ev.data).conversation.assignee !== null,
        );
        assert.deepEqual(JSON.parse(e.data).conversation.assignee, { id: o.userId, name: 'Lia' });
      } finally {
        stream.close();
      }
    });

    it('a reply to an unassigned conversation assigns it to the replier, never taking one from its assignee; its author is the member', async () => {
      const o = await org('Reply Assign Org');
      await named(o.userId, 'Ana');
      const agent = await addAgent(o.b);
      await writes(o.pageId, psid(), 'first');
      await writes(o.pageId, psid(), 'second');
      await drain();
      const [a, b] = (await list(o.b)).conversations;
      await patch(o.b, b!.id, { assignee_id: agent.id });
      h.clock.advance(1000);
      // No Meta in this harness: the send fails (502) after the reply is stored, which is when it
      // takes the conversation.
      for (const c of [a!, b!]) {
        const res = await o.b.post(`/api/conversations/${c.id}/messages`, { text: 'On it' });
        assert.equal(res.status, 502);
      }
      const after = (await list(o.b)).conversations;
      assert.deepEqual(after.find((c) => c.id === a!.id)!.assignee, { id: o.userId, name: 'Ana' });
      assert.equal(after.find((c) => c.id === b!.id)!.assignee!.id, agent.id);
      assert.deepEqual(after.find((c) => c.id === a!.id)!.last_message!.author, {
        id: o.userId,
        name: 'Ana',
      });
      const thread = (await o.b.get<MessagesBody>(`/api/conversations/${a!.id}/messages`)).body.messages;
      assert.deepEqual(
        thread.map((m) => [m.direction, m.author]),
        [
          ['outbound', { id: o.userId, name: 'Ana' }],
          ['inbound', null],
        ],
      );
    });

    it('a file sent to an unassigned conversation assigns it to the sender too', async () => {
      const o = await org('File Assign Org');
      await writes(o.pageId, psid(), 'send me the photo');
      await drain();
      const conv = (await list(o.b)).conversations[0]!;
      h.clock.advance(1000);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(samplePng('cake'))], { type: 'image/png' }), 'cake.png');
      const res = await fetch(`${h.url}/api/conversations/${conv.id}/attachments`, {
        method: 'POST',
        body: form,
        headers: {
          cookie: [...o.b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-parley-upload': '1',
        },
      });
      // No Meta in this harness: stored, then refused by the (absent) Send API.
      assert.equal(res.status, 502);
      const after = (await list(o.b)).conversations[0]!;
      assert.equal(after.assignee?.id, o.userId);
    });

    it("an echo of a reply made in Meta's own apps is authored by Facebook or Instagram", async () => {
      const o = await org('Echo Author Org');
      const fbCustomer = psid();
      const igCustomer = psid();
      await writes(o.pageId, fbCustomer, 'fb hi');
      await writes(o.igId, igCustomer, 'ig hi', true);
      await drain();
      const t = h.clock.now() + 1000;
      await postWebhook(
        h.url,
        metaEscapedJson(
          pageBody(o.pageId, [echo(o.pageId, fbCustomer, { mid: mid(), text: 'from FB', timestamp: t })]),
        ),
        { secret },
      );
      await postWebhook(
        h.url,
        metaEscapedJson(
          instagramBody(o.igId, [echo(o.igId, igCustomer, { mid: mid(), text: 'from IG', timestamp: t })]),
        ),
        { secret },
      );
      await drain();
      const convs = (await list(o.b)).conversations;
      const byText = new Map(convs.map((c) => [c.last_message?.text, c]));
      assert.deepEqual(byText.get('from FB')!.last_message!.author, { id: null, name: 'Facebook' });
      assert.deepEqual(byText.get('from IG')!.last_message!.author, { id: null, name: 'Instagram' });
      // An echo is not a member's reply: it assigns nobody.
      assert.equal(byText.get('from FB')!.assignee, null);
    });

    it("removing a member unassigns that member's conversations, announced live", async () => {
      const o = await org('Remove Org');
      const agent = await addAgent(o.b);
      await writes(o.pageId, psid(), 'one');
      await writes(o.pageId, psid(), 'two');
      await drain();
      const [x, y] = (await list(o.b)).conversations;
      await patch(o.b, x!.id, { assignee_id: agent.id });
      await patch(o.b, y!.id, { assignee_id: o.userId });
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(o.b.cookies));
      try {
        await stream.connected();
        assert.equal((await o.b.request('DELETE', `/api/organization/members/${agent.id}`)).status, 204);
        const e = await stream.waitFor(
          (ev) => ev.event === 'conversation.updated' && JSON.parse(ev.data).conversation.id === x!.id,
        );
        assert.equal(JSON.parse(e.data).conversation.assignee, null);
      } finally {
        stream.close();
      }
      const now = (await list(o.b)).conversations;
      assert.equal(now.find((c) => c.id === x!.id)!.assignee, null);
      assert.equal(now.find((c) => c.id === y!.id)!.assignee!.id, o.userId);
      assert.deepEqual(await counts(o.b), { mine: 1, unassigned: 1 });
    });
  });
}
