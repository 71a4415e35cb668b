// The webhook receiver over real HTTP (CONTRACT §5): the verification handshake, signatures over the
// raw bytes, the body limit, durable storage before the 200, and honest failure — on SQLite and on
// PostgreSQL + Redis. Bodies are signed here with the app's secret, as Meta signs them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { countRows, dropCount, messagesOf, pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { hubSignature, metaEscapedJson, postWebhook, WEBHOOK_PATH } from './support/webhook-client.ts';
import { inbound, mid, pageBody, psid } from './support/webhook-payloads.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

/** The app's log lines with this message, parsed. */
const logLines = (h: Harness, msg: string) =>
  h.logs
    .join('')
    .split('\n')
    .filter((line) => line.includes(`"msg":"${msg}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

for (const setup of setups) {
  describe(`webhook receiver on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let secret: string;
    let verifyToken: string;
    let orgId: string;
    let pageId: string;

    before(async () => {
      h = await startHarness(setup);
      secret = h.config.meta.app!.appSecret;
      verifyToken = h.config.meta.app!.verifyToken;
      const b = new Browser(h.url);
      const owner = await signup(b, 'Receiver Org');
      orgId = owner.orgId;
      pageId = pageIdFor();
      await seedConnection(h, orgId, { pageId, userId: owner.userId });
    });
    after(() => h.close());

    const drain = () => h.features.inbox.processor.drain();
    const handshake = (params: Record<string, string | undefined>) =>
      fetch(
        `${h.url}${WEBHOOK_PATH}?${new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))}`,
      );

    it('GET handshake echoes the challenge as text/plain only for subscribe + the right verify token (R37)', async () => {
      const ok = await handshake({
        'hub.mode': 'subscribe',
        'hub.verify_token': verifyToken,
        'hub.challenge': '1158201444',
      });
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await ok.text(), '1158201444');
      for (const params of [
        { 'hub.mode': 'subscribe', 'hub.verify_token': `${verifyToken}x`, 'hub.challenge': '1' },
        { 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken.slice(0, -1), 'hub.challenge': '1' },
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1' },
        { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
        {
          'hub.mode': 'subscribe',
          'hub.verify_token': verifyToken,
          'hub.challenge': '<script>alert(1)</script>',
        },
      ]) {
        const refused = await handshake(params);
        assert.equal(refused.status, 403, JSON.stringify(params));
        assert.ok(!(await refused.text()).includes('script'));
      }
    });

    it('bad signatures — missing, wrong, sha1=, legacy header only, uppercase, duplicated — get 401 and store nothing (R34–R36)', async () => {
      const body = JSON.stringify(
        pageBody(pageId, [inbound(pageId, psid(), { mid: mid(), text: 'forged', timestamp: h.clock.now() })]),
      );
      const good = hubSignature(secret, body);
      const json: [string, string] = ['content-type', 'application/json'];
      const variants: Array<[string, Array<[string, string]>]> = [
        ['missing', [json]],
        ['wrong secret', [json, ['x-hub-signature-256', hubSignature('not-the-secret', body)]]],
        [
          'one bit off',
          [json, ['x-hub-signature-256', good.slice(0, -1) + (good.endsWith('0') ? '1' : '0')]],
        ],
        ['sha1= prefix', [json, ['x-hub-signature-256', good.replace('sha256=', 'sha1=')]]],
        ['legacy X-Hub-Signature only', [json, ['x-hub-signature', good.replace('sha256=', 'sha1=')]]],
        ['no prefix', [json, ['x-hub-signature-256', good.slice('sha256='.length)]]],
        ['uppercase hex', [json, ['x-hub-signature-256', `sha256=${good.slice(7).toUpperCase()}`]]],
        ['truncated', [json, ['x-hub-signature-256', good.slice(0, 40)]]],
        [
          'duplicate header (both valid)',
          [json, ['x-hub-signature-256', good], ['x-hub-signature-256', good]],
        ],
        [
          'duplicate header (one valid)',
          [json, ['x-hub-signature-256', hubSignature('x', body)], ['x-hub-signature-256', good]],
        ],
        ['signature of other bytes', [json, ['x-hub-signature-256', hubSignature(secret, `${body} `)]]],
      ];
      const before = await countRows(h, 'webhook_deliveries');
      const refusedBefore = logLines(h, 'webhook signature rejected').length;
      for (const [label, headers] of variants) {
        const res = await postWebhook(h.url, body, { headers });
        assert.equal(res.status, 401, label);
        assert.equal(JSON.parse(res.text).error.code, 'invalid_signature', label);
      }
      assert.equal(await countRows(h, 'webhook_deliveries'), before, 'nothing stored');
      await drain();
      assert.equal((await messagesOf(h, orgId)).filter((m) => m.text === 'forged').length, 0);
      const logs = h.logs.join('');
      assert.ok(!logs.includes(good.slice(7)), 'the signature is never logged (R50)');
      // Each refusal is a security event, logged at warn with its request id and kind (R51), by the
      // route's request logger (made only when it logs: http/lazy-request-logger.ts).
      const refused = logLines(h, 'webhook signature rejected').slice(refusedBefore);
      assert.equal(refused.length, variants.length);
      assert.ok(refused.every((l) => l.level === 40 && typeof l.reqId === 'string' && l.verdict));
      assert.equal(new Set(refused.map((l) => l.reqId)).size, variants.length, 'one request id each');
    });

    it('the signature covers the raw, Meta-escaped bytes: "héllo 👋" is verified and stored decoded (R34)', async () => {
      const customer = psid();
      const m = mid();
      const body = metaEscapedJson(
        pageBody(pageId, [inbound(pageId, customer, { mid: m, text: 'héllo 👋', timestamp: h.clock.now() })]),
      );
      assert.ok(body.includes('h\\u00e9llo \\ud83d\\udc4b'), 'the wire form is escaped');
      // Re-serialising the parsed JSON would give other bytes, hence another HMAC.
      assert.notEqual(hubSignature(secret, JSON.stringify(JSON.parse(body))), hubSignature(secret, body));
      const res = await postWebhook(h.url, body, { secret });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'EVENT_RECEIVED');
      await drain();
      const stored = (await messagesOf(h, orgId)).find((x) => x.mid === m);
      assert.equal(stored?.text, 'héllo 👋');
      assert.equal(stored?.direction, 'inbound');
      const connection = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .select('last_webhook_at')
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
      assert.equal(
        connection.last_webhook_at,
        h.clock.now(),
        'the connection shows when its last webhook came',
      );
    });

    it('one delivery sent three times, twice concurrently, is stored once and counted unread once (R39, F4)', async () => {
      const customer = psid();
      const m = mid();
      const body = metaEscapedJson(
        pageBody(pageId, [
          inbound(pageId, customer, { mid: m, text: 'only once', timestamp: h.clock.now() }),
        ]),
      );
      const results = await Promise.all([
        postWebhook(h.url, body, { secret }),
        postWebhook(h.url, body, { secret }),
      ]);
      await drain();
      results.push(await postWebhook(h.url, body, { secret }));
      assert.deepEqual(
        results.map((r) => r.status),
        [200, 200, 200],
      );
      await drain();
      const rows = (await messagesOf(h, orgId)).filter((x) => x.mid === m);
      assert.equal(rows.length, 1);
      const conv = await h.testDb.database.db
        .selectFrom('conversations')
        .selectAll()
        .where('participant_id', '=', customer)
        .executeTakeFirstOrThrow();
      assert.equal(conv.unread_count, 1);
      const deliveries = await h.testDb.database.db
        .selectFrom('webhook_deliveries')
        .select(['outcome', 'attempts'])
        .where('body', '=', body)
        .execute();
      assert.equal(deliveries.length, 3, 'each delivery stored before its 200');
      assert.ok(deliveries.every((d) => d.outcome === 'processed' && d.attempts === 1));
    });

    it('bodies up to 4 MiB are accepted (≥ 1 MiB required); above that 413 and nothing stored (R42)', async () => {
      const big = metaEscapedJson(
        pageBody(pageId, [
          inbound(pageId, psid(), { mid: mid(), text: 'x'.repeat(1_500_000), timestamp: h.clock.now() }),
        ]),
      );
      assert.ok(Buffer.byteLength(big) > 1024 * 1024);
      assert.equal((await postWebhook(h.url, big, { secret })).status, 200);
      const before = await countRows(h, 'webhook_deliveries');
      const huge = metaEscapedJson(
        pageBody(pageId, [
          inbound(pageId, psid(), {
            mid: mid(),
            text: 'y'.repeat(4 * 1024 * 1024),
            timestamp: h.clock.now(),
          }),
        ]),
      );
      const res = await postWebhook(h.url, huge, { secret });
      assert.equal(res.status, 413);
      assert.equal(await countRows(h, 'webhook_deliveries'), before);
      await drain();
    });

    it('an unknown Page is acknowledged, dropped and counted; it creates nothing (R43)', async () => {
      const stranger = pageIdFor();
      const conversationsBefore = await countRows(h, 'conversations');
      const body = metaEscapedJson(
        pageBody(stranger, [
          inbound(stranger, psid(), { mid: mid(), text: 'to nobody', timestamp: h.clock.now() }),
          inbound(stranger, psid(), { mid: mid(), text: 'to nobody 2', timestamp: h.clock.now() }),
        ]),
      );
      assert.equal((await postWebhook(h.url, body, { secret })).status, 200);
      await drain();
      assert.equal(await countRows(h, 'conversations'), conversationsBefore);
      assert.equal(await dropCount(h, 'unknown_account', stranger), 2);
    });

    it('a signed but malformed body is acknowledged and quarantined, never retried (R44, R45)', async () => {
      for (const body of ['{"object":"page","entry":', '{"hello":"world"}', '[]']) {
        assert.equal((await postWebhook(h.url, body, { secret })).status, 200, body);
      }
      await drain();
      const rows = await h.testDb.database.db
        .selectFrom('webhook_deliveries')
        .select(['outcome', 'processed_at'])
        .where('outcome', '=', 'quarantined')
        .execute();
      assert.equal(rows.length, 3);
      assert.ok((await dropCount(h, 'malformed_body', '')) >= 3);
      assert.equal(await h.features.inbox.processor.drain(), 0, 'nothing left to retry');
    });

    it('storage down: 503, never a false 200; the delivery lands once storage is back (R38, F6)', async () => {
      const db = h.testDb.database.db;
      const body = metaEscapedJson(
        pageBody(pageId, [
          inbound(pageId, psid(), { mid: mid(), text: 'during outage', timestamp: h.clock.now() }),
        ]),
      );
      await sql`alter table webhook_deliveries rename to webhook_deliveries_away`.execute(db);
      let res: { status: number; text: string };
      try {
        res = await postWebhook(h.url, body, { secret });
      } finally {
        await sql`alter table webhook_deliveries_away rename to webhook_deliveries`.execute(db);
      }
      assert.equal(res.status, 503);
      assert.equal(JSON.parse(res.text).error.code, 'storage_unavailable');
      assert.ok(!/webhook_deliveries|sql|sqlite|relation/i.test(res.text), 'no internals in the answer');
      assert.ok(
        logLines(h, 'webhook delivery not stored').some((l) => l.level === 50 && typeof l.reqId === 'string'),
        'the failure is logged at error with its request id',
      );
      // Meta retries; now it is stored.
      assert.equal((await postWebhook(h.url, body, { secret })).status, 200);
      await drain();
      assert.equal((await messagesOf(h, orgId)).filter((m) => m.text === 'during outage').length, 1);
    });

    it('a content type other than JSON is refused before anything is stored', async () => {
      const body = JSON.stringify(pageBody(pageId, []));
      const before = await countRows(h, 'webhook_deliveries');
      const res = await postWebhook(h.url, body, {
        headers: [
          ['content-type', 'text/plain'],
          ['x-hub-signature-256', hubSignature(secret, body)],
        ],
      });
      assert.equal(res.status, 415);
      assert.equal(await countRows(h, 'webhook_deliveries'), before);
    });
  });
}
