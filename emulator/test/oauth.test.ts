// Token endpoint: code exchange (single use, ten-minute expiry, identical redirect_uri), the long-lived
// exchange, app tokens, and Meta's OAuth error wording and WWW-Authenticate header.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exchangeCode, loginCode, REDIRECT_URI, startTestEmulator, type TestEmulator } from './harness.ts';

describe('oauth/access_token', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.emu.close());

  it('exchanges a code for a short-lived user token, then for a ~60-day one', async () => {
    const short = await exchangeCode(t, await loginCode(t, 'one'));
    assert.equal(short.status, 200);
    assert.equal(short.body.token_type, 'bearer');
    assert.equal(short.body.expires_in, 5400);
    assert.match(short.body.access_token, /^EAA[A-Za-z0-9]{100,}$/);

    // POST with a form body, as the seed does for this step.
    const long = await t.graph.post('oauth/access_token', null, {
      grant_type: 'fb_exchange_token',
      client_id: t.emu.appId,
      client_secret: t.emu.appSecret,
      fb_exchange_token: short.body.access_token,
    });
    assert.equal(long.status, 200, long.text);
    assert.equal(long.body.expires_in, 5183944);
    assert.notEqual(long.body.access_token, short.body.access_token);
    const me = await t.graph.get('me', long.body.access_token);
    assert.deepEqual(me.body, { name: 'Olivia Onepage', id: '100000000000002' });
  });

  it('the long-lived exchange also takes a POST form, keeping client_secret and the token out of the URL (R19)', async () => {
    const short = await exchangeCode(t, await loginCode(t, 'one'));
    const long = await t.graph.post('oauth/access_token', null, {
      grant_type: 'fb_exchange_token',
      client_id: t.emu.appId,
      client_secret: t.emu.appSecret,
      fb_exchange_token: short.body.access_token,
    });
    assert.equal(long.status, 200, long.text);
    assert.equal(long.body.expires_in, 5183944);
    const [call] = (await t.client.calls({ endpoint: 'oauth.exchange' })).slice(-1);
    assert.equal(call?.method, 'POST');
    assert.deepEqual(call?.query, {});
    assert.ok('client_secret' in (call?.body ?? {}) && 'fb_exchange_token' in (call?.body ?? {}));
  });

  it('a code is single use: the second exchange is 100/36009 with WWW-Authenticate', async () => {
    const code = await loginCode(t, 'one');
    assert.equal((await exchangeCode(t, code)).status, 200);
    const again = await exchangeCode(t, code);
    assert.equal(again.status, 400);
    assert.deepEqual(
      { ...again.body.error, fbtrace_id: undefined },
      {
        message: 'This authorization code has been used.',
        type: 'OAuthException',
        code: 100,
        error_subcode: 36009,
        fbtrace_id: undefined,
      },
    );
    assert.match(again.body.error.fbtrace_id, /^A[\w-]{10,}$/);
    assert.equal(
      again.headers.get('www-authenticate'),
      'OAuth "Facebook Platform" "invalid_code" "This authorization code has been used."',
    );
  });

  it('a code expires after ten minutes of emulator time (36007)', async () => {
    const code = await loginCode(t, 'one');
    await t.client.advanceClock(10 * 60_000 + 1);
    const res = await exchangeCode(t, code);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.error_subcode, 36007);
    assert.equal(res.body.error.message, 'This authorization code has expired.');
  });

  it('a code still works just before ten minutes', async () => {
    const code = await loginCode(t, 'one');
    await t.client.advanceClock(9 * 60_000);
    assert.equal((await exchangeCode(t, code)).status, 200);
  });

  it('the redirect_uri must be identical to the dialog’s (36008), and a mismatch does not burn the code', async () => {
    const code = await loginCode(t, 'one');
    const res = await exchangeCode(t, code, `${REDIRECT_URI}?x=1`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 100);
    assert.equal(res.body.error.error_subcode, 36008);
    assert.match(
      res.body.error.message,
      /^Error validating verification code\. Please make sure your redirect_uri is identical/,
    );
    assert.equal((await exchangeCode(t, code)).status, 200);
  });

  it('rejects a wrong client secret (code 1) and a wrong client id (101)', async () => {
    const code = await loginCode(t, 'one');
    const base = { client_id: t.emu.appId, client_secret: 'nope', redirect_uri: REDIRECT_URI, code };
    const badSecret = await t.graph.get('oauth/access_token', null, base);
    assert.equal(badSecret.status, 400);
    assert.deepEqual(
      [badSecret.body.error.code, badSecret.body.error.message],
      [1, 'Error validating client secret.'],
    );
    const badId = await t.graph.get('oauth/access_token', null, {
      ...base,
      client_id: '42',
      client_secret: t.emu.appSecret,
    });
    assert.equal(badId.body.error.code, 101);
    assert.equal((await exchangeCode(t, code)).status, 200, 'the failed attempts did not use the code');
  });

  it('an unknown code is refused', async () => {
    const res = await exchangeCode(t, 'AQnotacode');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 100);
  });

  it('cannot exchange an expired short-lived token for a long-lived one', async () => {
    const short = (await exchangeCode(t, await loginCode(t, 'one'))).body.access_token;
    await t.client.advanceClock(5400 * 1000 + 1);
    const res = await t.graph.get('oauth/access_token', null, {
      grant_type: 'fb_exchange_token',
      client_id: t.emu.appId,
      client_secret: t.emu.appSecret,
      fb_exchange_token: short,
    });
    assert.equal(res.status, 400);
    assert.deepEqual([res.body.error.code, res.body.error.error_subcode], [190, 463]);
  });

  it('client_credentials yields an app token that the app endpoints accept', async () => {
    const res = await t.graph.get('oauth/access_token', null, {
      grant_type: 'client_credentials',
      client_id: t.emu.appId,
      client_secret: t.emu.appSecret,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, 'bearer');
    assert.ok(res.body.access_token.startsWith(`${t.emu.appId}|`));
    const subs = await t.graph.get(`${t.emu.appId}/subscriptions`, res.body.access_token);
    assert.equal(subs.status, 200, subs.text);
    assert.deepEqual(subs.body, { data: [] });
    const literal = await t.graph.get(`${t.emu.appId}/subscriptions`, `${t.emu.appId}|${t.emu.appSecret}`);
    assert.equal(literal.status, 200);
    const forged = await t.graph.get(`${t.emu.appId}/subscriptions`, `${t.emu.appId}|wrong`);
    assert.equal(forged.status, 400);
    assert.equal(forged.body.error.code, 190);
  });
});
