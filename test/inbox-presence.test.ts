// Issue 12 items 6 and 7 over real HTTP, on SQLite (memory cache, memory bus) and on PostgreSQL + Redis
// (Redis cache and live bus), and across two app instances sharing one PostgreSQL schema and one Redis:
// POST/GET /api/conversations/:id/presence; a member's presence reaches another member's stream and not
// their own, nor any other organization's (404 there, R23); it expires (typing → viewing → left) and
// ends when the member's stream closes; writes are rate-limited per session without a 5xx; and the
// conversation view carries the customer panel's fields (first_contact_at, participant handle/avatar).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { cookieHeader, type SseEvent, SseStream } from './support/sse-client.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { inbound, instagramBody, mid, pageBody, psid } from './support/webhook-payloads.ts';

// Short, so expiry is seen within a test; the defaults are 40 s and 6 s.
const TIMINGS = { viewingMs: 1_500, typingMs: 500, reconnectGraceMs: 300 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type PresenceBody = {
  members: Array<{ user: { id: string; name: string }; state: string; since: string }>;
};
type PresenceEvent = { conversation_id: string; user: { id: string; name: string }; state: string };
type ConversationBody = {
  id: string;
  channel: string;
  status: string;
  assignee: { id: string; name: string } | null;
  participant: { id: string; name: string | null; handle: string | null; avatar_url?: string | null };
  first_contact_at?: string | null;
};

const presenceOf = (e: SseEvent) => JSON.parse(e.data) as PresenceEvent;
const isPresence = (userId: string, state: string, conv?: string) => (e: SseEvent) =>
  e.event === 'presence' &&
  presenceOf(e).user.id === userId &&
  presenceOf(e).state === state &&
  (conv === undefined || presenceOf(e).conversation_id === conv);

/** An organization with a connected Page and Instagram account, its owner and an agent, one conversation. */
async function team(h: Harness, name: string, agentUrl = h.url) {
  const owner = new Browser(h.url);
  const who = await signup(owner, name);
  const pageId = pageIdFor();
  const igId = `1784${pageIdFor()}`;
  await seedConnection(h, who.orgId, { pageId, igId, userId: who.userId });
  await h.testDb.database.db
    .updateTable('users')
    .set({ name: `${name} Owner` })
    .where('id', '=', who.userId)
    .execute();
  const { browser: agent, userId: agentId } = await addMember(owner, 'agent', agentUrl);
  const item = inbound(pageId, psid(), { mid: mid(), text: 'hello', timestamp: h.clock.now() });
  const secret = h.config.meta.app!.appSecret;
  assert.equal((await postWebhook(h.url, metaEscapedJson(pageBody(pageId, [item])), { secret })).status, 200);
  await h.features.inbox.processor.drain();
  const list = await owner.get<{ conversations: ConversationBody[] }>('/api/conversations');
  const conv = list.body.conversations[0]!;
  return {
    owner,
    ownerId: who.userId,
    ownerName: `${name} Owner`,
    agent,
    agentId,
    conv,
    pageId,
    igId,
  };
}

const report = (b: Browser, conv: string, state: string) =>
  b.post(`/api/conversations/${conv}/presence`, { state });
const present = async (b: Browser, conv: string) => {
  const res = await b.get<PresenceBody>(`/api/conversations/${conv}/presence`);
  assert.equal(res.status, 200, res.text);
  return res.body.members;
};
const stream = async (h: Harness | { url: string }, b: Browser) => {
  const s = await SseStream.open(`${h.url}/api/events`, cookieHeader(b.cookies));
  await s.connected();
  return s;
};

for (const setup of [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
]) {
  describe(`presence and the customer panel on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ ...setup, realClock: true, presenceTimings: TIMINGS });
    });
    after(() => h.close());

    it('a member viewing and typing reaches another member’s stream and GET, never their own stream; left ends it', async () => {
      const t = await team(h, 'Presence Org');
      const ownerStream = await stream(h, t.owner);
      const agentStream = await stream(h, t.agent);
      try {
        assert.equal((await report(t.owner, t.conv.id, 'viewing')).status, 204);
        const seen = await agentStream.waitFor(isPresence(t.ownerId, 'viewing'));
        assert.deepEqual(presenceOf(seen), {
          type: 'presence',
          conversation_id: t.conv.id,
          user: { id: t.ownerId, name: t.ownerName },
          state: 'viewing',
        });
        const members = await present(t.agent, t.conv.id);
        assert.deepEqual(
          members.map((m) => [m.user.id, m.user.name, m.state]),
          [[t.ownerId, t.ownerName, 'viewing']],
        );
        assert.ok(!Number.isNaN(Date.parse(members[0]!.since)));
        // Not yourself, in GET or on your own stream.
        assert.deepEqual(await present(t.owner, t.conv.id), []);

        assert.equal((await report(t.owner, t.conv.id, 'typing')).status, 204);
        await agentStream.waitFor(isPresence(t.ownerId, 'typing'));
        assert.equal((await present(t.agent, t.conv.id))[0]!.state, 'typing');

        // The agent's own report reaches the owner: by then the owner's stream would have had its own.
        assert.equal((await report(t.agent, t.conv.id, 'viewing')).status, 204);
        await ownerStream.waitFor(isPresence(t.agentId, 'viewing'));
        assert.equal(ownerStream.events.filter((e) => isPresence(t.ownerId, 'viewing')(e)).length, 0);
        assert.equal(ownerStream.events.filter((e) => isPresence(t.ownerId, 'typing')(e)).length, 0);

        assert.equal((await report(t.owner, t.conv.id, 'left')).status, 204);
        await agentStream.waitFor(isPresence(t.ownerId, 'left'));
        assert.deepEqual(await present(t.agent, t.conv.id), []);
      } finally {
        ownerStream.close();
        agentStream.close();
      }
    });

    it('another organization’s conversation is a 404 for presence, and its streams hear nothing (R23)', async () => {
      const t = await team(h, 'Presence Home');
      const other = await team(h, 'Presence Away');
      const otherStream = await stream(h, other.owner);
      const agentStream = await stream(h, t.agent);
      try {
        const post = await other.owner.post<{ error: { code: string } }>(
          `/api/conversations/${t.conv.id}/presence`,
          { state: 'viewing' },
        );
        assert.equal(post.status, 404);
        assert.equal(post.body.error.code, 'not_found');
        const get = await other.owner.get(`/api/conversations/${t.conv.id}/presence`);
        assert.equal(get.status, 404);
        assert.equal((await other.owner.get('/api/conversations/no-such-id/presence')).status, 404);
        // The home organization's presence goes to its own streams only.
        await report(t.owner, t.conv.id, 'typing');
        await agentStream.waitFor(isPresence(t.ownerId, 'typing'));
        // A later event in the other organization proves its stream was delivering meanwhile.
        await report(other.agent, other.conv.id, 'viewing');
        await otherStream.waitFor(isPresence(other.agentId, 'viewing'));
        assert.deepEqual(
          otherStream.events.filter((e) => e.event === 'presence').map((e) => presenceOf(e).conversation_id),
          [other.conv.id],
        );
        assert.deepEqual(
          (await present(other.owner, other.conv.id)).map((m) => m.user.id),
          [other.agentId],
        );
        assert.deepEqual(await present(t.agent, t.conv.id).then((m) => m.map((x) => x.user.id)), [t.ownerId]);
      } finally {
        otherStream.close();
        agentStream.close();
      }
    });

    it('a state outside viewing|typing|left is a 400; POST follows the CSRF rules (R25)', async () => {
      const t = await team(h, 'Presence Rules');
      assert.equal((await report(t.owner, t.conv.id, 'dancing')).status, 400);
      const cross = await t.owner.post<{ error: { code: string } }>(
        `/api/conversations/${t.conv.id}/presence`,
        { state: 'viewing' },
        { origin: 'https://evil.example' },
      );
      assert.equal(cross.status, 403);
      assert.equal(cross.body.error.code, 'csrf_rejected');
      const form = await t.owner.request(`POST`, `/api/conversations/${t.conv.id}/presence`, {
        rawBody: 'state=viewing',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(form.status, 415);
      assert.deepEqual(await present(t.agent, t.conv.id), []);
      assert.equal((await new Browser(h.url).get(`/api/conversations/${t.conv.id}/presence`)).status, 401);
    });

    it('typing runs out into viewing, viewing into left, and GET forgets the member', async () => {
      const t = await team(h, 'Presence Expiry');
      const agentStream = await stream(h, t.agent);
      try {
        await report(t.owner, t.conv.id, 'typing');
        await agentStream.waitFor(isPresence(t.ownerId, 'typing'));
        await agentStream.waitFor(isPresence(t.ownerId, 'viewing'), 3_000);
        assert.equal((await present(t.agent, t.conv.id))[0]?.state, 'viewing');
        await agentStream.waitFor(isPresence(t.ownerId, 'left'), 4_000);
        assert.deepEqual(await present(t.agent, t.conv.id), []);
        // A heartbeat in time keeps a member there past the first deadline.
        await report(t.owner, t.conv.id, 'viewing');
        await sleep(TIMINGS.viewingMs * 0.6);
        await report(t.owner, t.conv.id, 'viewing');
        await sleep(TIMINGS.viewingMs * 0.6);
        assert.equal((await present(t.agent, t.conv.id)).length, 1);
      } finally {
        agentStream.close();
      }
    });

    it('when a member’s last stream closes, the others see them leave', async () => {
      const t = await team(h, 'Presence Close');
      const agentStream = await stream(h, t.agent);
      const ownerStream = await stream(h, t.owner);
      try {
        await report(t.owner, t.conv.id, 'viewing');
        await agentStream.waitFor(isPresence(t.ownerId, 'viewing'));
        ownerStream.close();
        await agentStream.waitFor(isPresence(t.ownerId, 'left'));
        assert.deepEqual(await present(t.agent, t.conv.id), []);
      } finally {
        agentStream.close();
      }
    });

    it('a stream that closes and comes back within the grace period (the periodic reconnect) is no leaving', async () => {
      const t = await team(h, 'Presence Reconnect');
      const agentStream = await stream(h, t.agent);
      const first = await stream(h, t.owner);
      let again: SseStream | null = null;
      try {
        await report(t.owner, t.conv.id, 'viewing');
        await agentStream.waitFor(isPresence(t.ownerId, 'viewing'));
        first.close();
        again = await stream(h, t.owner);
        await sleep(TIMINGS.reconnectGraceMs * 3);
        assert.equal(agentStream.events.filter(isPresence(t.ownerId, 'left')).length, 0);
        assert.deepEqual(
          (await present(t.agent, t.conv.id)).map((m) => m.user.id),
          [t.ownerId],
        );
        // Its final close, with no stream after it, is.
        again.close();
        await agentStream.waitFor(isPresence(t.ownerId, 'left'));
      } finally {
        again?.close();
        agentStream.close();
      }
    });

    it('signing out ends the member’s presence for the others', async () => {
      const t = await team(h, 'Presence Logout');
      const agentStream = await stream(h, t.agent);
      const ownerStream = await stream(h, t.owner);
      try {
        await report(t.owner, t.conv.id, 'typing');
        await agentStream.waitFor(isPresence(t.ownerId, 'typing'));
        assert.equal((await t.owner.post('/api/auth/logout')).status < 300, true);
        await agentStream.waitFor(isPresence(t.ownerId, 'left'));
      } finally {
        ownerStream.close();
        agentStream.close();
      }
    });

    it('presence writes are limited per session: 429 rate_limited past the limit, never a 5xx', async () => {
      const t = await team(h, 'Presence Flood');
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) statuses.push((await report(t.owner, t.conv.id, 'typing')).status);
      assert.ok(
        statuses.slice(0, 40).every((s) => s === 204),
        JSON.stringify(statuses),
      );
      assert.ok(
        statuses.slice(40).every((s) => s === 429),
        JSON.stringify(statuses),
      );
      // Another member's session has its own window.
      assert.equal((await report(t.agent, t.conv.id, 'typing')).status, 204);
    });

    it('conversation views carry the customer panel: first contact, channel, handle, Parley avatar URL, assignee, status', async () => {
      const t = await team(h, 'Panel Org');
      const secret = h.config.meta.app!.appSecret;
      const customer = psid();
      const first = Date.UTC(2026, 10, 20, 9, 30, 0);
      for (const [i, at] of [first + 60_000, first, first + 3_600_000].entries()) {
        const item = inbound(t.igId, customer, { mid: mid(), text: `ig ${i}`, timestamp: at });
        assert.equal(
          (await postWebhook(h.url, metaEscapedJson(instagramBody(t.igId, [item])), { secret })).status,
          200,
        );
      }
      await h.features.inbox.processor.drain();
      await t.owner.request('PATCH', `/api/conversations/${t.conv.id}`, { json: { assignee_id: t.agentId } });
      const list = await t.owner.get<{ conversations: ConversationBody[] }>('/api/conversations?status=all');
      const ig = list.body.conversations.find((c) => c.participant.id === customer)!;
      assert.equal(ig.channel, 'instagram');
      // The oldest message's time, whatever order the webhooks came in.
      assert.equal(ig.first_contact_at, new Date(first).toISOString());
      assert.ok('handle' in ig.participant);
      const avatar = ig.participant.avatar_url ?? null;
      // Never Meta's CDN: a Parley media URL or nothing.
      assert.ok(avatar === null || /^\/api\/media\/[^/]+$/.test(avatar), String(avatar));
      const page = list.body.conversations.find((c) => c.id === t.conv.id)!;
      assert.equal(typeof page.first_contact_at, 'string');
      assert.equal(page.status, 'open');
      assert.equal(page.assignee?.id, t.agentId);
    });
  });
}

describe('presence across two instances (PostgreSQL + Redis)', () => {
  let a: Harness;
  let b: Harness;
  before(async () => {
    // One deployment: one schema, one Redis key space.
    const shared = { db: 'postgres' as const, redis: true, realClock: true, presenceTimings: TIMINGS };
    const cachePrefix = `parley-test-presence-${process.pid}-${Date.now()}:`;
    a = await startHarness({ ...shared, cachePrefix });
    b = await startHarness({ ...shared, cachePrefix, sharedDb: a.testDb });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  it('a report on one instance reaches a stream and GET on the other; its expiry and stream close too', async () => {
    const t = await team(a, 'Two Instances', b.url);
    const agentOnB = await stream(b, t.agent);
    const ownerOnA = await stream(a, t.owner);
    try {
      await report(t.owner, t.conv.id, 'viewing');
      await agentOnB.waitFor(isPresence(t.ownerId, 'viewing', t.conv.id));
      assert.deepEqual(
        (await present(t.agent, t.conv.id)).map((m) => m.user.id),
        [t.ownerId],
      );
      // Typing set on A runs out on A's timer; B's stream hears it.
      await report(t.owner, t.conv.id, 'typing');
      await agentOnB.waitFor(isPresence(t.ownerId, 'typing'));
      await agentOnB.waitFor(isPresence(t.ownerId, 'viewing'), 3_000);
      // The agent, on B, is seen from A; then the agent's stream on B closes: A hears `left`.
      await report(t.agent, t.conv.id, 'viewing');
      await ownerOnA.waitFor(isPresence(t.agentId, 'viewing'));
      agentOnB.close();
      await ownerOnA.waitFor(isPresence(t.agentId, 'left'));
      assert.deepEqual(
        (await present(t.owner, t.conv.id)).map((m) => m.user.id),
        [],
      );
    } finally {
      agentOnB.close();
      ownerOnA.close();
    }
  });
});
