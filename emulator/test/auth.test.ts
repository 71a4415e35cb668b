// "Require App Secret", token validity and revocation: what every token-bearing Graph call is checked for.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  exchangeCode,
  firstPageOf,
  loginCode,
  pageToken,
  startTestEmulator,
  type TestEmulator,
  userToken,
} from './harness.ts';

describe('appsecret_proof and token validity', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  beforeEach(() => t.client.reset());
  after(() => t.emu.close());

  it('a user-token call without appsecret_proof fails with Meta’s GraphMethodException', async () => {
    const token = await userToken(t, 'one');
    const res = await t.graph.get('me/accounts', token, {}, { proof: false });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.message, 'API calls from the server require an appsecret_proof argument');
    assert.equal(res.body.error.type, 'GraphMethodException');
    assert.equal(res.body.error.code, 100);
  });

  it('a wrong proof (e.g. keyed with the wrong secret, or for another token) fails', async () => {
    const token = await userToken(t, 'one');
    const other = await userToken(t, 'three');
    for (const proof of ['0'.repeat(64), t.graph.proof(other), t.graph.proof(token).toUpperCase()]) {
      const res = await t.graph.get('me/accounts', token, {}, { proof });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.message, 'Invalid appsecret_proof provided in the API argument');
    }
  });

  it('a Page token needs the proof too; the token may come as Authorization: Bearer', async () => {
    const page = await firstPageOf(t, 'one');
    const token = await pageToken(t, await userToken(t, 'one'), page.id);
    assert.equal((await t.graph.get('me', token, {}, { proof: false })).status, 400);
    const viaHeader = await t.graph.get('me', token, {}, { bearer: true });
    assert.equal(viaHeader.status, 200, viaHeader.text);
    assert.equal(viaHeader.body.id, page.id);
  });

  it('no token: code 104; an unknown token: 190/467', async () => {
    const none = await t.graph.get('me/accounts', null);
    assert.deepEqual([none.status, none.body.error.code], [400, 104]);
    const bogus = await t.graph.get('me/accounts', 'EAAbogus');
    assert.equal(bogus.body.error.code, 190);
    assert.equal(bogus.body.error.error_subcode, 467);
    assert.match(bogus.body.error.message, /^Error validating access token: /);
    assert.match(bogus.headers.get('www-authenticate') ?? '', /"invalid_token"/);
  });

  it('revoke by token → 190/460; by Page → only that Page’s tokens; custom subcode', async () => {
    const state = await t.client.state();
    const [p1, p2] = state.personas.find((p) => p.key === 'three')!.pages;
    const user = await userToken(t, 'three');
    const t1 = await pageToken(t, user, p1!.id);
    const t2 = await pageToken(t, user, p2!.id);
    assert.equal((await t.client.revoke({ page_id: p1!.id })).revoked, 1);
    const dead = await t.graph.get('me', t1);
    assert.deepEqual([dead.body.error.code, dead.body.error.error_subcode], [190, 460]);
    assert.match(dead.body.error.message, /changed their password/);
    assert.equal((await t.graph.get('me', t2)).status, 200);
    assert.equal((await t.graph.get('me', user)).status, 200);

    await t.client.revoke({ token: user, subcode: 458 });
    const userDead = await t.graph.get('me/accounts', user);
    assert.deepEqual([userDead.body.error.code, userDead.body.error.error_subcode], [190, 458]);
  });

  it('revoke by user id kills every token of that user', async () => {
    const user = await userToken(t, 'one');
    const page = await firstPageOf(t, 'one');
    const pt = await pageToken(t, user, page.id);
    const { revoked } = await t.client.revoke({ user_id: '100000000000002' });
    assert.ok(revoked >= 2);
    for (const token of [user, pt])
      assert.equal((await t.graph.get('me', token)).body.error.error_subcode, 460);
  });

  it('short-lived user tokens expire (190/463); Page tokens from them last an hour, from long-lived ones forever', async () => {
    const page = await firstPageOf(t, 'one');
    const short = (await exchangeCode(t, await loginCode(t, 'one'))).body.access_token;
    const fromShort = await pageToken(t, short, page.id);
    const long = await userToken(t, 'one');
    const fromLong = await pageToken(t, long, page.id);

    await t.client.advanceClock(3600_000 + 1000);
    const expiredPage = await t.graph.get('me', fromShort);
    assert.deepEqual([expiredPage.body.error.code, expiredPage.body.error.error_subcode], [190, 463]);
    assert.match(expiredPage.body.error.message, /Session has expired on .* The current time is /);
    assert.equal((await t.graph.get('me', short)).status, 200, 'the short-lived user token lasts 5400 s');

    await t.client.advanceClock(3 * 3600_000);
    assert.equal((await t.graph.get('me', short)).body.error.error_subcode, 463);
    await t.client.advanceClock(100 * 24 * 3600_000);
    assert.equal((await t.graph.get('me', long)).body.error.error_subcode, 463, 'long-lived lasts ~60 days');
    assert.equal(
      (await t.graph.get('me', fromLong)).status,
      200,
      'Page token from a long-lived token never expires',
    );
  });
});
