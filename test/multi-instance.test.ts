// Several instances behind a load balancer (issue 7): two real Parley processes — `node --import tsx
// src/main.ts`, configured only by the environment — share one PostgreSQL schema and one Redis and
// nothing else. Both have the same PUBLIC_URL: a round-robin proxy started here, which is where Meta (the
// emulator) sends the browser back and posts webhooks. The test proves that
//   - an OAuth flow started on A completes on B (the browser's callback request is sent to B directly, so
//     "started on A, finished on B" does not depend on the proxy's turn), and a repeated callback on A
//     shows B's outcome;
//   - the pending Pages a callback on B stored are listed and chosen on A;
//   - webhook deliveries arriving through the proxy are processed by both instances and none twice
//     (each instance's /metrics counts what it processed; every delivery row was claimed once);
//   - live updates reach a browser stream on either instance, once;
//   - a subscription retry and an unsubscribe job, polled for by both instances every second, each run
//     once (Meta sees one call, not two);
//   - the periodic health check runs once per period. Its ticker fires every 60 s in a process, too slow
//     to wait for in CI, so this part races the health tick of two further in-process instances (each
//     with its own connection pool and Redis client on the same schema) over three periods of an
//     injected clock; the database's conditional UPDATE decides, as it does between processes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { EmulatorClient } from '../emulator/client.ts';
import { startEmulator } from '../emulator/server.ts';
import { buildAppWithFeatures } from '../src/app.ts';
import { RedisCache } from '../src/cache/redis-cache.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { TokenCipher } from '../src/secrets/token-cipher.ts';
import { createDatabase } from '../src/storage/database.ts';
import { TestClock } from './support/app-harness.ts';
import { type AppProcess, deploymentSecrets, freePort, startAppProcess } from './support/app-process.ts';
import { createTestDatabase, POSTGRES_URL, REDIS_URL, type TestDatabase } from './support/databases.ts';
import { Browser, signup } from './support/http-client.ts';
import { CALLBACK_PATH, consent, type EmulatedMeta, followCallback } from './support/meta-flow.ts';
import { type RoundRobinProxy, startRoundRobinProxy } from './support/round-robin-proxy.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { inbound, mid, pageBody } from './support/webhook-payloads.ts';

const METRICS_TOKEN = randomBytes(24).toString('base64url');
const INTEGRATIONS = '/settings/tab/integrations';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await sleep(150);
  }
}

/** One sample of a Prometheus text exposition, by metric name and exact label set. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('two instances on one PostgreSQL schema and one Redis', () => {
  let testDb: TestDatabase;
  let proxy: RoundRobinProxy;
  let meta: EmulatedMeta;
  let a: AppProcess;
  let b: AppProcess;
  let env: Record<string, string>;
  let owner1: { browser: Browser; orgId: string };
  let pageId1: string;
  let owner2: { browser: Browser; orgId: string };

  const db = () => testDb.database.db;
  const scrape = async (app: AppProcess) => {
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(res.status, 200);
    return res.text();
  };
  const callsOf = async (endpoint: string, method: string, pageId?: string) =>
    (await meta.client.calls({ endpoint })).filter(
      // By path: a call failed by an injected fault never authenticated, so it names no page_id.
      (c) => c.method === method && (pageId === undefined || c.path.includes(`/${pageId}/`)),
    );

  before(async () => {
    testDb = await createTestDatabase('postgres');
    const [portA, portB] = [await freePort(), await freePort()];
    proxy = await startRoundRobinProxy([`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]);
    const emulator = await startEmulator({
      redirectUris: [`${proxy.url}${CALLBACK_PATH}`],
      webhookRetryDelaysMs: [50, 100, 200],
      autoDeliveryMs: null,
      autoReadMs: null,
    });
    meta = { ...emulator, client: new EmulatorClient(emulator.url) };
    env = {
      ...deploymentSecrets(),
      // The pool's sessions work in this suite's schema, as DATABASE_URL allows (libpq `options`).
      DATABASE_URL: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${testDb.searchPath}`)}`,
      REDIS_URL,
      PUBLIC_URL: proxy.url,
      META_APP_ID: meta.appId,
      META_APP_SECRET: meta.appSecret,
      META_WEBHOOK_VERIFY_TOKEN: meta.verifyToken,
      META_GRAPH_URL: meta.url,
      META_DIALOG_URL: meta.url,
      METRICS_TOKEN,
    };
    [a, b] = await Promise.all([
      startAppProcess({ env, port: portA }),
      startAppProcess({ env, port: portB }),
    ]);
  });

  after(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await proxy?.close();
    await meta?.close();
    await testDb?.drop();
  });

  it('an OAuth flow started on A completes on B; a repeated callback on A shows the same outcome', async () => {
    const browser = new Browser(a.url);
    const { orgId } = await signup(browser, 'Instance Org One');
    const { url: dialogUrl } = (await browser.get<{ url: string }>('/api/integrations/meta/oauth-url')).body;
    const callback = new URL(await consent(meta, dialogUrl, 'one'));
    assert.equal(callback.origin, proxy.url, 'Meta sends the browser back to the load balancer');

    const onB = await followCallback(browser, `${b.url}${callback.pathname}${callback.search}`);
    assert.equal(onB.target, INTEGRATIONS, 'B found the transaction A created, exchanged the code and saved');
    const again = await followCallback(browser, `${a.url}${callback.pathname}${callback.search}`);
    assert.equal(again.target, INTEGRATIONS, 'A shows the outcome B recorded instead of re-using the code');
    assert.equal((await callsOf('oauth.code', 'POST')).length, 1, 'the code was exchanged once');

    // Through the load balancer, whichever instance answers: connected and subscribed.
    const view = await browser.get<{
      connected: boolean;
      connection: { status: string; facebook_page_id: string };
    }>(`${proxy.url}/api/integrations/meta`);
    assert.equal(view.body.connected, true);
    assert.equal(view.body.connection.status, 'active');
    owner1 = { browser, orgId };
    pageId1 = view.body.connection.facebook_page_id;
  });

  it('pending Pages stored by a callback on B are listed and chosen on A; the subscription retry runs once', async () => {
    const browser = new Browser(proxy.url);
    const { orgId } = await signup(browser, 'Instance Org Two');
    const { url: dialogUrl } = (await browser.get<{ url: string }>('/api/integrations/meta/oauth-url')).body;
    const callback = new URL(await consent(meta, dialogUrl, 'three'));
    const onB = await followCallback(browser, `${b.url}${callback.pathname}${callback.search}`);
    assert.equal(onB.target, `${INTEGRATIONS}?meta_select_page=true`);

    const pending = await browser.get<{ pages: Array<{ id: string; name: string }> }>(
      `${a.url}/api/integrations/meta/pending-pages`,
    );
    assert.equal(pending.status, 200, 'A reads the sealed list B put in Redis');
    assert.equal(pending.body.pages.length, 3);
    const chosen = pending.body.pages[0]!;

    // The Page subscription fails for all three attempts of the choice; a retry job is queued for 5 s
    // later, and both instances poll the job table every second.
    await meta.client.faults({ endpoint: 'page.subscribed_apps', count: 3, status: 500, code: 2 });
    const choice = await browser.post<{ connection: { status: string } }>(
      `${a.url}/api/integrations/meta/select-page`,
      { page_id: chosen.id },
    );
    assert.equal(choice.status, 200);
    assert.equal(choice.body.connection.status, 'needs_attention');
    const row = await until(
      'the retry job makes the connection active',
      () =>
        db()
          .selectFrom('organization_meta_settings')
          .selectAll()
          .where('org_id', '=', orgId)
          .executeTakeFirst(),
      (r) => r?.status === 'active',
      20_000,
    );
    await sleep(2_500); // two more polling rounds of each instance
    const posts = await callsOf('page.subscribed_apps', 'POST', chosen.id);
    assert.equal(posts.length, 4, 'three failed attempts at the choice, then exactly one retry');
    const retries = await db()
      .selectFrom('connection_events')
      .select('kind')
      .where('org_id', '=', orgId)
      .where('actor_label', '=', 'Parley')
      .execute();
    assert.deepEqual(
      retries.map((r) => r.kind),
      ['subscribed'],
      'one background retry recorded',
    );
    assert.equal((await db().selectFrom('jobs').selectAll().execute()).length, 0);
    assert.equal(row!.facebook_page_id, chosen.id);
    owner2 = { browser, orgId };
  });

  it('webhooks through the load balancer are processed by both instances, none twice', async (t) => {
    const acksBefore = await Promise.all(
      [a, b].map(async (x) => sample(await scrape(x), 'parley_webhook_acks_total', 'outcome="stored"')),
    );
    const mids: string[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const sent = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          meta.client.inbound({
            page_id: pageId1,
            customer_name: `Customer ${wave}-${i}`,
            text: 'hello',
            count: 3,
          }),
        ),
      );
      for (const s of sent) mids.push(...s.mids);
    }
    assert.equal(mids.length, 180);
    await until(
      'every delivery processed',
      async () =>
        (
          await db()
            .selectFrom('webhook_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('processed_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      (n) => Number(n) === 0,
    );
    const rows = await db().selectFrom('webhook_deliveries').select(['attempts', 'outcome']).execute();
    assert.equal(rows.length, 60, 'one stored delivery per webhook POST');
    assert.ok(
      rows.every((r) => r.attempts === 1 && r.outcome === 'processed'),
      'each delivery claimed once',
    );
    const stored = await db()
      .selectFrom('messages')
      .select(['mid', (eb) => eb.fn.countAll<number>().as('n')])
      .where('org_id', '=', owner1.orgId)
      .groupBy('mid')
      .execute();
    assert.equal(stored.length, 180);
    assert.ok(stored.every((r) => Number(r.n) === 1 && mids.includes(r.mid!)));

    // The processor thread reports what it finished to its instance's counters in a message after the
    // commit, so the database can show a delivery processed a moment before /metrics counts it (CI on
    // Node 20 scraped 40 of 60 once). Wait for the count to settle; the sum is still asserted exact.
    let [textA, textB] = ['', ''];
    const processedIn = (t: string) =>
      sample(t, 'parley_webhook_deliveries_finished_total', 'outcome="processed"');
    await until(
      'both instances counted what they processed',
      async () => {
        [textA, textB] = await Promise.all([scrape(a), scrape(b)]);
        return processedIn(textA) + processedIn(textB);
      },
      (n) => n >= 60,
    );
    const processed = [textA, textB].map(processedIn);
    const acks = [textA, textB].map(
      (t, i) => sample(t, 'parley_webhook_acks_total', 'outcome="stored"') - acksBefore[i]!,
    );
    t.diagnostic(
      `webhook POSTs acknowledged by A/B: ${acks.join('/')}; processed by A/B: ${processed.join('/')}`,
    );
    assert.ok(acks[0]! > 0 && acks[1]! > 0, `the proxy spread the POSTs: ${acks}`);
    assert.equal(acks[0]! + acks[1]!, 60);
    assert.ok(processed[0]! > 0 && processed[1]! > 0, `both instances processed deliveries: ${processed}`);
    assert.equal(processed[0]! + processed[1]!, 60, 'and together exactly as many as were stored');
  });

  it('a live update reaches a browser stream on either instance, once', async () => {
    const headers = cookieHeader(owner1.browser.cookies);
    const [onA, onB] = await Promise.all([
      SseStream.open(`${a.url}/api/events`, headers),
      SseStream.open(`${b.url}/api/events`, headers),
    ]);
    try {
      await Promise.all([onA.connected(), onB.connected()]);
      const text = `live ${randomBytes(4).toString('hex')}`;
      const body = metaEscapedJson(
        pageBody(pageId1, [
          inbound(pageId1, '7000000000000042', { mid: mid(), text, timestamp: Date.now() }),
        ]),
      );
      assert.equal((await postWebhook(b.url, body, { secret: meta.appSecret })).status, 200);
      const created = (e: { event: string; data: string }) =>
        e.event === 'message.created' && e.data.includes(text);
      await Promise.all([onA.waitFor(created, 10_000), onB.waitFor(created, 10_000)]);
      await sleep(500);
      assert.equal(onA.events.filter(created).length, 1);
      assert.equal(onB.events.filter(created).length, 1);
    } finally {
      onA.close();
      onB.close();
    }
  });

  it('the unsubscribe job after a disconnect runs once, though both instances poll for it', async () => {
    const res = await owner1.browser.post<{ disconnected: boolean }>(
      `${b.url}/api/integrations/meta/disconnect`,
    );
    assert.equal(res.body.disconnected, true);
    await until(
      'the unsubscribe job finished',
      async () => (await db().selectFrom('jobs').selectAll().execute()).length,
      (n) => n === 0,
    );
    await sleep(2_500);
    const deletes = await callsOf('page.subscribed_apps', 'DELETE', pageId1);
    assert.equal(deletes.length, 1, 'Meta was asked once to stop sending the Page’s events');
  });

  it('both instances shut down cleanly on SIGTERM', async () => {
    const [exitA, exitB] = await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
    assert.equal(exitA.code, 0);
    assert.equal(exitB.code, 0);
  });

  it('the health check runs once per period across instances, not once per instance', async () => {
    assert.ok(owner2, 'a connection to check');
    const clock = new TestClock(Date.now() + 3600_000);
    const config = loadConfig({ ...env, PORT: '0' });
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const database = createDatabase(
          { kind: 'postgres', url: POSTGRES_URL },
          { searchPath: testDb.searchPath, poolSize: 2 },
        );
        const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
        const features = await buildAppWithFeatures({
          config,
          logger: createLogger('silent'),
          database,
          cache: new RedisCache(redis),
          cipher: new TokenCipher(config.keyring),
          now: clock.now,
          redis,
          runJobs: false,
        });
        const close = async () => {
          await features.app.close();
          await redis.quit();
          await database.close();
        };
        return { features, close };
      }),
    );
    try {
      const before = (await meta.client.calls({ endpoint: 'debug_token' })).length;
      const runs: number[] = [];
      for (let period = 0; period < 3; period++) {
        // Three ticks from each instance, all at once, within one period.
        const ticks = await Promise.all(
          Array.from({ length: 6 }, (_, i) => instances[i % 2]!.features.meta.healthTick()),
        );
        runs.push(ticks.filter(Boolean).length);
        clock.advance(15 * 60_000);
      }
      assert.deepEqual(runs, [1, 1, 1], 'one health check per period');
      const connections = (await db().selectFrom('organization_meta_settings').selectAll().execute()).length;
      assert.equal(connections, 1);
      const checks = (await meta.client.calls({ endpoint: 'debug_token' })).length - before;
      assert.equal(checks, 3 * connections, 'Meta saw one token check per connection per period');
    } finally {
      for (const i of instances) await i.close();
    }
  });
});
