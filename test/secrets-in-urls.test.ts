// No secret in a URL (R19, issue 11 item 5): across a full connect, a health check, an inbound
// message (profile lookup) and a reply, every request the app sends to Meta keeps tokens, the app
// secret and client_secret out of the URL — in the Authorization header or a POST body instead. URLs
// end up in proxy logs, access logs and error reports; headers and bodies do not.
//
// Two views of the same traffic: the URLs as the app's fetch sent them (checked against the real
// token values the app received and the app secret), and the emulator's call log (which parameters
// came in the query, and where the token came from). The one documented exception is debug_token's
// `input_token`: the edge is GET-only (reference §13, logly/mureo#740), so the token being inspected
// has no other place to go. The app token that asks is in the header there too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

const SECRET_PARAMS = [
  'access_token',
  'client_secret',
  'fb_exchange_token',
  'code',
  'verify_token',
  'input_token',
];

describe('no token, app secret or client_secret in any request URL (R19)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  const urls: string[] = [];
  const tokens = new Set<string>();
  before(async () => {
    h = await startHarness({
      db: 'sqlite',
      realClock: true,
      meta: emulatorFor,
      graphOptions: {
        fetch: async (input, init) => {
          urls.push(String(input instanceof Request ? input.url : input));
          const res = await fetch(input, init);
          const text = await res.clone().text();
          for (const m of text.matchAll(/"access_token":"([^"]+)"/g)) tokens.add(m[1]!);
          return res;
        },
      },
    });
    meta = emulated(h.meta);
  });
  after(() => h.close());

  it('connect + health check + inbound profile lookup + reply', async () => {
    const persona = await meta.client.createPersona({ key: 'urls', pages: 1, ig_ratio: 1 });
    const pageId = persona.pages[0]!.id;
    const b = new Browser(h.url);
    await signup(b);
    assert.equal((await connectAs(b, meta, 'urls')).target, '/settings/tab/integrations');
    assert.equal((await b.post('/api/integrations/meta/health-check')).status, 200);
    const inbound = await meta.client.inbound({ page_id: pageId, text: 'Hello?' });
    await h.features.inbox.processor.drain();
    const conv = (await b.get<{ conversations: Array<{ id: string }> }>('/api/conversations')).body
      .conversations[0]!;
    assert.equal((await b.post(`/api/conversations/${conv.id}/messages`, { text: 'Hi!' })).status, 201);
    assert.equal((await meta.client.sent({ recipient_id: inbound.customer.id })).length, 1);

    const calls = await meta.client.calls();
    const endpoints = new Set(calls.map((c) => c.endpoint));
    for (const e of [
      'oauth.code',
      'oauth.exchange',
      'me.accounts',
      'debug_token',
      'page.subscribed_apps',
      'app.subscriptions',
      'profile',
      'send',
    ]) {
      assert.ok(endpoints.has(e as never), `the run exercised ${e}`);
    }
    assert.ok(tokens.size >= 3, `observed tokens: ${tokens.size}`);

    // What Meta received: no credential parameter in any query string, tokens never from the query.
    for (const call of calls) {
      const where = `${call.method} ${call.path} (${call.endpoint})`;
      assert.notEqual(call.auth, 'query', `token in the URL of ${where}`);
      const allowed = call.endpoint === 'debug_token' ? ['input_token'] : [];
      for (const key of SECRET_PARAMS) {
        if (allowed.includes(key)) continue;
        assert.ok(!(key in call.query), `${key} in the URL of ${where}`);
      }
    }

    // What the app sent: the real values never appear in a URL.
    const { appSecret, appId } = h.meta!;
    assert.equal(urls.length, calls.length, 'every call the app made reached the emulator');
    for (const raw of urls) {
      const url = new URL(raw);
      const query = decodeURIComponent(url.search);
      assert.ok(!raw.includes(appSecret), `app secret in ${url.pathname}`);
      assert.ok(!query.includes(`${appId}|`), `app token in ${url.pathname}`);
      const inspected = url.pathname.endsWith('/debug_token') ? url.searchParams.get('input_token') : null;
      for (const token of tokens) {
        if (token === inspected) continue;
        assert.ok(!raw.includes(token), `a token in ${url.pathname}`);
      }
    }
  });
});
