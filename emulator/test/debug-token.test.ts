import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  exchangeCode,
  firstPageOf,
  loginCode,
  pageToken,
  startTestEmulator,
  type TestEmulator,
  userToken,
} from './harness.ts';

describe('debug_token', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ now: () => 1_800_000_000_000 });
  });
  after(() => t.emu.close());

  const debug = async (input: string) =>
    (await t.graph.get('debug_token', t.appToken, { input_token: input })).body.data;

  it('describes a short-lived user token: type, expiry, scopes, granular target ids', async () => {
    const state = await t.client.state();
    const three = state.personas.find((p) => p.key === 'three')!;
    const short = (await exchangeCode(t, await loginCode(t, 'three'))).body.access_token;
    const data = await debug(short);
    assert.equal(data.app_id, t.emu.appId);
    assert.equal(data.type, 'USER');
    assert.equal(data.is_valid, true);
    assert.equal(data.user_id, three.user_id);
    assert.equal(data.expires_at, 1_800_000_000 + 5400);
    assert.equal(data.data_access_expires_at, 1_800_000_000 + 90 * 86400);
    assert.ok(data.scopes.includes('pages_messaging'));
    const pagesScope = data.granular_scopes.find((g: { scope: string }) => g.scope === 'pages_messaging');
    assert.deepEqual(
      pagesScope.target_ids,
      three.pages.map((p) => p.id),
    );
    const igScope = data.granular_scopes.find(
      (g: { scope: string }) => g.scope === 'instagram_manage_messages',
    );
    assert.deepEqual(
      igScope.target_ids,
      three.pages.flatMap((p) => (p.instagram ? [p.instagram.id] : [])),
    );
    assert.equal(data.issued_at, undefined);
  });

  it('a Page token from a long-lived token: type PAGE, profile_id, expires_at 0', async () => {
    const page = await firstPageOf(t, 'one');
    const long = await userToken(t, 'one');
    const longData = await debug(long);
    assert.equal(longData.expires_at, 1_800_000_000 + 5183944);
    assert.equal(longData.issued_at, 1_800_000_000);
    const data = await debug(await pageToken(t, long, page.id));
    assert.equal(data.type, 'PAGE');
    assert.equal(data.profile_id, page.id);
    assert.equal(data.expires_at, 0);
    assert.equal(data.is_valid, true);
  });

  it('invalid, revoked and app tokens', async () => {
    const bogus = await debug('EAAnothing');
    assert.equal(bogus.is_valid, false);
    assert.equal(bogus.error.code, 190);
    const token = await userToken(t, 'one');
    await t.client.revoke({ token });
    const revoked = await debug(token);
    assert.equal(revoked.is_valid, false);
    assert.deepEqual([revoked.error.code, revoked.error.subcode], [190, 460]);
    assert.equal(revoked.type, 'USER');
    assert.deepEqual(await debug(t.appToken), {
      app_id: t.emu.appId,
      type: 'APP',
      application: 'Parley (emulator)',
      is_valid: true,
    });
  });

  it('takes the app token in the Authorization header, input_token in the query (R19)', async () => {
    const user = await userToken(t, 'one');
    const res = await t.graph.get('debug_token', t.appToken, { input_token: user }, { bearer: true });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.data.is_valid, true);
    const [call] = (await t.client.calls({ endpoint: 'debug_token' })).slice(-1);
    assert.equal(call?.auth, 'header');
    assert.deepEqual(Object.keys(call?.query ?? {}), ['input_token']);
  });

  it('must be called with the app token, and with GET', async () => {
    const user = await userToken(t, 'one');
    const res = await t.graph.get('debug_token', user, { input_token: user });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /You must provide an app access token/);
    const post = await t.graph.post('debug_token', t.appToken, { input_token: user });
    assert.deepEqual([post.body.error.code, post.body.error.error_subcode], [100, 33]);
    assert.match(post.body.error.message, /^Unsupported post request/);
  });
});
