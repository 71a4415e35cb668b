// Every Graph step of the connect flow × each fault ends in the right redirect with no half-saved
// state (R29–R31, F10), and a canary Page token never leaks (R19, R50, F12).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

type Fault = { status?: number; code?: number; subcode?: number; delay_ms?: number; garbage?: boolean };
const faults: Array<[string, Fault]> = [
  ['HTTP 500', { status: 500 }],
  ['transient code 2', { status: 500, code: 2 }],
  ['rate limit 4', { status: 400, code: 4 }],
  ['rate limit 613', { status: 400, code: 613 }],
  ['invalid token 190', { status: 400, code: 190, subcode: 460 }],
  ['timeout', { delay_ms: 1_500 }],
  ['garbage body', { garbage: true }],
];

/** Where each step's failure must land; the subscription steps leave a visible needs_attention row. */
const steps: Array<[string, string, 'none' | 'needs_attention' | 'reauth_required']> = [
  ['oauth.code', 'token_exchange_failed', 'none'],
  ['oauth.exchange', 'token_exchange_failed', 'none'],
  ['me.accounts', 'pages_fetch_failed', 'none'],
  ['page.subscribed_apps', 'webhook_subscription_failed', 'needs_attention'],
  ['app.subscriptions', 'webhook_subscription_failed', 'needs_attention'],
];

describe('connect fault matrix (sqlite)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  before(async () => {
    h = await startHarness({ db: 'sqlite', meta: emulatorFor });
    meta = emulated(h.meta);
  });
  after(() => h.close());
  beforeEach(async () => {
    await meta.client.reset();
    await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
    await h.testDb.database.db.deleteFrom('jobs').execute();
  });

  for (const [endpoint, error, row] of steps) {
    for (const [label, fault] of faults) {
      it(`${endpoint} × ${label}`, async () => {
        const b = new Browser(h.url);
        const { orgId } = await signup(b);
        // Enough faults to outlast the client's 3 attempts.
        await meta.client.faults({ endpoint, count: 3, ...fault });
        const started = Date.now();
        const result = await connectAs(b, meta, 'one');
        assert.ok(Date.now() - started < 15_000, 'visible to the user within 15 s');
        const saved = await h.testDb.database.db
          .selectFrom('organization_meta_settings')
          .selectAll()
          .where('org_id', '=', orgId)
          .executeTakeFirst();
        const subscriptionStep = row !== 'none';
        const expectedRow = subscriptionStep && fault.code === 190 ? 'reauth_required' : row;
        assert.equal(result.target, `/settings/tab/integrations?meta_error=${error}`);
        if (expectedRow === 'none') assert.equal(saved, undefined, 'no half-saved connection');
        else assert.equal(saved?.status, expectedRow);
        const calls = (await meta.client.calls()).filter(
          (c: { endpoint: string }) => c.endpoint === endpoint,
        );
        const retriable = fault.code !== 190 && !(endpoint === 'oauth.code');
        if (!retriable)
          assert.ok(calls.length <= 1 || endpoint !== 'oauth.code', 'a code exchange is never resent');
        assert.ok(calls.length <= 3, 'at most 3 attempts');
        if (fault.code === 190) assert.equal(calls.length, 1, 'an invalid token is not retried');
      });
    }
  }

  it('a transient failure that clears within the retry budget still connects', async () => {
    const b = new Browser(h.url);
    await signup(b);
    await meta.client.faults({ endpoint: 'me.accounts', count: 2, status: 500, code: 2 });
    assert.equal((await connectAs(b, meta, 'one')).target, '/settings/tab/integrations');
  });
});

describe('secret hygiene: a canary Page token never leaks (R19, R50, F12)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  const seen = new Set<string>();
  before(async () => {
    h = await startHarness({
      db: 'sqlite',
      meta: emulatorFor,
      // Observe (not replace) what Meta returns, to learn the real tokens the app received.
      graphOptions: {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const text = await res.clone().text();
          for (const m of text.matchAll(/"access_token":"([^"]+)"/g)) seen.add(m[1]!);
          return res;
        },
      },
    });
    meta = emulated(h.meta);
  });
  after(() => h.close());

  it('tokens appear in no response, redirect, log line or database page', async () => {
    const b = new Browser(h.url);
    await signup(b);
    const bodies: string[] = [];
    const r1 = await connectAs(b, meta, 'three');
    bodies.push(r1.location);
    bodies.push((await b.get('/api/integrations/meta/pending-pages')).text);
    const pages = JSON.parse(bodies[1]!).pages as Array<{ id: string }>;
    bodies.push((await b.post('/api/integrations/meta/select-page', { page_id: pages[0]!.id })).text);
    bodies.push((await b.get('/api/integrations/meta')).text);
    bodies.push((await b.post('/api/integrations/meta/retry-subscriptions')).text);
    bodies.push((await b.post('/api/integrations/meta/disconnect')).text);
    assert.ok(seen.size >= 4, `observed tokens: ${seen.size}`);
    const logs = h.logs.join('\n');
    const dbBytes =
      readFileSync(h.testDb.file!).toString('latin1') +
      readFileSync(`${h.testDb.file!}-wal`).toString('latin1');
    for (const token of seen) {
      for (const body of bodies) assert.ok(!body.includes(token), 'token in an HTTP response');
      assert.ok(!logs.includes(token), 'token in the logs');
      assert.ok(!dbBytes.includes(token), 'token in the database file as plaintext');
    }
    assert.ok(logs.length > 1000, 'the app did log (at trace level)');
  });
});
