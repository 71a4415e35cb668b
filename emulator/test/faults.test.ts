// Fault injection and latency: the next N calls of one endpoint fail as asked, then calls are normal
// again; other endpoints are untouched. Also the call log the app's tests read.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EmulatorError } from '../client.ts';
import {
  exchangeCode,
  firstPageOf,
  type GraphResponse,
  loginCode,
  pageToken,
  startTestEmulator,
  type TestEmulator,
  userToken,
} from './harness.ts';

describe('faults', () => {
  let t: TestEmulator;
  let token: string;
  before(async () => {
    t = await startTestEmulator();
  });
  beforeEach(async () => {
    await t.client.reset();
    token = await userToken(t, 'one');
  });
  after(() => t.emu.close());

  const accounts = () => t.graph.get('me/accounts', token, { fields: 'id,name' });

  it('answers the next N calls with the given status, code, subcode and message, then recovers', async () => {
    const fault = await t.client.faults({
      endpoint: 'me.accounts',
      count: 2,
      status: 500,
      code: 2,
      message: '(#2) Service temporarily unavailable',
    });
    assert.equal(fault.remaining, 2);
    for (let i = 0; i < 2; i++) {
      const res = await accounts();
      assert.equal(res.status, 500);
      assert.deepEqual(
        [res.body.error.code, res.body.error.message, res.body.error.is_transient],
        [2, '(#2) Service temporarily unavailable', true],
      );
    }
    assert.equal((await accounts()).status, 200);
    assert.deepEqual(await t.client.listFaults(), []);
  });

  it('counts down and lists what remains; only the targeted endpoint is affected', async () => {
    await t.client.faults({ endpoint: 'me.accounts', count: 3, code: 190, subcode: 460 });
    const res = await accounts();
    assert.deepEqual([res.status, res.body.error.code, res.body.error.error_subcode], [400, 190, 460]);
    assert.match(res.body.error.message, /^Error validating access token/);
    assert.equal((await t.client.listFaults())[0]!.remaining, 2);
    assert.equal((await t.graph.get('me', token)).status, 200, 'other endpoints unaffected');
    assert.equal((await t.client.clearFaults()).cleared, 1);
    assert.equal((await accounts()).status, 200);
  });

  it('delays, garbage bodies and dropped connections', async () => {
    await t.client.faults({ endpoint: 'me.accounts', delay_ms: 150 });
    const started = Date.now();
    const slow = await accounts();
    assert.ok(Date.now() - started >= 140, 'delayed');
    assert.equal(slow.status, 200, 'a delay-only fault lets the call succeed');

    await t.client.faults({ endpoint: 'me.accounts', garbage: true, status: 502 });
    const garbage = await accounts();
    assert.equal(garbage.status, 502);
    assert.equal(garbage.body, null, 'not JSON');
    assert.match(garbage.headers.get('content-type') ?? '', /text\/html/);

    await t.client.faults({ endpoint: 'me.accounts', network_drop: true });
    await assert.rejects(accounts(), TypeError);
    assert.equal((await accounts()).status, 200);
  });

  it('every named endpoint can be faulted', async () => {
    const page = await firstPageOf(t, 'one');
    const pt = await pageToken(t, token, page.id);
    const { customer } = await t.client.inbound({ page_id: page.id, text: 'hi' });
    const code = await loginCode(t, 'one');
    const calls: Record<string, () => Promise<GraphResponse>> = {
      'oauth.code': () => exchangeCode(t, code),
      'oauth.exchange': () =>
        t.graph.get('oauth/access_token', null, {
          grant_type: 'fb_exchange_token',
          client_id: t.emu.appId,
          client_secret: t.emu.appSecret,
          fb_exchange_token: token,
        }),
      'me.accounts': accounts,
      'page.get': () => t.graph.get(page.id, token, { fields: 'instagram_business_account' }),
      'ig.get': () => t.graph.get(page.instagram!.id, token, { fields: 'username' }),
      profile: () => t.graph.get(customer.id, pt),
      'page.subscribed_apps': () => t.graph.get(`${page.id}/subscribed_apps`, pt),
      'app.subscriptions': () => t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken),
      send: () =>
        t.graph.post(
          'me/messages',
          pt,
          { recipient: { id: customer.id }, message: { text: 'x' } },
          { as: 'json' },
        ),
      debug_token: () => t.graph.get('debug_token', t.appToken, { input_token: token }),
    };
    for (const [endpoint, call] of Object.entries(calls)) {
      await t.client.faults({ endpoint, status: 500, code: 2 });
      const failed = await call();
      assert.deepEqual([failed.status, failed.body?.error?.code], [500, 2], endpoint);
      const ok = await call();
      assert.equal(ok.status, 200, `${endpoint} recovers: ${ok.text}`);
    }
  });

  it('targets the long-lived exchange; "*" matches any endpoint', async () => {
    await t.client.faults({ endpoint: 'oauth.exchange', status: 400, code: 190, subcode: 463 });
    await assert.rejects(userToken(t, 'one'), /190|463|200/);
    await t.client.faults({ endpoint: '*', count: 1, status: 429, code: 4 });
    const limited = await t.graph.get('me', token);
    assert.deepEqual(
      [limited.status, limited.body.error.code, limited.body.error.message],
      [429, 4, '(#4) Application request limit reached'],
    );
  });

  it('rejects unknown endpoint names with a 400', async () => {
    await assert.rejects(
      t.client.faults({ endpoint: 'me.acounts' }),
      (err: unknown) => err instanceof EmulatorError && err.status === 400,
    );
  });

  it('latency is added to every Graph call, and can be changed at runtime', async () => {
    await t.client.setLatency(120);
    const started = Date.now();
    await t.graph.get('me', token);
    assert.ok(Date.now() - started >= 110);
    await t.client.setLatency(0);
    const slowEmu = await startTestEmulator({ latencyMs: 80 });
    const s2 = Date.now();
    await slowEmu.graph.get('me', 'EAAunknown');
    assert.ok(Date.now() - s2 >= 70);
    await slowEmu.emu.close();
  });

  it('the call log names endpoints, keeps parameter names and redacts credentials', async () => {
    await accounts();
    const calls = await t.client.calls();
    const exchange = calls.find((c) => c.endpoint === 'oauth.code')!;
    assert.equal(exchange.query.client_secret, '[redacted]');
    assert.equal(exchange.query.code, '[redacted]');
    const list = (await t.client.calls({ endpoint: 'me.accounts' })).at(-1)!;
    assert.equal(list.method, 'GET');
    assert.equal(list.path, '/me/accounts');
    assert.equal(list.version, 'v27.0');
    assert.equal(list.query.fields, 'id,name');
    assert.equal(list.query.access_token, '[redacted]');
    assert.equal(list.query.appsecret_proof, '[redacted]');
    assert.equal(list.token_type, 'USER');
    assert.equal(list.status, 200);
    assert.ok(!JSON.stringify(calls).includes(token), 'no token anywhere in the log');
  });
});
