// Processing stored deliveries into the inbox (R39–R45): Meta-timestamp order, receipts that never move
// a status back whatever the order, echoes matched instead of duplicated, Instagram's own shapes, every
// entry and messaging item, several processors sharing the work, and retries of a failing delivery —
// on SQLite and on PostgreSQL + Redis, with bodies signed here as Meta signs them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DeliveryInbox } from '../src/webhooks/delivery-inbox.ts';
import { WebhookProcessor } from '../src/webhooks/webhook-processor.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { dropCount, messagesOf, pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import {
  delivery,
  echo,
  inbound,
  instagramBody,
  mid,
  pageBody,
  psid,
  read,
} from './support/webhook-payloads.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

const RANK: Record<string, number> = { pending: 0, failed: 0, sent: 1, delivered: 2, read: 3 };

/** A deterministic shuffle, so a failing order can be replayed from the test name. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

for (const setup of setups) {
  describe(`webhook processing on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let secret: string;
    let orgId: string;
    let pageId: string;
    let igId: string;
    let b: Browser;

    before(async () => {
      h = await startHarness(setup);
      secret = h.config.meta.app!.appSecret;
      b = new Browser(h.url);
      const owner = await signup(b, 'Processing Org');
      orgId = owner.orgId;
      pageId = pageIdFor();
      igId = `1784${pageIdFor()}`;
      await seedConnection(h, orgId, { pageId, igId, userId: owner.userId });
    });
    after(() => h.close());

    const db = () => h.testDb.database.db;
    const deliver = async (body: unknown) => {
      const res = await postWebhook(h.url, metaEscapedJson(body), { secret });
      assert.equal(res.status, 200);
    };
    const drain = () => h.features.inbox.processor.drain();
    /**
     * Runs `fn` with the app's own processor stopped, so that every claim in it is the case's own
     * processor's; then starts it again (with its poll, which the harness leaves off until then). Without
     * it, a case's own drain found 1 of its 33 deliveries once in CI (Node 24): most likely the poll an
     * earlier case had started took the rest first.
     */
    const withoutAppProcessor = async <T>(fn: () => Promise<T>): Promise<T> => {
      await h.features.inbox.processor.stop();
      try {
        return await fn();
      } finally {
        h.features.inbox.processor.start();
      }
    };
    // The app's own processor also runs after each insert and may hold a delivery's lease while
    // drain() returns; settle() waits until every stored delivery is processed.
    const settle = async () => {
      for (let i = 0; i < 200; i++) {
        await drain();
        const left = await db()
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('processed_at', 'is', null)
          .execute();
        if (left.length === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('stored deliveries were not processed within 4 s');
    };
    const statusesOf = async (mids: string[]) => {
      const rows = await db()
        .selectFrom('messages')
        .select(['mid', 'status'])
        .where('mid', 'in', mids)
        .execute();
      return new Map(rows.map((r) => [r.mid!, r.status]));
    };
    /** A fault the database itself raises, for one message text only (allowText removes it). */
    const refuseText = async (text: string) => {
      if (setup.db === 'sqlite') {
        await sql`create trigger refuse_poison before insert on messages
          when new.text = ${sql.lit(text)} begin select raise(abort, 'refused by test trigger'); end`.execute(
          db(),
        );
      } else {
        await sql`create function refuse_poison() returns trigger language plpgsql as $$
          begin if new.text = ${sql.lit(text)} then raise exception 'refused by test trigger'; end if;
          return new; end $$`.execute(db());
        await sql`create trigger refuse_poison before insert on messages
          for each row execute function refuse_poison()`.execute(db());
      }
    };
    const allowText = async () => {
      await sql`drop trigger refuse_poison${setup.db === 'postgres' ? sql` on messages` : sql``}`.execute(
        db(),
      );
      if (setup.db === 'postgres') await sql`drop function refuse_poison()`.execute(db());
    };
    const conversationOf = (customer: string) =>
      db()
        .selectFrom('conversations')
        .selectAll()
        .where('participant_id', '=', customer)
        .executeTakeFirstOrThrow();

    it('receipts and echoes in 20 random orders: statuses only move forward and end read (R39, R40, F5)', async () => {
      const t0 = h.clock.now();
      for (let seed = 1; seed <= 20; seed++) {
        const customer = psid();
        await deliver(
          pageBody(pageId, [inbound(pageId, customer, { mid: mid(), text: 'hi', timestamp: t0 })]),
        );
        const mids = [mid(), mid(), mid()];
        const times = [t0 + 1000, t0 + 2000, t0 + 3000];
        const events = [
          ...mids.map((m, i) => echo(pageId, customer, { mid: m, text: `reply ${i}`, timestamp: times[i]! })),
          delivery(pageId, customer, { mids: [mids[0]!], watermark: times[0]! }),
          delivery(pageId, customer, { watermark: times[1]! }),
          read(pageId, customer, { watermark: times[0]!, timestamp: t0 + 5000 }),
          delivery(pageId, customer, { mids: [mids[2]!], watermark: times[2]! }),
          read(pageId, customer, { watermark: times[2]!, timestamp: t0 + 6000 }),
        ];
        const best = new Map<string, number>();
        for (const item of shuffled(events, seed)) {
          await deliver(pageBody(pageId, [item]));
          await settle();
          const now = await statusesOf(mids);
          for (const [m, status] of now) {
            const rank = RANK[status]!;
            assert.ok(rank >= (best.get(m) ?? 0), `seed ${seed}: ${m} went back to ${status}`);
            best.set(m, rank);
          }
        }
        const final = await statusesOf(mids);
        assert.deepEqual([...final.values()], ['read', 'read', 'read'], `seed ${seed}`);
        const conv = await conversationOf(customer);
        assert.equal(conv.read_watermark, times[2]);
        assert.equal(conv.delivered_watermark, times[2]);
        assert.equal(conv.unread_count, 1, 'echoes and receipts are not unread messages');
      }
    });

    it('a late receipt with an older watermark changes nothing (R39)', async () => {
      const customer = psid();
      const t = h.clock.now();
      const m = mid();
      await deliver(pageBody(pageId, [inbound(pageId, customer, { mid: mid(), text: 'q', timestamp: t })]));
      await deliver(
        pageBody(pageId, [
          echo(pageId, customer, { mid: m, text: 'a', timestamp: t + 10 }),
          read(pageId, customer, { watermark: t + 10, timestamp: t + 20 }),
        ]),
      );
      await deliver(pageBody(pageId, [delivery(pageId, customer, { mids: [m], watermark: t + 10 })]));
      await deliver(pageBody(pageId, [read(pageId, customer, { watermark: t, timestamp: t + 30 })]));
      await drain();
      assert.equal((await statusesOf([m])).get(m), 'read');
      assert.equal((await conversationOf(customer)).read_watermark, t + 10);
    });

    it('events inside one POST are applied in timestamp order, whatever their order in the body (R40)', async () => {
      const customer = psid();
      const t = h.clock.now();
      const [first, second, third] = [mid(), mid(), mid()];
      await deliver(
        pageBody(pageId, [
          inbound(pageId, customer, { mid: third, text: 'third', timestamp: t + 3 }),
          inbound(pageId, customer, { mid: first, text: 'first', timestamp: t + 1 }),
          inbound(pageId, customer, { mid: second, text: 'second', timestamp: t + 2 }),
        ]),
      );
      await drain();
      const conv = await conversationOf(customer);
      const list = await b.get<{ messages: Array<{ mid: string }> }>(
        `/api/conversations/${conv.id}/messages`,
      );
      assert.deepEqual(
        list.body.messages.map((x) => x.mid),
        [third, second, first],
      );
      const convs = await b.get<{ conversations: Array<{ id: string; last_message: { text: string } }> }>(
        '/api/conversations',
      );
      assert.equal(convs.body.conversations.find((c) => c.id === conv.id)?.last_message.text, 'third');
      assert.equal(conv.last_inbound_at, t + 3);
    });

    it('an echo of our own send is matched to the outbound row by its metadata, never stored twice (field lessons row 7)', async () => {
      const customer = psid();
      const t = h.clock.now();
      await deliver(
        pageBody(pageId, [inbound(pageId, customer, { mid: mid(), text: 'hello', timestamp: t })]),
      );
      await drain();
      const conv = await conversationOf(customer);
      const ours = randomUUID();
      // As the reply service leaves it while the Send API call is in flight.
      await db()
        .insertInto('messages')
        .values({
          id: ours,
          org_id: orgId,
          conversation_id: conv.id,
          mid: null,
          direction: 'outbound',
          text: 'our reply',
          attachments: '[]',
          status: 'pending',
          sent_at: t + 5,
          meta_at: null,
          reaction: null,
          deleted_at: null,
          sent_by_user_id: null,
          error: null,
          created_at: t + 5,
          updated_at: t + 5,
        })
        .execute();
      const m = mid();
      const body = pageBody(pageId, [
        echo(pageId, customer, { mid: m, text: 'our reply', timestamp: t + 7, metadata: `parley:${ours}` }),
      ]);
      await deliver(body);
      await deliver(body);
      await drain();
      const outbound = (await messagesOf(h, orgId)).filter(
        (x) => x.conversation_id === conv.id && x.direction === 'outbound',
      );
      assert.equal(outbound.length, 1);
      assert.equal(outbound[0]!.id, ours);
      assert.equal(outbound[0]!.mid, m);
      assert.equal(outbound[0]!.status, 'sent');
      assert.equal(outbound[0]!.meta_at, t + 7);
      // An echo of something a person sent from Meta's own inbox is part of the thread, as outbound.
      const fromPageInbox = mid();
      await deliver(
        pageBody(pageId, [
          echo(pageId, customer, {
            mid: fromPageInbox,
            text: 'sent from Meta Business Suite',
            timestamp: t + 9,
          }),
        ]),
      );
      await drain();
      const after = (await messagesOf(h, orgId)).filter((x) => x.mid === fromPageInbox);
      assert.equal(after.length, 1);
      assert.equal(after[0]!.direction, 'outbound');
      assert.equal((await conversationOf(customer)).unread_count, 1);
    });

    it('Instagram: routed by the Instagram account id; echoes, messaging_seen (read.mid), reactions and unsend', async () => {
      const igsid = psid();
      const t = h.clock.now();
      const [incoming, reply, later] = [mid(), mid(), mid()];
      await deliver(
        instagramBody(igId, [
          inbound(igId, igsid, { mid: incoming, text: 'ça va? 📸', timestamp: t }),
          echo(igId, igsid, { mid: reply, text: 'oui', timestamp: t + 10 }),
          echo(igId, igsid, { mid: later, text: 'et toi?', timestamp: t + 20 }),
        ]),
      );
      await drain();
      const conv = await conversationOf(igsid);
      assert.equal(conv.channel, 'instagram');
      assert.equal(conv.account_id, igId);
      await deliver(instagramBody(igId, [read(igId, igsid, { mid: reply, timestamp: t + 30 })]));
      await deliver(
        instagramBody(igId, [
          {
            sender: { id: igsid },
            recipient: { id: igId },
            timestamp: t + 40,
            reaction: { mid: reply, action: 'react', reaction: 'love', emoji: '❤️' },
          },
          {
            sender: { id: igsid },
            recipient: { id: igId },
            timestamp: t + 50,
            message: { mid: incoming, is_deleted: true },
          },
        ]),
      );
      await drain();
      const statuses = await statusesOf([reply, later]);
      assert.equal(statuses.get(reply), 'read');
      assert.equal(statuses.get(later), 'sent', 'seen up to `reply` only');
      const list = await b.get<{
        messages: Array<{ mid: string; text: string | null; deleted?: boolean; reaction?: string | null }>;
      }>(`/api/conversations/${conv.id}/messages`);
      const byMid = new Map(list.body.messages.map((x) => [x.mid, x]));
      assert.equal(byMid.get(reply)?.reaction, '❤️');
      assert.equal(byMid.get(incoming)?.deleted, true);
      assert.equal(byMid.get(incoming)?.text, null);
      const stored = await db()
        .selectFrom('messages')
        .select('text')
        .where('mid', '=', incoming)
        .executeTakeFirstOrThrow();
      assert.equal(stored.text, null, 'the unsent text is erased, not hidden');
    });

    it('every entry and every messaging item: postbacks, attachments, quick replies; unknown kinds counted (R43, R44)', async () => {
      const [a, c] = [psid(), psid()];
      const stranger = pageIdFor();
      const t = h.clock.now();
      const pm = mid();
      await deliver({
        object: 'page',
        entry: [
          {
            id: pageId,
            time: t,
            messaging: [
              inbound(pageId, a, { mid: mid(), text: 'one', timestamp: t }),
              {
                sender: { id: a },
                recipient: { id: pageId },
                timestamp: t + 1,
                postback: { mid: pm, title: 'Get Started', payload: 'GET_STARTED' },
              },
              { sender: { id: a }, recipient: { id: pageId }, timestamp: t + 2, optin: { ref: 'x' } },
            ],
          },
          {
            id: pageId,
            time: t,
            messaging: [
              {
                sender: { id: c },
                recipient: { id: pageId },
                timestamp: t + 3,
                message: { mid: mid(), text: 'Red', quick_reply: { payload: 'RED' } },
              },
              {
                sender: { id: c },
                recipient: { id: pageId },
                timestamp: t + 4,
                message: {
                  mid: mid(),
                  attachments: [{ type: 'image', payload: { url: 'https://scontent.example/x.jpg' } }],
                },
              },
            ],
          },
          {
            id: stranger,
            time: t,
            messaging: [inbound(stranger, psid(), { mid: mid(), text: 'lost', timestamp: t })],
          },
        ],
      });
      await drain();
      const texts = await messagesOf(h, orgId);
      assert.ok(texts.some((m) => m.mid === pm && m.text === 'Get Started' && m.direction === 'inbound'));
      const convC = await conversationOf(c);
      const list = await b.get<{
        messages: Array<{ text: string | null; attachments: Array<{ type: string; url: string | null }> }>;
      }>(`/api/conversations/${convC.id}/messages`);
      // Meta's CDN address is never shown: the file is being kept (issue 13, CONTRACT §6 media).
      assert.deepEqual(list.body.messages[0]!.attachments, [
        { type: 'image', url: null, mime_type: null, size: null, name: null, status: 'pending' },
      ]);
      assert.equal(list.body.messages[1]!.text, 'Red');
      assert.equal((list.body.messages[1] as { payload?: string }).payload, 'RED');
      assert.equal((await conversationOf(a)).unread_count, 2);
      assert.equal(await dropCount(h, 'unsupported_event', pageId), 1);
      assert.equal(await dropCount(h, 'unknown_account', stranger), 1);
    });

    it('two processors draining at once (two instances) process each delivery exactly once (R39, F4)', async () => {
      const customer = psid();
      const t = h.clock.now();
      // More than one claim of the app's processor (50 on SQLite, 200 on PostgreSQL), so both find work.
      const mids = Array.from({ length: 450 }, () => mid());
      // Stored without the HTTP route's kick, so both processors find all 450 waiting.
      const intake = new DeliveryInbox(db(), h.deps.now);
      const ids = await Promise.all(
        mids.map((m, i) =>
          intake.append(
            Buffer.from(
              metaEscapedJson(
                pageBody(pageId, [inbound(pageId, customer, { mid: m, text: `n${i}`, timestamp: t + i })]),
              ),
            ),
          ),
        ),
      );
      const other = new WebhookProcessor({
        database: h.deps.database,
        logger: h.deps.logger,
        now: h.deps.now,
        bus: h.features.inbox.bus,
        profiles: h.features.inbox.profiles,
        batchSize: 3,
      });
      const [x, y] = await Promise.all([other.drain(), drain()]);
      assert.equal(x + y, 450, 'between them, every delivery once');
      assert.ok(x > 0 && y > 0, `both took part (${x} + ${y})`);
      const rows = await db()
        .selectFrom('webhook_deliveries')
        .select(['attempts', 'outcome'])
        .where('id', 'in', ids)
        .execute();
      assert.ok(
        rows.every((r) => r.outcome === 'processed' && r.attempts === 1),
        'no delivery was claimed twice',
      );
      assert.equal((await conversationOf(customer)).unread_count, 450);
    });

    it('a stop mid-drain applies the batch already claimed ahead: no delivery is left leased (F7)', async () => {
      const customer = psid();
      const t = h.clock.now();
      const intake = new DeliveryInbox(db(), h.deps.now);
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const body = pageBody(pageId, [
          inbound(pageId, customer, { mid: mid(), text: `s${i}`, timestamp: t + i }),
        ]);
        ids.push(await intake.append(Buffer.from(metaEscapedJson(body))));
      }
      await withoutAppProcessor(async () => {
        let stopped: Promise<void> | undefined;
        const processor: WebhookProcessor = new WebhookProcessor({
          database: h.deps.database,
          logger: h.deps.logger,
          now: h.deps.now,
          batchSize: 5,
          eventsPerTransaction: 5,
          lanes: 1,
          leaseMs: 3_600_000,
          // The first batch committed (and, on PostgreSQL, the next is being claimed): a shutdown begins.
          committed: async () => {
            stopped ??= processor.stop();
          },
        });
        const processed = await processor.drain();
        await stopped;
        // PostgreSQL claims the next batch while applying one: that batch is applied before stop() ends.
        assert.equal(processed, setup.db === 'postgres' ? 10 : 5);
        const rows = await db()
          .selectFrom('webhook_deliveries')
          .select(['processed_at', 'claimed_until'])
          .where('id', 'in', ids)
          .execute();
        assert.equal(rows.filter((r) => r.processed_at !== null).length, processed);
        assert.equal(
          rows.filter((r) => r.processed_at === null && r.claimed_until !== null).length,
          0,
          'nothing left leased for an hour',
        );
      });
      await settle();
      assert.equal((await conversationOf(customer)).unread_count, 30);
    });

    it('a delivery whose processing fails is retried with backoff, then applied once (R45)', async () => {
      const customer = psid();
      const t = h.clock.now();
      await sql`alter table messages rename to messages_away`.execute(db());
      try {
        await deliver(
          pageBody(pageId, [inbound(pageId, customer, { mid: mid(), text: 'retry me', timestamp: t })]),
        );
        await drain();
      } finally {
        await sql`alter table messages_away rename to messages`.execute(db());
      }
      const pending = await db()
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('processed_at', 'is', null)
        .execute();
      assert.equal(pending.length, 1);
      assert.equal(pending[0]!.attempts, 1);
      assert.ok(pending[0]!.claimed_until! > h.clock.now(), 'not claimable before its backoff');
      assert.equal(await drain(), 0, 'waits for its backoff');
      h.clock.advance(5_000);
      await drain();
      const done = await db()
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', pending[0]!.id)
        .executeTakeFirstOrThrow();
      assert.equal(done.outcome, 'processed');
      assert.equal(done.attempts, 2);
      assert.equal((await messagesOf(h, orgId)).filter((m) => m.text === 'retry me').length, 1);
    });

    it('deliveries are applied several to a transaction, yet one that fails holds back none of the others (R45)', async () => {
      const customer = psid();
      const t = h.clock.now();
      const poison = `poison-${mid()}`;
      await refuseText(poison);
      const intake = new DeliveryInbox(db(), h.deps.now);
      const texts = ['one', 'two', poison, 'three', 'four'];
      let ids: string[];
      try {
        ids = await Promise.all(
          texts.map((text, i) =>
            intake.append(
              Buffer.from(
                metaEscapedJson(
                  pageBody(pageId, [inbound(pageId, customer, { mid: mid(), text, timestamp: t + i })]),
                ),
              ),
            ),
          ),
        );
        assert.equal(await drain(), 5, 'all five claimed in one batch');
      } finally {
        await allowText();
      }
      const rows = await db()
        .selectFrom('webhook_deliveries')
        .select(['id', 'outcome', 'attempts', 'error'])
        .where('id', 'in', ids)
        .execute();
      const poisonRow = rows.find((r) => r.id === ids[2])!;
      assert.equal(poisonRow.outcome, null, 'the failing one waits for its retry');
      assert.match(poisonRow.error ?? '', /refused by test trigger/);
      assert.deepEqual(
        rows.filter((r) => r.id !== ids[2]).map((r) => r.outcome),
        ['processed', 'processed', 'processed', 'processed'],
      );
      assert.equal((await conversationOf(customer)).unread_count, 4);
      h.clock.advance(5_000);
      await drain();
      assert.equal((await conversationOf(customer)).unread_count, 5, 'applied once its fault is gone');
      const conversationId = (await conversationOf(customer)).id;
      const stored = (await messagesOf(h, orgId)).filter((m) => m.conversation_id === conversationId);
      assert.deepEqual(stored.map((m) => m.text).sort(), [...texts].sort(), 'each message stored once');
    });

    it('one batch from several organizations: each message in its own inbox and its own changes, in shared statements (R23, R27, R43)', async () => {
      const t = h.clock.now();
      // Three more organizations, each with its Page (one also with its Instagram account).
      const orgs: Array<{ orgId: string; pageId: string; igId: string }> = [];
      for (const name of ['Batch A', 'Batch B', 'Batch C']) {
        const owner = await signup(new Browser(h.url), name);
        const o = { orgId: owner.orgId, pageId: pageIdFor(), igId: `1784${pageIdFor()}` };
        await seedConnection(h, o.orgId, { pageId: o.pageId, igId: o.igId, userId: owner.userId });
        orgs.push(o);
      }
      // Five people per Page, two messages each, and one person on Instagram with two: 32 new messages
      // in 16 new conversations (powers of two, so SQLite's statement shapes make one statement each).
      const people = orgs.map(() => Array.from({ length: 5 }, () => psid()));
      const igPerson = psid();
      const bodies: unknown[] = [];
      for (let round = 0; round < 2; round++) {
        orgs.forEach((o, k) => {
          for (const [i, person] of people[k]!.entries()) {
            const m = {
              mid: mid(),
              text: `${o.orgId}:${i}:${round}`,
              timestamp: t + round * 100 + k * 10 + i,
            };
            bodies.push(pageBody(o.pageId, [inbound(o.pageId, person, m)]));
          }
        });
        const ig = orgs[1]!.igId;
        bodies.push(
          instagramBody(ig, [
            inbound(ig, igPerson, { mid: mid(), text: `ig:${round}`, timestamp: t + 50 + round * 100 }),
          ]),
        );
      }
      const stranger = pageIdFor();
      bodies.push(
        pageBody(stranger, [inbound(stranger, psid(), { mid: mid(), text: 'nobody', timestamp: t + 600 })]),
      );
      const dropsBefore = await dropCount(h, 'unknown_account', stranger);

      // The statements of this batch, as the database receives them, and what each organization's
      // browsers would be told (the changes handed on after the commit).
      const statements: string[] = [];
      const counted = h.deps.database.db.withPlugin({
        transformQuery: (args) => {
          statements.push(h.deps.database.db.getExecutor().compileQuery(args.node, args.queryId).sql);
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const told = new Map<string, string[]>();
      const processor = new WebhookProcessor({
        database: { ...h.deps.database, db: counted },
        logger: h.deps.logger,
        now: h.deps.now,
        committed: async (orgId, changes) => {
          told.set(orgId, [...(told.get(orgId) ?? []), ...[...changes.created.values()].map((m) => m.text!)]);
        },
        lanes: 1,
        eventsPerTransaction: 1000,
        batchSize: 1000,
      });
      await processor.drain(); // its first claim is small; from the second on it claims the batch size
      await withoutAppProcessor(async () => {
        const intake = new DeliveryInbox(db(), h.deps.now);
        for (const body of bodies) await intake.append(Buffer.from(metaEscapedJson(body)));
        statements.length = 0;
        assert.equal(await processor.drain(), bodies.length, 'one claim');
      });

      for (const [k, o] of orgs.entries()) {
        const stored = await messagesOf(h, o.orgId);
        const expected = people[k]!.flatMap((_, i) => [`${o.orgId}:${i}:0`, `${o.orgId}:${i}:1`]);
        if (k === 1) expected.push('ig:0', 'ig:1');
        assert.deepEqual(stored.map((m) => m.text).sort(), expected.sort(), 'only its own messages');
        assert.deepEqual(told.get(o.orgId)?.sort(), expected.sort(), 'its own changes only');
        for (const person of people[k]!) {
          const c = await conversationOf(person);
          assert.equal(c.org_id, o.orgId);
          assert.equal(c.unread_count, 2);
        }
      }
      const ig = await conversationOf(igPerson);
      assert.deepEqual([ig.org_id, ig.channel, ig.unread_count], [orgs[1]!.orgId, 'instagram', 2]);
      assert.equal(await dropCount(h, 'unknown_account', stranger), dropsBefore + 1);
      // Shared, not per organization: one routing statement per channel, and one each to insert,
      // lock and update the conversations and to insert the messages, for the three organizations.
      const count = (re: RegExp) => statements.filter((q) => re.test(q)).length;
      assert.equal(count(/from "organization_meta_settings"/), 2, 'routing: Messenger and Instagram');
      assert.equal(count(/^insert into "conversations"/), 1, 'one insert of the new conversations');
      assert.equal(count(/^insert into "messages"/), 1, 'one insert of the messages');
      assert.equal(count(/^select \* from "conversations" where "id" in/), 1, 'one lock');
      assert.equal(count(/update conversations as c set\s+unread_count/), 1, 'one update of the counters');
    });

    it('a large batch applied in two lanes: a fault in one lane holds back nothing, and nothing is applied twice (R39, R45)', async () => {
      const t = h.clock.now();
      const people = [psid(), psid(), psid(), psid()];
      const poison = `poison-${mid()}`;
      await refuseText(poison);
      // 440 single-event deliveries, 110 for each person: one claim, two lanes of at least 200 events.
      const texts = Array.from({ length: 440 }, (_, i) => (i === 5 ? poison : `lane-${i}`));
      const announced: string[] = [];
      const unsubscribe = await h.features.inbox.bus.subscribe(orgId, (e) => {
        if (e.type === 'message.created' && e.message.text) announced.push(e.message.text);
      });
      const intake = new DeliveryInbox(db(), h.deps.now);
      const store = (list: string[], from: number) =>
        Promise.all(
          list.map((text, i) =>
            intake.append(
              Buffer.from(
                metaEscapedJson(
                  pageBody(pageId, [
                    inbound(pageId, people[i % 4]!, { mid: mid(), text, timestamp: t + from + i }),
                  ]),
                ),
              ),
            ),
          ),
        );
      const laned = new WebhookProcessor({
        database: h.deps.database,
        logger: h.deps.logger,
        now: h.deps.now,
        bus: h.features.inbox.bus,
        profiles: h.features.inbox.profiles,
        lanes: 2,
        eventsPerTransaction: 1000,
        batchSize: 1000,
      });
      // A processor's first claim is small (FIRST_CLAIM); from its second on it claims the batch size.
      let ids: string[];
      try {
        ids = await withoutAppProcessor(async () => {
          await store(['warm-up'], 0);
          assert.equal(await laned.drain(), 1);
          const stored = await store(texts, 1);
          assert.equal(await laned.drain(), 440);
          return stored;
        });
      } finally {
        await allowText();
      }
      const rows = await db()
        .selectFrom('webhook_deliveries')
        .select(['id', 'outcome', 'attempts'])
        .where('id', 'in', ids)
        .execute();
      const outcomes = new Map(rows.map((r) => [r.id, r]));
      assert.equal(outcomes.get(ids[5]!)!.outcome, null, 'the failing one waits for its retry');
      assert.ok(
        ids.every(
          (id, i) =>
            i === 5 || (outcomes.get(id)!.outcome === 'processed' && outcomes.get(id)!.attempts === 1),
        ),
        'every other delivery processed, in its first attempt',
      );
      // The lane without the fault committed; its deliveries were then applied again one by one, which
      // must add nothing: 110 unread each, 109 for the one whose message failed, one more for the warm-up.
      const unread = await Promise.all(people.map(async (p) => (await conversationOf(p)).unread_count));
      assert.deepEqual(
        unread.sort((a, b) => a - b),
        [109, 110, 110, 111],
        'the first person also has the warm-up',
      );
      const stored = (await messagesOf(h, orgId)).filter((m) => m.text?.startsWith('lane-'));
      assert.equal(stored.length, 439);
      assert.equal(new Set(stored.map((m) => m.mid)).size, 439, 'each message stored once');
      // Also the committed lane's messages reached open browsers, though its batch as a whole failed.
      unsubscribe();
      assert.deepEqual(
        [...new Set(announced)].filter((x) => x.startsWith('lane-')).sort(),
        stored.map((m) => m.text!).sort(),
      );
    });
  });
}
