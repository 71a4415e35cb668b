// GET /metrics (issue 7): Prometheus text from prom-client, only for the bearer of METRICS_TOKEN (404
// without one configured), with webhook acks by outcome and their latency, processing outcomes and lag,
// the backlog, Graph calls by endpoint and Meta code, and connection statuses. Each app keeps its own
// registry, so two apps in one process count separately; a database outage shows as
// parley_database_up 0 rather than a failed scrape.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DeliveryInbox } from '../src/webhooks/delivery-inbox.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { pageIdFor, seedConnection } from './support/inbox-fixtures.ts';
import { connectAs, emulated, emulatorFor } from './support/meta-flow.ts';
import { metaEscapedJson, postWebhook } from './support/webhook-client.ts';
import { inbound, mid, pageBody, psid } from './support/webhook-payloads.ts';

const TOKEN = randomBytes(24).toString('base64url');

/** The value of one sample, by metric name and exact label set ('' for none). */
function sample(text: string, name: string, labels = ''): number | null {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : null;
}

describe('metrics', () => {
  let h: Harness;
  let other: Harness;
  before(async () => {
    h = await startHarness({ db: 'sqlite', meta: emulatorFor, env: { METRICS_TOKEN: TOKEN } });
    other = await startHarness({ db: 'sqlite', env: { METRICS_TOKEN: TOKEN } });
  });
  after(async () => {
    await other?.close();
    await h?.close();
  });

  const scrape = async (x: Harness = h) => {
    const res = await fetch(`${x.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('answers only the bearer of METRICS_TOKEN; 404 when none is configured', async () => {
    assert.equal((await fetch(`${h.url}/metrics`)).status, 401);
    const wrong = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.ok(!(await wrong.text()).includes('parley_'), 'no metrics without the token');
    const disabled = await startHarness({ db: 'sqlite' });
    try {
      const res = await fetch(`${disabled.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 404);
    } finally {
      await disabled.close();
    }
  });

  it('webhook acks by outcome with latency, processing outcome and lag, backlog; per app', async () => {
    const secret = h.config.meta.app!.appSecret;
    const owner = await signup(new Browser(h.url), 'Metrics Org');
    const pageId = pageIdFor();
    await seedConnection(h, owner.orgId, { pageId, userId: owner.userId });
    const body = metaEscapedJson(
      pageBody(pageId, [inbound(pageId, psid(), { mid: mid(), text: 'hi', timestamp: h.clock.now() })]),
    );
    assert.equal((await postWebhook(h.url, body, { secret })).status, 200);
    assert.equal((await postWebhook(h.url, body, { secret: 'forged-secret' })).status, 401);
    await h.features.inbox.processor.drain(); // the 200 already started it
    let text = await scrape();
    assert.equal(sample(text, 'parley_webhook_acks_total', 'outcome="stored"'), 1);
    assert.equal(sample(text, 'parley_webhook_acks_total', 'outcome="invalid_signature"'), 1);
    assert.equal(sample(text, 'parley_webhook_ack_seconds_count', 'outcome="stored"'), 1);
    assert.equal(sample(text, 'parley_webhook_deliveries_finished_total', 'outcome="processed"'), 1);
    // Two deliveries are no burst: the processor never stepped back (processor-gives-way.test.ts pauses).
    assert.equal(sample(text, 'parley_webhook_processing_paused_seconds_total'), 0);

    // A delivery stored but not processed yet (as when processing falls behind), 30 s old.
    await new DeliveryInbox(h.testDb.database.db, h.clock.now).append(Buffer.from(body));
    h.clock.advance(30_000);
    text = await scrape();
    assert.equal(sample(text, 'parley_webhook_backlog_deliveries'), 1);
    assert.equal(sample(text, 'parley_webhook_oldest_unprocessed_seconds'), 30);

    await h.features.inbox.processor.drain();
    text = await scrape();
    assert.equal(sample(text, 'parley_webhook_deliveries_finished_total', 'outcome="processed"'), 2);
    assert.equal(sample(text, 'parley_webhook_processing_lag_seconds_count'), 2);
    assert.equal(sample(text, 'parley_webhook_processing_lag_seconds_bucket', 'le="10"'), 1);
    assert.equal(sample(text, 'parley_webhook_processing_lag_seconds_bucket', 'le="30"'), 2);
    assert.equal(sample(text, 'parley_webhook_backlog_deliveries'), 0);
    assert.equal(sample(text, 'parley_database_up'), 1);
    assert.ok(sample(text, 'parley_process_resident_memory_bytes')! > 0, 'process metrics');

    const otherText = await scrape(other);
    assert.equal(
      sample(otherText, 'parley_webhook_acks_total', 'outcome="stored"'),
      null,
      'separate registries',
    );
  });

  it('Graph calls by endpoint, status and Meta code; connection statuses', async () => {
    const meta = emulated(h.meta);
    const b = new Browser(h.url);
    await signup(b);
    await meta.client.faults({
      endpoint: 'page.subscribed_apps',
      count: 1,
      status: 400,
      code: 190,
      subcode: 460,
    });
    const result = await connectAs(b, meta, 'one');
    assert.equal(result.target, '/settings/tab/integrations?meta_error=webhook_subscription_failed');
    const text = await scrape();
    assert.equal(sample(text, 'parley_graph_calls_total', 'endpoint="oauth.code",status="200",code=""'), 1);
    assert.equal(
      sample(text, 'parley_graph_calls_total', 'endpoint="page.subscribed_apps",status="400",code="190"'),
      1,
    );
    assert.ok(sample(text, 'parley_graph_call_seconds_count', 'endpoint="me.accounts"')! >= 1);
    assert.equal(sample(text, 'parley_connections', 'status="reauth_required"'), 1);
    assert.equal(sample(text, 'parley_connections', 'status="needs_attention"'), 0);
  });

  it('a database that cannot answer shows as parley_database_up 0; the scrape still works', async () => {
    const db = h.testDb.database.db;
    await sql`alter table jobs rename to jobs_away`.execute(db);
    let text: string;
    try {
      text = await scrape();
    } finally {
      await sql`alter table jobs_away rename to jobs`.execute(db);
    }
    assert.equal(sample(text, 'parley_database_up'), 0);
  });
});
